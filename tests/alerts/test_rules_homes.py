"""Occupancy, bed, registration and compliance rules, each just below, at and just above its
threshold, at an injected moment (the frozen clock: Sunday 22 Nov 2026 10:00 London)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from homes_app import clock
from homes_app.alerts import rules
from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse
from homes_app.placements import services as moves
from homes_app.registration import seed
from homes_app.registration.compliance.models import (
    ComplianceOccurrence,
    ComplianceRule,
    Reg40Notification,
)
from homes_app.registration.plans.models import PlanStep, RegistrationPlan

from .conftest import TODAY


def admit(home, bed_index: int, make, starts_on: date):
    stay = moves.admit_child(home.id, home.beds[bed_index].id, make.child(), starts_on,
                             emergency=False, actor=None, today=TODAY)
    db.session.commit()
    return stay


# ---- occupancy below target: 2 beds, target 50%, so 30 of the 60 bed-nights is the line ----

@pytest.mark.parametrize(("nights", "raised"), [(29, True), (30, False), (31, False)])
def test_occupancy_below_target_only_under_the_target(make, context, nights, raised):
    home = make.home(beds=2, target_occupancy_pct=50)
    admit(home, 0, make, TODAY - timedelta(days=min(nights, 30)))
    if nights > 30:
        admit(home, 1, make, TODAY - timedelta(days=nights - 30))
    found = rules.occupancy_below_target(context())
    assert [c.home_id for c in found] == ([home.id] if raised else [])
    if raised:
        assert "48.3% of registered places, below its 50% target" in found[0].message


# ---- full: no bed available tonight ------------------------------------------------------

def test_a_home_is_full_when_no_bed_is_available_tonight(make, context):
    full, one_free, held = make.home(beds=1), make.home(beds=2), make.home(beds=2)
    admit(full, 0, make, TODAY - timedelta(days=3))
    admit(one_free, 0, make, TODAY - timedelta(days=3))
    admit(held, 0, make, TODAY - timedelta(days=3))
    db.session.add(BedHold(bed_id=held.beds[1].id, reason="matching", starts_on=TODAY,
                           ends_on=None))
    db.session.commit()
    found = {c.home_id: c for c in rules.home_full(context())}
    assert set(found) == {full.id, held.id}
    assert "1 occupied, 1 held, 0 out of use" in found[held.id].message
    assert rules.all_homes_full(context()) == []


def test_all_homes_full_is_one_council_wide_alert(make, context):
    a, b = make.home(beds=1), make.home(beds=1)
    admit(a, 0, make, TODAY - timedelta(days=3))
    db.session.add(BedOutOfUse(bed_id=b.beds[0].id, reason="repairs", starts_on=TODAY,
                               ends_on=None))
    db.session.commit()
    [alert] = rules.all_homes_full(context())
    assert (alert.key, alert.home_id, alert.severity) == ("all_homes_full", None, "high")
    assert "All 2 open homes" in alert.message


# ---- a bed vacant for void_days nights or more --------------------------------------------

@pytest.mark.parametrize(("nights", "raised"), [(27, False), (28, True), (29, True)])
def test_a_bed_vacant_since_its_last_stay_ended(make, context, nights, raised):
    home = make.home(beds=1, weekly_unit_cost_pence=700000)
    stay = admit(home, 0, make, TODAY - timedelta(days=200))
    moves.discharge_child(stay, TODAY - timedelta(days=nights), destination="family",
                          planned=True, actor=None, today=TODAY)
    db.session.commit()
    found = rules.bed_void(context(void_days=28))
    assert len(found) == (1 if raised else 0)
    if raised:
        assert f"available for {nights} nights" in found[0].message
        assert f"about £{7000 * nights / 7:,.0f}" in found[0].message
        assert found[0].key == f"bed_void:{home.beds[0].id}:{stay.ends_on.isoformat()}"


def test_an_occupied_bed_or_a_bed_out_of_use_is_not_a_void_to_alert(make, context):
    home = make.home(beds=2)
    admit(home, 0, make, TODAY - timedelta(days=100))
    db.session.add(BedOutOfUse(bed_id=home.beds[1].id, reason="damage",
                               starts_on=TODAY - timedelta(days=90), ends_on=None))
    db.session.commit()
    assert rules.bed_void(context(void_days=1)) == []


# ---- registration milestones --------------------------------------------------------------

def plan_with(make, *steps: tuple[str, str, date | None, date | None]):
    home = make.home(beds=1, status="registering", registered_on=None, ofsted_urn=None)
    plan = RegistrationPlan(home_id=home.id, starts_on=TODAY - timedelta(days=100),
                            created_at=clock.utcnow(), version=1, changed_since_approval=False)
    db.session.add(plan)
    db.session.flush()
    made = []
    for n, (name, kind, target, done) in enumerate(steps, 1):
        step = PlanStep(plan_id=plan.id, home_id=home.id, position=n, name=name, kind=kind,
                        owner="", evidence="", target_on=target, actual_on=done,
                        completed_at=clock.utcnow() if done else None)
        db.session.add(step)
        made.append(step)
    db.session.commit()
    return home, made


@pytest.mark.parametrize(("days", "due", "overdue"), [
    (15, False, False), (14, True, False), (0, True, False), (-1, False, True)])
def test_a_milestone_due_within_the_lead_time_or_overdue(make, context, days, due, overdue):
    _home, [step] = plan_with(make, ("Fire risk assessment", "step",
                                     TODAY + timedelta(days=days), None))
    c = context(milestone_lead_days=14)
    assert [x.subject_id for x in rules.milestone_due(c)] == ([step.id] if due else [])
    assert [x.subject_id for x in rules.milestone_overdue(c)] == ([step.id] if overdue else [])


def test_a_done_milestone_raises_nothing(make, context):
    plan_with(make, ("Works", "step", TODAY - timedelta(days=5), TODAY - timedelta(days=6)))
    assert rules.milestone_overdue(context()) == rules.milestone_due(context()) == []


@pytest.mark.parametrize(("target_days", "late"), [(0, 0), (-1, 1), (-12, 12)])
def test_the_projected_opening_slipping_past_its_target(make, context, target_days, late):
    home, _ = plan_with(make, ("Open", "opening", TODAY + timedelta(days=target_days), None))
    found = rules.opening_slipping(context())
    assert [c.home_id for c in found] == ([home.id] if late else [])
    if late:
        assert f"is {late} days after its target" in found[0].message


# ---- compliance deadlines (the rule's own notice period) and Reg 40 -----------------------

@pytest.fixture
def rule(app):
    seed.seed_rules()
    rule = db.session.scalars(select(ComplianceRule).order_by(ComplianceRule.id)).first()
    rule.notice_days = 28
    db.session.commit()
    return rule


@pytest.mark.parametrize(("days", "due", "overdue"), [
    (29, False, False), (28, True, False), (0, True, False), (-1, False, True)])
def test_a_compliance_deadline_within_notice_or_overdue(make, context, rule, days, due,
                                                        overdue):
    home = make.home(beds=1)
    occurrence = ComplianceOccurrence(home_id=home.id, rule_id=rule.id, kind="due",
                                      due_on=TODAY + timedelta(days=days))
    db.session.add(occurrence)
    db.session.commit()
    c = context()
    assert [x.subject_id for x in rules.compliance_due(c)] == ([occurrence.id] if due else [])
    assert [x.subject_id for x in rules.compliance_overdue(c)] == (
        [occurrence.id] if overdue else [])


@pytest.mark.parametrize(("hours_ago", "late"), [(23.9, False), (24, False), (24.1, True)])
def test_a_reg40_notification_not_made_within_24_hours(make, context, hours_ago, late):
    home = make.home(beds=1)
    event = Reg40Notification(home_id=home.id, event_type="police",
                              event_at=clock.utcnow() - timedelta(hours=hours_ago),
                              summary="x", notified_to="", recorded_at=clock.utcnow())
    db.session.add(event)
    db.session.commit()
    found = rules.reg40_late(context())
    assert [c.subject_id for c in found] == ([event.id] if late else [])


def test_a_reg40_notification_made_in_time_raises_nothing(make, context):
    home = make.home(beds=1)
    event_at = clock.utcnow() - timedelta(days=3)
    db.session.add(Reg40Notification(home_id=home.id, event_type="police", event_at=event_at,
                                     summary="x", notified_to="ofsted",
                                     notified_at=event_at + timedelta(hours=2),
                                     recorded_at=clock.utcnow()))
    db.session.commit()
    assert rules.reg40_late(context()) == []


def test_rules_use_the_moment_they_are_given(make, context):
    """The same record is due or overdue depending only on the injected moment."""
    _home, [step] = plan_with(make, ("Works", "step", TODAY, None))
    later = rules.Context(datetime(2026, 11, 23, 9, 0, tzinfo=clock.LONDON), TODAY
                          + timedelta(days=1), context().settings)
    assert [c.subject_id for c in rules.milestone_due(context())] == [step.id]
    assert [c.subject_id for c in rules.milestone_overdue(later)] == [step.id]
