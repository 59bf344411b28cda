"""SQL that compiles to SQLite and PostgreSQL alike: date arithmetic for interval sums, the
test for intervals that share a night, and CHECK constraints over a fixed list of values."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, and_, literal, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..errors import DomainError
from ..extensions import db

# Stands for "no end" in interval arithmetic: later than any real date.
FAR_FUTURE = date(9999, 12, 31)


class days_between(FunctionElement):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw):
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({end} - {start})"


class latest(FunctionElement):
    """The latest of several values (none may be NULL: coalesce first); dates by default."""

    inherit_cache = True
    name = "latest"

    def __init__(self, *clauses, type_=None):
        super().__init__(*clauses)
        self.type = type_ or Date()


class earliest(FunctionElement):
    """The earliest of several values (none may be NULL: coalesce first); dates by default."""

    inherit_cache = True
    name = "earliest"

    def __init__(self, *clauses, type_=None):
        super().__init__(*clauses)
        self.type = type_ or Date()


@compiles(latest, "sqlite")
def _latest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(latest, "postgresql")
def _latest_pg(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(earliest, "sqlite")
def _earliest_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(earliest, "postgresql")
def _earliest_pg(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


def as_date(value: date):
    """A bound date literal typed as a date on both databases."""
    return literal(value, Date())


def overlaps(start_col, end_col, start: date, end: date | None):
    """SQL: the column interval shares a night with [start, end)."""
    end = end or FAR_FUTURE
    return and_(start_col < end, or_(end_col.is_(None), end_col > start), start < end)


def one_of(column: str, values) -> str:
    """A CHECK constraint's text: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def flush_or_refuse(message: str, field: str | None = None) -> None:
    """Flush in a savepoint; a unique rule the database enforces (two people saving the same
    thing at once) becomes a clear refusal on `field` instead of an error page."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(message, field) from None
