"""Each rule's date at its boundary: the day before, the day itself and the day after."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from homes_app.retention import rules
from homes_app.retention.rules import CHILD, SHIFTS, cutoff, due_on, month_of

DOB = date(2012, 5, 17)


def past_retention(anchor: date, today: date, rule=CHILD) -> bool:
    return anchor <= cutoff(today, rule)


def test_a_childs_record_is_past_retention_from_the_75th_birthday():
    birthday = date(2087, 5, 17)
    assert due_on(DOB, CHILD) == birthday
    assert not past_retention(DOB, birthday - timedelta(days=1))  # turns 75 tomorrow
    assert past_retention(DOB, birthday)                         # today
    assert past_retention(DOB, birthday + timedelta(days=1))     # yesterday


def test_a_child_born_on_29_february_is_due_on_1_march_in_a_year_without_one():
    leap_day = date(2012, 2, 29)
    assert due_on(leap_day, CHILD) == date(2087, 3, 1)  # 2087 has no 29 February
    assert not past_retention(leap_day, date(2087, 2, 28))
    assert past_retention(leap_day, date(2087, 3, 1))
    # In a year with one, 29 February itself.
    assert due_on(date(2013, 2, 28), rules.Rule("r", "", 75, "", "", "", False)) \
        == date(2088, 2, 28)
    assert not past_retention(date(2013, 3, 1), date(2088, 2, 29))
    assert past_retention(date(2013, 2, 28), date(2088, 2, 29))


def test_rota_records_are_kept_15_years_from_the_shift():
    assert due_on(date(2011, 3, 31), SHIFTS) == date(2026, 3, 31)
    assert not past_retention(date(2011, 3, 31), date(2026, 3, 30), SHIFTS)
    assert past_retention(date(2011, 3, 31), date(2026, 3, 31), SHIFTS)


def test_a_month_is_reviewed_only_once_its_last_day_is_past_retention():
    # 30 March 2026: 31 March 2011 is not yet past, so March 2011 is not a whole month.
    assert rules.last_whole_month(date(2026, 3, 30), SHIFTS) == date(2011, 3, 1)
    assert rules.last_whole_month(date(2026, 3, 31), SHIFTS) == date(2011, 4, 1)


def test_months_as_record_ids():
    assert rules.month_key(2011, 3) == 201103
    assert month_of(201103) == (date(2011, 3, 1), date(2011, 4, 1))
    assert month_of(201112) == (date(2011, 12, 1), date(2012, 1, 1))


@given(anchor=st.dates(date(1990, 1, 1), date(2030, 12, 31)),
       today=st.dates(date(2000, 1, 1), date(2110, 12, 31)),
       years=st.sampled_from([6, 15, 75]))
def test_the_cutoff_is_exactly_the_inverse_of_the_due_date(anchor, today, years):
    rule = rules.Rule("r", "", years, "", "", "", False)
    assert (due_on(anchor, rule) <= today) == (anchor <= cutoff(today, rule))
