"""Every calendar rule at its boundaries: month ends and leap years, the inspection year's turn
on 1 April and its halves, Reg 45 reviews done early or late, and Reg 40's 24 hours across a
clock change."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homes_app.clock import LONDON
from homes_app.registration.compliance.recurrence import (
    add_months,
    first_due,
    first_inspection_window,
    inspection_window,
    inspection_year,
    inspections_a_year,
    next_due,
    next_inspection_window,
    reg40_deadline,
    reg40_overdue,
)


@pytest.mark.parametrize("start, months, expected", [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),   # not a leap year
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # a leap year
    (date(2028, 1, 29), 1, date(2028, 2, 29)),
    (date(2028, 1, 30), 1, date(2028, 2, 29)),
    (date(2027, 3, 31), 1, date(2027, 4, 30)),   # into a 30-day month
    (date(2027, 12, 31), 1, date(2028, 1, 31)),  # over the year's end
    (date(2027, 12, 15), 2, date(2028, 2, 15)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),   # Reg 45 from the end of August
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),  # a yearly check from 29 February
    (date(2028, 2, 29), 48, date(2032, 2, 29)),  # four years on: a leap year again
    (date(2024, 2, 29), 60, date(2029, 2, 28)),  # electrical installation, 5-yearly
    (date(2026, 11, 22), 0, date(2026, 11, 22)),
])
def test_adding_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 120))
def test_adding_months_lands_in_the_right_month_never_past_its_end(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and
                                       (result + timedelta(days=1)).day == 1)


def test_the_next_occurrence_counts_from_the_day_it_was_done_not_from_its_due_date():
    due = date(2027, 6, 1)
    early, late = date(2027, 5, 10), date(2027, 6, 20)  # a Reg 45 review done early, late
    assert next_due(early, 6) == date(2027, 11, 10)
    assert next_due(late, 6) == date(2027, 12, 20)
    assert next_due(due, 6) == date(2027, 12, 1)
    assert next_due(date(2027, 1, 31), 1) == date(2027, 2, 28)  # Reg 44 at a month's end


def test_a_new_home_is_first_due_one_interval_after_registration_an_old_one_today():
    today = date(2026, 11, 22)
    assert first_due(date(2026, 10, 31), 1, today) == date(2026, 11, 30)
    assert first_due(date(2026, 8, 31), 6, today) == date(2027, 2, 28)
    assert first_due(date(2006, 3, 14), 12, today) == today  # open long before the calendar
    assert first_due(None, 12, today) == today


@pytest.mark.parametrize("day, expected", [
    (date(2027, 3, 31), (date(2026, 4, 1), date(2027, 3, 31))),
    (date(2027, 4, 1), (date(2027, 4, 1), date(2028, 3, 31))),
    (date(2027, 1, 1), (date(2026, 4, 1), date(2027, 3, 31))),
    (date(2027, 12, 31), (date(2027, 4, 1), date(2028, 3, 31))),
    (date(2028, 2, 29), (date(2027, 4, 1), date(2028, 3, 31))),
])
def test_the_inspection_year_turns_on_1_april(day, expected):
    assert inspection_year(day) == expected


def test_twice_a_year_after_requires_improvement_or_inadequate():
    assert inspections_a_year("requires_improvement") == 2
    assert inspections_a_year("inadequate") == 2
    assert inspections_a_year("good") == 1
    assert inspections_a_year("outstanding") == 1
    assert inspections_a_year(None) == 1
    assert inspection_window(date(2026, 9, 30), 2) == (date(2026, 4, 1), date(2026, 9, 30))
    assert inspection_window(date(2026, 10, 1), 2) == (date(2026, 10, 1), date(2027, 3, 31))


@pytest.mark.parametrize("inspected, judgement, expected", [
    # Good: once a year, so the next is in the next inspection year.
    (date(2026, 5, 12), "good", (date(2027, 4, 1), date(2028, 3, 31))),
    (date(2027, 3, 31), "good", (date(2027, 4, 1), date(2028, 3, 31))),  # last day of the year
    (date(2027, 4, 1), "outstanding", (date(2028, 4, 1), date(2029, 3, 31))),  # first day
    # Requires improvement or inadequate: the next half year.
    (date(2026, 7, 14), "requires_improvement", (date(2026, 10, 1), date(2027, 3, 31))),
    (date(2026, 9, 30), "inadequate", (date(2026, 10, 1), date(2027, 3, 31))),
    (date(2026, 10, 1), "inadequate", (date(2027, 4, 1), date(2027, 9, 30))),
    (date(2027, 3, 31), "requires_improvement", (date(2027, 4, 1), date(2027, 9, 30))),
    (date(2027, 4, 1), "requires_improvement", (date(2027, 10, 1), date(2028, 3, 31))),
])
def test_the_next_inspection_window_follows_the_latest_judgement(inspected, judgement, expected):
    assert next_inspection_window(inspected, judgement) == expected


def test_the_first_window_is_the_current_year_unless_an_inspection_is_known():
    assert first_inspection_window(date(2026, 11, 22), None) == (date(2026, 4, 1),
                                                                date(2027, 3, 31))
    assert first_inspection_window(date(2026, 11, 22), (date(2026, 6, 3), "good")) == (
        date(2027, 4, 1), date(2028, 3, 31))
    assert first_inspection_window(date(2026, 11, 22),
                                   (date(2026, 6, 3), "requires_improvement")) == (
        date(2026, 10, 1), date(2027, 3, 31))


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_reg40_allows_24_hours_of_real_time_across_the_spring_clock_change():
    # Clocks go forward at 01:00 GMT on 28 March 2027: 24 hours later reads 01:30 BST.
    event = london(2027, 3, 28, 0, 30)
    deadline = reg40_deadline(event)
    assert deadline == datetime(2027, 3, 29, 0, 30, tzinfo=UTC)
    assert deadline.astimezone(LONDON).strftime("%d %H:%M %Z") == "29 01:30 BST"
    assert (event + timedelta(hours=24)).strftime("%H:%M") == "00:30"  # the wall-clock trap
    assert not reg40_overdue(event, london(2027, 3, 29, 1, 30), london(2027, 3, 30, 9))
    assert reg40_overdue(event, london(2027, 3, 29, 1, 31), london(2027, 3, 30, 9))
    assert not reg40_overdue(event, None, london(2027, 3, 29, 1, 29))
    assert reg40_overdue(event, None, london(2027, 3, 29, 1, 31))


def test_reg40_allows_24_hours_of_real_time_across_the_autumn_clock_change():
    # Clocks go back at 02:00 BST on 31 October 2027: 24 hours later reads 23:30 GMT.
    event = london(2027, 10, 30, 23, 30)
    assert reg40_deadline(event).astimezone(LONDON).strftime("%d %H:%M %Z") == "31 22:30 GMT"
    assert reg40_overdue(event, None, london(2027, 10, 31, 22, 31))
    assert not reg40_overdue(event, None, london(2027, 10, 31, 22, 29))


def test_reg40_refuses_a_naive_time():
    with pytest.raises(ValueError):
        reg40_deadline(datetime(2027, 1, 1, 12))
