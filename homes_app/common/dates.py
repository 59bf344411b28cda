"""Dates written for people to read, the same on every page, message and email; and the
range of dates a request may name."""
from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """'1 December 2026': in sentences, refusals and notices."""
    return f"{day:%-d %B %Y}"


def short_date(day: date) -> str:
    """'1 Dec 2026': in alert titles and lists, where space is short."""
    return day.strftime("%-d %b %Y")


# The days a record, rota or report can be about. A real date beyond them (year 1, year 9999)
# is refused like an impossible one, so a day or a week either side of it never overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def within_reach(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def iso_date(raw: str) -> date:
    """A date written 2026-11-23 (in a link or a filter); ValueError for an impossible one or
    one out of reach."""
    day = date.fromisoformat(raw)
    if not within_reach(day):
        raise ValueError(f"{raw} is out of reach")
    return day
