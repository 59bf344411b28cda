"""The backup rotation: the newest copy of each of the last few days that have copies, then the
newest copy of each of a few weeks before those; everything else is deleted."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from homes_app.backup.rotation import Copy, new_copy, parse, rotate
from homes_app.clock import LONDON


def nightly(first: datetime, nights: int) -> list[Copy]:
    return [Copy(first + timedelta(days=n)) for n in range(nights)]


def days(copies: list[Copy]) -> list[int]:
    return [copy.day.day for copy in copies]


def test_the_last_seven_nights_then_each_older_weeks_last_copy():
    # Nightly copies 1 to 22 November 2026; the 22nd is a Sunday, so the seven daily copies
    # are exactly its week, and the weekly copies are the Sundays before (1 November ends
    # an ISO week too).
    kept = rotate(nightly(datetime(2026, 11, 1, 2, 30), 22), keep_daily=7, keep_weekly=5).keep
    assert days(kept) == [22, 21, 20, 19, 18, 17, 16, 15, 8, 1]


def test_only_the_latest_copy_of_a_day_is_kept():
    morning, evening = Copy(datetime(2026, 11, 20, 2, 30)), Copy(datetime(2026, 11, 20, 18, 0))
    again = Copy(datetime(2026, 11, 20, 18, 0), sequence=2)
    plan = rotate([morning, evening, again], keep_daily=7, keep_weekly=5)
    assert plan.keep == [again] and plan.delete == [evening, morning]


def test_weeks_count_only_copies_older_than_the_daily_ones():
    # Thursday 12 and Wednesday 11 November are the daily copies; Monday 9 (the same week)
    # is that week's copy, then Sunday 8 for the week before; Saturday 7 goes.
    copies = [Copy(datetime(2026, 11, day, 2, 30)) for day in (7, 8, 9, 11, 12)]
    plan = rotate(copies, keep_daily=2, keep_weekly=2)
    assert days(plan.keep) == [12, 11, 9, 8] and days(plan.delete) == [7]


def test_a_gap_in_backups_does_not_age_the_last_good_copies_out():
    # Days are counted among days that have copies: after a month without a backup the
    # last seven copies taken are still the daily ones.
    old = nightly(datetime(2026, 10, 1, 2, 30), 7)
    today = Copy(datetime(2026, 11, 22, 2, 30))
    kept = rotate([*old, today], keep_daily=7, keep_weekly=0, just_made=today).keep
    assert kept == [today, *reversed(old[1:])]


def test_the_copy_just_made_is_kept_even_if_the_clock_was_set_back():
    later = nightly(datetime(2026, 11, 10, 2, 30), 3)
    just_made = Copy(datetime(2026, 11, 1, 2, 30))
    assert just_made in rotate([*later, just_made], 1, 0, just_made=just_made).keep


def test_names_carry_the_london_time_and_read_back():
    summer = datetime(2026, 7, 4, 0, 30, 59, tzinfo=UTC)  # 01:30 in London (BST)
    made = new_copy(summer, "pgdump", set())
    assert made.name == "homes-2026-07-04T0130.pgdump"
    assert parse(made.name) == made
    assert parse("homes-2026-07-04T0130-3.sqlite3") == Copy(datetime(2026, 7, 4, 1, 30), 3)


def test_a_second_copy_in_the_same_minute_gets_a_number_not_the_first_ones_name():
    moment = datetime(2026, 12, 4, 2, 30, tzinfo=LONDON)
    taken = {"homes-2026-12-04T0230.sqlite3", "homes-2026-12-04T0230-2.sqlite3.failed"}
    assert new_copy(moment, "sqlite3", taken).name == "homes-2026-12-04T0230-3.sqlite3"


def test_other_files_in_the_folder_are_never_copies():
    for name in ("notes.txt", "homes-2026-12-04T0230.sqlite3.failed",
                 "homes-2026-12-04T0230.sqlite3.partial", "homes-2026-02-30T0230.sqlite3",
                 "homes.sqlite3", "homes-2026-12-04T0230.sqlite3-journal"):
        assert parse(name) is None, name


moments = st.datetimes(datetime(2026, 1, 1), datetime(2026, 6, 30)).map(
    lambda moment: moment.replace(second=0, microsecond=0))
copies = st.sets(st.builds(Copy, moments, st.integers(1, 2)), min_size=1, max_size=60)
daily_counts, weekly_counts = st.integers(1, 8), st.integers(0, 6)


@given(copies, daily_counts, weekly_counts)
def test_every_copy_is_kept_or_deleted_and_the_newest_is_kept(found, keep_daily, keep_weekly):
    plan = rotate(list(found), keep_daily, keep_weekly, just_made=max(found))
    assert set(plan.keep) | set(plan.delete) == found
    assert not set(plan.keep) & set(plan.delete)
    assert max(found) in plan.keep
    assert len(plan.keep) <= keep_daily + keep_weekly


@given(copies, daily_counts, weekly_counts)
def test_each_of_the_last_days_keeps_exactly_its_newest_copy(found, keep_daily, keep_weekly):
    plan = rotate(list(found), keep_daily, keep_weekly)
    last_days = sorted({copy.day for copy in found}, reverse=True)[:keep_daily]
    for day in last_days:
        on_day = [copy for copy in found if copy.day == day]
        assert [copy for copy in plan.keep if copy.day == day] == [max(on_day)]


@given(copies, daily_counts, weekly_counts)
def test_nothing_is_kept_that_the_rule_does_not_name(found, keep_daily, keep_weekly):
    plan = rotate(list(found), keep_daily, keep_weekly)
    last_days = sorted({copy.day for copy in found}, reverse=True)[:keep_daily]
    older = [copy for copy in found if copy.day < min(last_days)]
    weeks = sorted({copy.week for copy in older}, reverse=True)[:keep_weekly]
    named = {max(c for c in found if c.day == day) for day in last_days} | {
        max(c for c in older if c.week == week) for week in weeks}
    assert set(plan.keep) == named


@given(copies, daily_counts, weekly_counts)
def test_rotating_what_was_kept_deletes_nothing(found, keep_daily, keep_weekly):
    kept = rotate(list(found), keep_daily, keep_weekly).keep
    again = rotate(kept, keep_daily, keep_weekly)
    assert again.delete == [] and again.keep == kept


@given(copies)
def test_every_name_reads_back_as_its_copy(found):
    assert all(parse(copy.name) == copy for copy in found)
