"""The calendar rules of an open home, as pure functions of dates: month arithmetic, Ofsted's
inspection year and its windows, and the Reg 40 deadline.

A recurring obligation falls due a number of months after it was last done (not after it was
last due): a Reg 45 review completed early or late sets the next one from its completion date.
Adding months keeps the day of the month where it can and otherwise takes the month's last day
(31 January + 1 month = 28 or 29 February).
"""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

INSPECTION_YEAR_STARTS = 4  # April: Ofsted's inspection year runs 1 April to 31 March
# Judgements after which Ofsted inspects twice in an inspection year.
TWICE_A_YEAR = {"requires_improvement", "inadequate"}
REG40_HOURS = 24


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, on the same day of the month or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(completed_on: date, interval_months: int) -> date:
    """When an obligation done on `completed_on` is next due."""
    return add_months(completed_on, interval_months)


def first_due(registered_on: date | None, interval_months: int, today: date) -> date:
    """The first due date when a home's calendar starts: one interval after registration, or
    today for a home that was open before (so its last completion gets recorded)."""
    if registered_on is None:
        return today
    return max(add_months(registered_on, interval_months), today)


# ---- Ofsted's inspection year ----------------------------------------------------------------

def inspection_year(day: date) -> tuple[date, date]:
    """The inspection year holding `day`: (1 April, 31 March), both inclusive."""
    first_year = day.year if day.month >= INSPECTION_YEAR_STARTS else day.year - 1
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


def inspections_a_year(judgement: str | None) -> int:
    """Full inspections expected per inspection year after `judgement` (overall experiences
    and progress of the latest full inspection): two after requires improvement or
    inadequate, otherwise one."""
    return 2 if judgement in TWICE_A_YEAR else 1


def inspection_window(day: date, per_year: int) -> tuple[date, date]:
    """The window holding `day`: the inspection year, or its half (1 April to 30 September,
    1 October to 31 March) when two inspections a year are expected."""
    opens, closes = inspection_year(day)
    if per_year == 1:
        return opens, closes
    middle = date(opens.year, 10, 1)
    return (opens, middle - timedelta(days=1)) if day < middle else (middle, closes)


def next_inspection_window(inspected_on: date, judgement: str | None) -> tuple[date, date]:
    """The window for the next full inspection after one on `inspected_on` with `judgement`:
    the window after the one that inspection fell in, sized by the judgement."""
    per_year = inspections_a_year(judgement)
    _, closes = inspection_window(inspected_on, per_year)
    return inspection_window(closes + timedelta(days=1), per_year)


def first_inspection_window(start: date, latest: tuple[date, str | None] | None
                            ) -> tuple[date, date]:
    """The window a home's calendar starts with: after its latest full inspection (date and
    judgement) if one is recorded, otherwise the inspection year holding `start`."""
    if latest is not None:
        return next_inspection_window(*latest)
    return inspection_year(start)


# ---- Reg 40 notifications --------------------------------------------------------------------

def reg40_deadline(event_at: datetime) -> datetime:
    """24 elapsed hours after the event (in UTC, so a clock change neither adds nor takes an
    hour: adding hours to a Europe/London time would count wall-clock hours)."""
    if event_at.tzinfo is None:
        raise ValueError("the event's time must be aware")
    return event_at.astimezone(UTC) + timedelta(hours=REG40_HOURS)


def reg40_overdue(event_at: datetime, notified_at: datetime | None, now: datetime) -> bool:
    """Notified more than 24 hours after the event, or not yet and the 24 hours are over."""
    deadline = reg40_deadline(event_at)
    return (notified_at.astimezone(UTC) if notified_at else now.astimezone(UTC)) > deadline
