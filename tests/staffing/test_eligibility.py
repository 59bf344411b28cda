"""Pick-up rules at their boundaries: DBS and training on the shift's dates, overlap, the
48-hour average, rest and induction; each refusal names its rule."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from homes_app.extensions import db
from homes_app.staffing.people.compliance import years_after
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota.models import Shift
from homes_app.staffing.settings import StaffingSettings, store

from .support import NOW, days, shift, shift_type, staff, state


@pytest.fixture
def home(make):
    return make.home(beds=2, name="Ash House")


def pick(s, person):
    result = relief.pick_up_shift(s.id, person.id, actor=None, now=NOW)
    db.session.commit()
    return result


def refused(s, person) -> str:
    before = state()
    with pytest.raises(relief.Refused) as error:
        relief.pick_up_shift(s.id, person.id, actor=None, now=NOW)
    db.session.rollback()
    assert state() == before
    return " ".join(error.value.reasons)


def dbs_issued_for_last_day(last_day: date) -> date:
    """An issue date whose three-year re-check makes `last_day` the last day it counts."""
    return years_after(last_day + timedelta(days=1), -3)


def test_dbs_that_runs_out_the_day_before_the_shift_is_refused(home):
    day_shift = shift(home, shift_type(home), days(3), offered=True)
    person = staff(inducted=[home], dbs_issued_on=dbs_issued_for_last_day(days(2)))
    message = refused(day_shift, person)
    assert message.startswith("DBS check: your enhanced DBS check counts until 24 November 2026")


def test_dbs_that_runs_out_on_the_day_of_a_day_shift_still_counts(home):
    day_shift = shift(home, shift_type(home), days(3), offered=True)
    person = staff(inducted=[home], dbs_issued_on=dbs_issued_for_last_day(days(3)))
    assert pick(day_shift, person).shift.assignee_id == person.id


def test_dbs_that_runs_out_on_the_day_a_night_shift_starts_is_refused(home):
    """The shift crosses midnight into a day the DBS no longer covers."""
    night = shift(home, shift_type(home, "Waking night", time(22), time(8), "waking_night"),
                  days(3), offered=True)
    person = staff(inducted=[home], dbs_issued_on=dbs_issued_for_last_day(days(3)))
    assert "this shift runs until 26 November 2026 08:00" in refused(night, person)


def test_no_barred_list_check_is_refused(home):
    s = shift(home, shift_type(home), days(3), offered=True)
    person = staff(inducted=[home], dbs_barred_list=False)
    assert "no enhanced DBS check with the children's barred list" in refused(s, person)


def test_mandatory_training_that_runs_out_before_the_shift_is_refused(home):
    s = shift(home, shift_type(home), days(3), offered=True)
    person = staff(inducted=[home], vetted_until=days(2))
    message = refused(s, person)
    assert "Mandatory training: your Safeguarding training counts until 24 November 2026" \
        in message
    assert staff(inducted=[home], vetted_until=days(3)) and pick(s, staff(
        inducted=[home], vetted_until=days(3))).shift.cover == "relief"


def test_the_training_list_is_a_council_setting(home):
    store(StaffingSettings(mandatory_training=("Safeguarding", "Epilepsy awareness")))
    db.session.commit()
    s = shift(home, shift_type(home), days(3), offered=True)
    assert "no Epilepsy awareness training is recorded" in refused(s, staff(inducted=[home]))


def test_an_overlapping_shift_is_refused(home):
    st = shift_type(home)
    person = staff(inducted=[home])
    mine = shift(home, st, days(3), assignee=person)
    other_home = db.session.merge(home)
    clash = shift(other_home, shift_type(home, "Late", time(14), time(23)), days(3),
                  offered=True)
    assert "Overlap: you already work Long day at Ash House from 25 November 2026 08:00" \
        in refused(clash, person)
    assert mine.assignee_id == person.id


def test_more_than_48_hours_a_week_on_average_is_refused_unless_opted_out(home):
    st = shift_type(home, "Day", time(8), time(20))  # 12 hours
    person = staff(inducted=[home])
    # 17 weeks ending with the week of 30 Nov - 6 Dec 2026; 68 twelve-hour shifts = 816 h,
    # and the 9-hour sleep-in makes 825 h: 48.5 a week.
    first = date(2026, 8, 10)
    for n in range(68):
        shift(home, st, first + timedelta(days=n * 110 // 68), assignee=person)
    db.session.expire_all()
    extra = shift(home, shift_type(home, "Sleep-in", time(22), time(7), "sleep_in"),
                  date(2026, 12, 2), offered=True)
    message = refused(extra, person)
    assert message.startswith("48-hour week: with this shift your working time (sleep-ins "
                              "included) over the 17 weeks from 10 August 2026 to 6 December "
                              "2026 would average 48.5 hours a week")
    person.opted_out_48h = True
    db.session.commit()
    assert pick(extra, person).shift.assignee_id == person.id


def test_short_rest_is_a_warning_held_for_the_manager(home):
    person = staff(inducted=[home])
    shift(home, shift_type(home, "Late", time(14), time(22)), days(3), assignee=person)
    early = shift(home, shift_type(home, "Early", time(7), time(15)), days(4), offered=True)
    result = pick(early, person)
    assert result.pending and result.verdict.short_rest
    assert "Rest: only 9 hours' rest after Late at Ash House" in result.verdict.warnings[0]
    db.session.expire_all()
    assert db.session.get(Shift, early.id).claim_pending


def test_short_rest_can_be_a_refusal_by_council_setting(home):
    store(StaffingSettings(short_rest="block"))
    db.session.commit()
    person = staff(inducted=[home])
    shift(home, shift_type(home, "Late", time(14), time(22)), days(3), assignee=person)
    early = shift(home, shift_type(home, "Early", time(7), time(15)), days(4), offered=True)
    assert "The council does not allow shorter rest" in refused(early, person)


def test_someone_not_inducted_at_the_home_needs_an_induction_shift(home):
    s = shift(home, shift_type(home), days(3), offered=True)
    result = pick(s, staff())
    assert result.pending and result.verdict.induction
    assert "not been inducted at Ash House" in result.verdict.warnings[0]
