"""Shift times are London wall-clock times: a night crossing midnight, and the clock changes."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from homes_app.staffing.times import span

NIGHT = (time(22), time(8))


@pytest.mark.parametrize(("day", "hours"), [
    (date(2026, 11, 21), 10),  # an ordinary night, crossing midnight
    (date(2026, 10, 24), 11),  # clocks go back at 02:00 on 25 October 2026: an hour longer
    (date(2027, 3, 27), 9),  # clocks go forward at 01:00 on 28 March 2027: an hour shorter
    (date(2026, 10, 25), 10),  # the night after the change is ordinary again
    (date(2027, 3, 28), 10),
])
def test_a_night_shift_has_the_hours_the_clock_gives(day, hours):
    starts, ends, minutes = span(day, *NIGHT)
    assert minutes == hours * 60
    assert ends.date() == date(day.year, day.month, day.day + 1)
    assert (ends - starts).total_seconds() == hours * 3600


def test_times_are_stored_as_utc_moments_of_london_wall_clock():
    summer_start, _, _ = span(date(2026, 7, 1), time(7, 30), time(15))
    winter_start, _, _ = span(date(2026, 12, 1), time(7, 30), time(15))
    assert summer_start == datetime(2026, 7, 1, 6, 30, tzinfo=UTC)  # BST
    assert winter_start == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)  # GMT


def test_a_day_shift_on_the_change_day_is_counted_between_moments():
    # 00:00 to 08:00 on 25 October 2026 is nine hours of real time.
    assert span(date(2026, 10, 25), time(0), time(8))[2] == 9 * 60
    assert span(date(2027, 3, 28), time(0), time(8))[2] == 7 * 60


def test_a_night_shift_on_the_october_change_is_stored_an_hour_longer(make, frozen_clock):
    from homes_app import clock
    from homes_app.staffing.rota import services as rota

    from .support import shift_type

    frozen_clock.freeze(datetime(2026, 10, 1, 9, 0))
    home = make.home()
    night = shift_type(home, "Waking night", *NIGHT, "waking_night")
    october = rota.add_shift(home.id, shift_type=night, on_date=date(2026, 10, 24), actor=None,
                             now=clock.utcnow())
    ordinary = rota.add_shift(home.id, shift_type=night, on_date=date(2026, 10, 23),
                              actor=None, now=clock.utcnow())
    assert (october.minutes, ordinary.minutes) == (660, 600)
    assert october.ends_at == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
