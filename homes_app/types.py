"""Column types shared by the domains."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The largest number an Integer column (every id, count and amount) holds on PostgreSQL, 32
# bits; SQLite's hold 64. Anything larger from a request is refused before any query.
LARGEST_INTEGER = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Stores an aware datetime as UTC and gives it back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
