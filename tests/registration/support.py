"""Helpers for the registration tests: the frozen day, form dates, counts, page text."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select

from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.registration.compliance.models import (
    ComplianceOccurrence,
    InspectionOutcome,
    Reg40Notification,
)
from homes_app.registration.plans.models import (
    PlanStep,
    RegistrationPlan,
    StepAttachment,
    StepDependency,
)
from homes_app.registration.templates.models import TemplateDependency, TemplateStep

TODAY = date(2026, 11, 22)  # the frozen clock in tests/conftest.py


def day(d: date) -> list[str]:
    """A date as the three GOV.UK date boxes post it."""
    return [str(d.day), str(d.month), str(d.year)]


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def field_error(response, field: str) -> str:
    html = response.get_data(as_text=True)
    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', html,
                      re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", found.group(1)))).strip() \
        if found else ""


def step_named(home_id: int, fragment: str) -> PlanStep:
    return db.session.scalars(select(PlanStep).where(
        PlanStep.home_id == home_id, PlanStep.name.contains(fragment))).one()


def state() -> dict:
    """Everything this domain writes, and the homes, to prove a refusal changed nothing."""
    db.session.expire_all()
    tables = (RegistrationPlan, PlanStep, StepDependency, StepAttachment, TemplateStep,
              TemplateDependency, ComplianceOccurrence, InspectionOutcome, Reg40Notification,
              AuditEvent)
    steps = [(s.id, s.name, s.owner, s.target_on, s.actual_on, s.evidence)
             for s in db.session.scalars(select(PlanStep).order_by(PlanStep.id))]
    deps = sorted(db.session.execute(select(StepDependency.step_id,
                                            StepDependency.depends_on_id,
                                            StepDependency.lag_days)).all())
    homes = [(h.id, h.status, h.ofsted_urn, h.registered_on, h.max_children, h.version)
             for h in db.session.scalars(select(Home).order_by(Home.id))]
    plans = [(p.id, p.version, p.approved_at) for p in db.session.scalars(
        select(RegistrationPlan).order_by(RegistrationPlan.id))]
    occurrences = [(o.id, o.due_on, o.completed_on) for o in db.session.scalars(
        select(ComplianceOccurrence).order_by(ComplianceOccurrence.id))]
    return {"counts": {t.__tablename__: db.session.scalar(select(func.count()).select_from(t))
                       for t in tables},
            "steps": steps, "deps": deps, "homes": homes, "plans": plans,
            "occurrences": occurrences}


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def scope_records(home) -> dict:
    """A record of each kind this domain keeps for `home`, written directly, with the shared
    template step and rule: ids for tests/test_home_scope.py's walk of the URL map."""
    from homes_app import clock
    from homes_app.registration import seed
    from homes_app.registration.compliance.models import ComplianceRule

    seed.seed_template()
    seed.seed_rules()
    now = clock.utcnow()
    plan = RegistrationPlan(home_id=home.id, starts_on=TODAY, created_at=now, version=1,
                            changed_since_approval=False)
    db.session.add(plan)
    db.session.flush()
    step = PlanStep(plan_id=plan.id, home_id=home.id, position=1, name="Works done",
                    kind="step", owner="", evidence="")
    db.session.add(step)
    db.session.flush()
    attachment = StepAttachment(step_id=step.id, home_id=home.id, file_name="a.pdf",
                                kept_at="x", added_at=now)
    rule = db.session.scalars(select(ComplianceRule).order_by(ComplianceRule.id)).first()
    occurrence = ComplianceOccurrence(home_id=home.id, rule_id=rule.id, kind="due",
                                      due_on=TODAY)
    event = Reg40Notification(home_id=home.id, event_type="police", event_at=now, summary="x",
                              notified_to="", recorded_at=now)
    db.session.add_all([attachment, occurrence, event])
    db.session.flush()
    return {"step_id": step.id, "attachment_id": attachment.id, "occurrence_id": occurrence.id,
            "notification_id": event.id, "compliance_rule_id": rule.id,
            "template_step_id": db.session.scalars(select(TemplateStep.id)).first()}
