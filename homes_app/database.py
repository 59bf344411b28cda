"""Engine settings per database: SQLite pragmas and write transactions, PostgreSQL URLs."""
from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Whether the transaction about to begin will write. SQLite then takes the write lock at BEGIN
# (BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of one failing later on a
# stale snapshot; reads (GET pages) begin deferred and never block writers in WAL mode.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


@contextmanager
def reading_only() -> Iterator[None]:
    token = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(token)


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
