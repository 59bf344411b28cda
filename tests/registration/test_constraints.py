"""What the database itself refuses, whatever the code: a second open occurrence of a rule at
a home, a second decision step, a step following itself, a full inspection without its
judgements, a Reg 40 notification before its event."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from homes_app import clock
from homes_app.clock import LONDON
from homes_app.extensions import db
from homes_app.registration.compliance.models import (
    ComplianceOccurrence,
    ComplianceRule,
    InspectionOutcome,
    Reg40Notification,
)
from homes_app.registration.plans.models import PlanStep, StepDependency

from .support import TODAY, step_named


def refused(*rows) -> None:
    db.session.add_all(rows)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_open_occurrence_of_a_rule_per_home(world):
    gas = db.session.scalar(select(ComplianceRule).where(ComplianceRule.key == "gas"))
    refused(ComplianceOccurrence(home_id=world.open.id, rule_id=gas.id, kind="due",
                                 due_on=TODAY))
    db.session.add(ComplianceOccurrence(home_id=world.open.id, rule_id=gas.id, kind="report",
                                        due_on=TODAY))  # reports may pile up
    db.session.flush()
    db.session.rollback()


def test_one_decision_step_per_plan_and_no_step_after_itself(world):
    step = step_named(world.new.id, "Property")
    refused(PlanStep(plan_id=step.plan_id, home_id=step.home_id, position=20,
                     name="Another decision", kind="decision", owner="", evidence=""))
    refused(StepDependency(step_id=step.id, depends_on_id=step.id, lag_days=0))
    other = step_named(world.new.id, "Works")
    refused(StepDependency(step_id=other.id, depends_on_id=step.id, lag_days=-1))


def test_a_full_inspection_has_its_judgements_and_a_notification_follows_its_event(world):
    refused(InspectionOutcome(home_id=world.open.id, inspected_on=date(2026, 6, 1),
                              inspection_type="full", overall_experiences="good",
                              note="", recorded_at=clock.utcnow()))
    event_at = datetime(2026, 11, 21, 9, tzinfo=LONDON)
    refused(Reg40Notification(home_id=world.open.id, event_type="police", event_at=event_at,
                              summary="x", notified_at=event_at - timedelta(minutes=1),
                              notified_to="ofsted", recorded_at=clock.utcnow()))
    refused(Reg40Notification(home_id=world.open.id, event_type="police", event_at=event_at,
                              summary="x", notified_at=event_at, notified_to="",
                              recorded_at=clock.utcnow()))
