"""Report periods: whole days from a first date to a last date, split into calendar months."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """The nights of `first` up to and including `last`; `end` is the day after."""

    first: date
    last: date

    @property
    def end(self) -> date:
        return self.last + timedelta(days=1)

    @property
    def nights(self) -> int:
        return (self.end - self.first).days

    @property
    def label(self) -> str:
        return f"{self.first:%-d %b %Y} to {self.last:%-d %b %Y}"

    def months(self) -> list[Month]:
        """Each calendar month the period touches, clipped to the period."""
        out, start = [], self.first
        while start < self.end:
            next_month = _first_of_next_month(start)
            out.append(Month(start, min(next_month, self.end)))
            start = next_month
        return out


@dataclass(frozen=True)
class Month:
    """Part of one calendar month: [start, end)."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def default_period(today: date) -> Period:
    """The last twelve whole months before the current one."""
    last = today.replace(day=1) - timedelta(days=1)
    return Period(_first_of_next_month(date(last.year - 1, last.month, 1)), last)
