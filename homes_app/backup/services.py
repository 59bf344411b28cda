"""A consistent copy of the database, and its restoration into an empty one.

SQLite: the online backup API copies a consistent snapshot while the app runs. PostgreSQL:
pg_dump's custom format (a consistent snapshot too) and pg_restore; see docs/operations.md."""
from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from contextlib import closing, nullcontext
from pathlib import Path

from sqlalchemy import MetaData, create_engine, func, inspect, literal, select, table, text
from sqlalchemy.engine import Connection, Engine, make_url

from ..errors import DomainError


def backup(engine: Engine, out: Path) -> Path:
    """Write a consistent copy of the database to `out`; refuses to overwrite."""
    _new_file(out)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine), str(out))
    else:
        _pg_dump(engine, out)
    return out


def counted_backup(engine: Engine, out: Path) -> dict[str, int]:
    """backup(), and the rows in each table of the copy as it was taken, to check a restore
    against. SQLite: counted in the copy itself. PostgreSQL: counted in the live database
    inside the very snapshot pg_dump copies (exported to it), so rows written meanwhile
    cannot make the counts differ from the dump's."""
    if engine.dialect.name == "sqlite":
        backup(engine, out)
        copy = create_engine(f"sqlite:///{out}")
        try:
            return row_counts(copy)
        finally:
            copy.dispose()
    _new_file(out)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
        counts = row_counts(conn)
        _pg_dump(engine, out, f"--snapshot={snapshot}")
    return counts


def row_counts(bind: Engine | Connection) -> dict[str, int]:
    """The number of rows in each table, by table name."""
    names = inspect(bind).get_table_names()
    with _connection(bind) as conn:
        return {name: conn.scalar(select(func.count()).select_from(table(name)))
                for name in names}


def restore(engine: Engine, source: Path) -> None:
    """Load a backup into an empty database (no tables yet, or only empty ones)."""
    if not source.exists():
        raise DomainError(f"No backup at {source}")
    _must_be_empty(engine)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        _sqlite_copy(str(source), _sqlite_path(engine))
    else:
        _run("pg_restore", "--no-owner", "--clean", "--if-exists", "--single-transaction",
             *_pg_args(engine, dbname_flag=True), str(source))


def _must_be_empty(engine: Engine) -> None:
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.connect() as conn:
        filled = [t.name for t in tables.sorted_tables if t.name != "alembic_version"
                  and conn.execute(select(literal(1)).select_from(t).limit(1)).first()]
    if filled:
        raise DomainError("Restore only into an empty database: these tables have rows: "
                          + ", ".join(sorted(filled)))


def _new_file(out: Path) -> None:
    if out.exists():
        raise DomainError(f"{out} already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)


def _connection(bind: Engine | Connection):
    """A connection to read with: `bind` itself if it is one (its transaction's snapshot)."""
    return nullcontext(bind) if isinstance(bind, Connection) else bind.connect()


def _pg_dump(engine: Engine, out: Path, *options: str) -> None:
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={out}", *options,
         *_pg_args(engine))


def _sqlite_copy(source: str, target: str) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sqlite_path(engine: Engine) -> str:
    return engine.url.database


def _pg_args(engine: Engine, dbname_flag: bool = False) -> list[str]:
    url = make_url(engine.url).set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    return [f"--dbname={conninfo}"] if dbname_flag else [conninfo]


def _run(tool: str, *args: str) -> None:
    path = shutil.which(tool) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), reverse=True)), None)
    if path is None:
        raise DomainError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run([path, *args], capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise DomainError(f"{tool} failed: {done.stderr.strip()[:500]}")
