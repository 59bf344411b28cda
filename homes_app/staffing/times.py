"""Shift times: a home's local date and wall-clock times as aware UTC moments.

A shift whose end time is at or before its start time ends the next day. Hours are counted
between the UTC moments, so a night shift over the October clock change is an hour longer
and one over the March change an hour shorter.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ..clock import LONDON

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def local_moment(day: date, at: time) -> datetime:
    """The UTC moment of a London wall-clock time. A time the March change skips is read with
    the offset from before the change (01:30 is 02:30 BST); one the October change repeats is
    the first of the two."""
    return datetime.combine(day, at, LONDON).astimezone(UTC)


def span(day: date, starts: time, ends: time) -> tuple[datetime, datetime, int]:
    """(starts_at, ends_at, minutes) of a shift starting on `day` at `starts` until `ends`."""
    end_day = day if ends > starts else day + timedelta(days=1)
    begin, finish = local_moment(day, starts), local_moment(end_day, ends)
    return begin, finish, int((finish - begin).total_seconds() // 60)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def hm(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def hours(minutes: int) -> str:
    """Minutes as hours for people: 600 -> '10', 570 -> '9.5', 545 -> '9h 5m'."""
    whole, rest = divmod(minutes, 60)
    if rest == 0:
        return str(whole)
    if rest == 30:
        return f"{whole}.5"
    return f"{whole}h {rest}m"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def when(moment: datetime) -> str:
    """'23 November 2026 08:00' in London time."""
    return f"{local(moment):%-d %B %Y %H:%M}"
