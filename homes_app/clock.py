"""The one reader of the wall clock: now() and today() in Europe/London, settable in tests."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_frozen: datetime | None = None


def now() -> datetime:
    """The current moment as an aware datetime in Europe/London."""
    if _frozen is not None:
        return _frozen.astimezone(LONDON)
    return datetime.now(UTC).astimezone(LONDON)


def today() -> date:
    """Today's date in Europe/London (a night starts on this date)."""
    return now().date()


def utcnow() -> datetime:
    """The current moment in UTC, for audit and storage."""
    return now().astimezone(UTC)


def freeze(moment: datetime | None) -> None:
    """Fix the clock at `moment` (aware, or naive meaning London); None releases it."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    _frozen = moment
