"""Staffing rules at their thresholds, at the frozen moment (Sunday 22 Nov 2026 10:00 London):
uncovered shifts within 48 hours (urgent within 12), staffing below the minimum, staff checks
due or overdue, and relief workers near the 48-hour average."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from homes_app.alerts import staffing_rules
from homes_app.extensions import db
from homes_app.staffing.people.models import TrainingRecord
from tests.staffing.support import shift, shift_type, staff

from .conftest import TODAY


@pytest.mark.parametrize(("day", "starts", "expected"), [
    (0, time(9, 59), None),  # started a minute ago
    (0, time(21, 59), "high"),  # in 11h59: urgent
    (0, time(22, 0), "medium"),  # in exactly 12 hours: not urgent
    (2, time(9, 59), "medium"),  # in 47h59
    (2, time(10, 0), None),  # in exactly 48 hours: beyond the horizon
])
def test_an_uncovered_shift_within_the_horizon(make, context, day, starts, expected):
    home = make.home(beds=1)
    st = shift_type(home, name="Sleep-in", starts=starts, ends=time(23, 59)
                    if starts < time(23, 59) else time(8))
    s = shift(home, st, TODAY + timedelta(days=day))
    found = staffing_rules.shift_uncovered(context(shift_horizon_hours=48, urgent_hours=12))
    assert [(c.subject_id, c.severity) for c in found] == (
        [(s.id, expected)] if expected else [])


def test_a_covered_shift_is_not_uncovered(make, context):
    home = make.home(beds=1)
    st = shift_type(home, starts=time(20), ends=time(23))
    shift(home, st, TODAY, assignee=staff(home))
    assert staffing_rules.shift_uncovered(context()) == []


@pytest.mark.parametrize(("covered", "raised"), [(1, True), (2, False), (3, False)])
def test_planned_staffing_below_the_minimum(make, context, covered, raised):
    home = make.home(beds=1)
    st = shift_type(home, starts=time(15), ends=time(23), minimum={0: 2})
    for _ in range(covered):
        shift(home, st, TODAY, assignee=staff(home))
    found = staffing_rules.staffing_below_minimum(context(staffing_days=1))
    assert len(found) == (1 if raised else 0)
    if raised:
        assert found[0].message == (f"{home.name}: Long day on 22 Nov 2026: {covered} staff "
                                    "planned, the minimum is 2.")


def test_a_shift_already_begun_is_not_alerted_as_understaffed(make, context):
    home = make.home(beds=1)
    shift_type(home, starts=time(7), ends=time(15), minimum={0: 2})  # began at 07:00 today
    assert staffing_rules.staffing_below_minimum(context(staffing_days=1)) == []
    found = staffing_rules.staffing_below_minimum(context(staffing_days=2))
    assert [c.key.rsplit(":", 1)[1] for c in found] == ["2026-11-23"]


def test_the_minimum_depends_on_the_children_expected(make, context):
    """Two staff from two children: with one child in, one covered shift is enough."""
    from homes_app.placements import services as moves

    home = make.home(beds=2)
    st = shift_type(home, starts=time(15), ends=time(23), minimum={0: 1, 2: 2})
    shift(home, st, TODAY, assignee=staff(home))
    moves.admit_child(home.id, home.beds[0].id, make.child(), TODAY - timedelta(days=5),
                      emergency=False, actor=None, today=TODAY)
    db.session.commit()
    assert staffing_rules.staffing_below_minimum(context(staffing_days=1)) == []
    moves.admit_child(home.id, home.beds[1].id, make.child(), TODAY - timedelta(days=1),
                      emergency=False, actor=None, today=TODAY)
    db.session.commit()
    assert len(staffing_rules.staffing_below_minimum(context(staffing_days=1))) == 1


def _training_alerts(found, person):
    return [c for c in found if c.staff_id == person.id and "first-aid" in c.key]


@pytest.mark.parametrize(("days", "due", "overdue"), [
    (31, False, False), (30, True, False), (0, True, False), (-1, False, True)])
def test_a_staff_training_expiry_near_or_passed(make, context, days, due, overdue):
    home = make.home(beds=1)
    person = staff(home, vetted_until=TODAY + timedelta(days=400))
    record = db.session.query(TrainingRecord).filter_by(staff_id=person.id,
                                                        course="First aid").one()
    record.valid_until = TODAY + timedelta(days=days)
    db.session.commit()
    c = context(staff_lead_days=30)
    assert len(_training_alerts(staffing_rules.staff_check_due(c), person)) == int(due)
    assert len(_training_alerts(staffing_rules.staff_check_overdue(c), person)) == int(overdue)


def test_a_missing_dbs_and_an_overdue_level_3_are_overdue(make, context):
    home = make.home(beds=1)
    person = staff(home, dbs_issued_on=None, dbs_barred_list=False,
                   started_on=TODAY - timedelta(days=800), last_appraisal_on=TODAY)
    found = staffing_rules.staff_check_overdue(context())
    messages = sorted(c.message for c in found if c.staff_id == person.id)
    assert len(messages) == 2
    assert "Enhanced DBS with barred list is not recorded." in messages[0]
    assert "Level 3 Diploma" in messages[1]
    assert all(c.home_id == home.id for c in found)


def test_a_relief_alert_concerns_the_person_not_a_home(make, context):
    person = staff(None, dbs_issued_on=None, dbs_barred_list=False)
    [c] = [c for c in staffing_rules.staff_check_overdue(context())
           if c.staff_id == person.id and "dbs" in c.key]
    assert c.home_id is None


@pytest.mark.parametrize(("ends", "raised"), [(time(22, 59), False), (time(23), True)])
def test_a_relief_worker_at_the_warning_average(make, context, ends, raised):
    """Warning at 1 hour a week: 17 hours over the 17-week reference period."""
    home = make.home(beds=1)
    person = staff(None)
    st = shift_type(home, starts=time(6), ends=ends)
    shift(home, st, TODAY - timedelta(days=3), assignee=person)
    found = staffing_rules.relief_hours(context(relief_warn_hours=1))
    assert [c.staff_id for c in found] == ([person.id] if raised else [])


def test_a_relief_worker_who_opted_out_is_not_warned(make, context):
    home = make.home(beds=1)
    person = staff(None, opted_out_48h=True)
    shift(home, shift_type(home, starts=time(6), ends=time(23)), TODAY, assignee=person)
    assert staffing_rules.relief_hours(context(relief_warn_hours=1)) == []
