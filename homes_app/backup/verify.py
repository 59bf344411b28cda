"""A backup is only trusted once it has been restored: into a scratch database, which is then
checked (SQLite's integrity check; the same tables, and the same rows in each, as the copy had
when taken) and thrown away."""
from __future__ import annotations

import secrets
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import DomainError
from .services import restore, row_counts


class NotVerified(DomainError):
    """The copy did not restore, or restored into something other than what was copied."""


@dataclass(frozen=True)
class Verified:
    tables: int
    rows: int


def verify(engine: Engine, copy: Path, expected: dict[str, int]) -> Verified:
    """Restore `copy` into a scratch database beside `engine`'s and compare it with
    `expected` (the rows in each table when the copy was taken); NotVerified if not alike."""
    live_tables = set(inspect(engine).get_table_names())
    if set(expected) != live_tables:
        raise NotVerified("the copy's tables are not the database's: "
                          + _differences(set(expected), live_tables))
    with scratch_database(engine) as scratch:
        try:
            restore(scratch, copy)
            _integrity_check(scratch)
            found = row_counts(scratch)
        except (sqlite3.DatabaseError, SQLAlchemyError) as error:
            raise NotVerified(f"the copy did not restore: {error}") from None
        except DomainError as error:
            raise NotVerified(f"the copy did not restore: {error.message}") from None
    wrong = sorted(name for name in expected.keys() | found.keys()
                   if expected.get(name) != found.get(name))
    if wrong:
        raise NotVerified("rows differ after the restore: " + ", ".join(
            f"{name} {expected.get(name)} copied, {found.get(name)} restored" for name in wrong))
    return Verified(tables=len(found), rows=sum(found.values()))


@contextmanager
def scratch_database(engine: Engine) -> Iterator[Engine]:
    """An empty database of the same kind, removed afterwards whatever happens. SQLite: a
    temporary file. PostgreSQL: a new database with a random name on the same server (the
    role needs CREATEDB)."""
    if engine.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="homes-verify-") as folder:
            scratch = create_engine(f"sqlite:///{Path(folder) / 'scratch.sqlite3'}")
            try:
                yield scratch
            finally:
                scratch.dispose()
        return
    name = f"homes_verify_{secrets.token_hex(6)}"
    _admin(engine, f"CREATE DATABASE {name} TEMPLATE template0",
           "could not create a scratch database to verify the copy in (the database role "
           "needs CREATEDB: ALTER ROLE ... CREATEDB)")
    scratch = create_engine(engine.url.set(database=name))
    try:
        yield scratch
    finally:
        scratch.dispose()
        _admin(engine, f"DROP DATABASE IF EXISTS {name}",
               f"could not drop the scratch database {name}; drop it by hand")


def _admin(engine: Engine, statement: str, failure: str) -> None:
    """CREATE and DROP DATABASE run outside a transaction. The name in `statement` is ours
    (letters, digits and underscores), never input."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))
    except SQLAlchemyError as error:
        raise NotVerified(f"{failure}: {error.orig or error}") from None


def _integrity_check(scratch: Engine) -> None:
    if scratch.dialect.name != "sqlite":
        return  # pg_restore --single-transaction has already refused a dump it cannot load
    with scratch.connect() as conn:
        result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        raise NotVerified("SQLite's integrity check failed: " + "; ".join(result[:5]))


def _differences(copied: set[str], live: set[str]) -> str:
    missing, extra = sorted(live - copied), sorted(copied - live)
    return "; ".join(part for part in (
        "missing " + ", ".join(missing) if missing else "",
        "not in the database " + ", ".join(extra) if extra else "") if part)
