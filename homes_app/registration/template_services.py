"""Administrators edit the council's data: the registration template's steps (add, rename,
reorder, remove, and which steps each follows) and the compliance rules. Plans already
started keep their own copy of the steps; a new or reactivated rule starts at every open home.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import changes, record, snapshot
from ..auth.models import Role
from ..errors import DomainError, NotAllowed
from ..extensions import db
from . import calendar_services
from .calendar_models import SCHEDULES, ComplianceRule
from .models import MAX_START_DAYS, STEP_KINDS, TemplateDependency, TemplateStep
from .services import check_follows


def _administrator(actor) -> None:
    if getattr(actor, "role", None) != Role.ADMINISTRATOR:
        raise NotAllowed()


def _flush(message: str, field: str) -> None:
    """Two administrators saving at once: a unique rule in the database settles it."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(message, field) from None


# ---- the registration template -------------------------------------------------------------

def _template() -> dict[int, TemplateStep]:
    return {s.id: s for s in db.session.scalars(select(TemplateStep))}


def _template_edges() -> list[tuple[int, int, int]]:
    return [(t.step_id, t.depends_on_id, t.lag_days)
            for t in db.session.scalars(select(TemplateDependency))]


def _checked_step(name: str, kind: str, start_days: int | None, owner: str,
                  step_id: int | None) -> tuple[str, str]:
    name, owner = (name or "").strip(), (owner or "").strip()
    if not name:
        raise DomainError("Enter the name of the step", "name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", "name")
    if db.session.scalar(select(TemplateStep.id).where(
            func.lower(TemplateStep.name) == name.lower(), TemplateStep.id != (step_id or -1))):
        raise DomainError(f"The template already has a step called {name}", "name")
    if kind not in STEP_KINDS:
        raise DomainError("Select what kind of step it is", "kind")
    if kind != "step" and db.session.scalar(select(TemplateStep.id).where(
            TemplateStep.kind == kind, TemplateStep.id != (step_id or -1))):
        raise DomainError(f"The template already has a step of this kind "
                          f"({STEP_KINDS[kind].split(':')[0].lower()})", "kind")
    if start_days is None or not 0 <= start_days <= MAX_START_DAYS:
        raise DomainError(f"Days from the start must be between 0 and {MAX_START_DAYS}",
                          "start_days")
    if len(owner) > 120:
        raise DomainError("The usual owner must be 120 characters or fewer", "default_owner")
    return name, owner


def _follows_of(step_id: int) -> dict[int, int]:
    return {t.depends_on_id: t.lag_days for t in db.session.scalars(
        select(TemplateDependency).where(TemplateDependency.step_id == step_id))}


def _set_follows(step: TemplateStep, follows: dict[int, int]) -> None:
    db.session.execute(delete(TemplateDependency).where(TemplateDependency.step_id == step.id))
    for before, lag in sorted(follows.items()):
        db.session.add(TemplateDependency(step_id=step.id, depends_on_id=before, lag_days=lag))


def _described(step: TemplateStep, follows: dict[int, int], steps) -> dict:
    out = snapshot(step)
    out["follows"] = {steps[b].name: lag for b, lag in sorted(follows.items()) if b in steps}
    return out


def add_template_step(*, name: str, kind: str, start_days: int | None, default_owner: str,
                      follows: dict[int, int], actor, today: date) -> TemplateStep:
    """A new step at the end of the template (new plans copy it)."""
    _administrator(actor)
    steps = _template()
    check_follows(steps, [], None, follows)
    name, owner = _checked_step(name, kind, start_days, default_owner, None)
    position = max((s.position for s in steps.values()), default=0) + 1
    step = TemplateStep(position=position, name=name, kind=kind, start_days=start_days,
                        default_owner=owner)
    db.session.add(step)
    _flush("Another step with this name or kind was saved at the same moment", "name")
    _set_follows(step, follows)
    db.session.flush()
    record(actor, "registration_template.add", step, after=_described(step, follows, steps))
    return step


def update_template_step(step_id: int, *, name: str, kind: str, start_days: int | None,
                         default_owner: str, follows: dict[int, int], actor,
                         today: date) -> TemplateStep:
    """Rename a template step, change its kind, days and the steps it follows; a loop of
    dependencies is refused."""
    _administrator(actor)
    step = db.session.get(TemplateStep, step_id)
    if step is None:
        raise DomainError("That step is not in the template")
    steps = _template()
    check_follows(steps, _template_edges(), step.id, follows)
    name, owner = _checked_step(name, kind, start_days, default_owner, step.id)
    if step.kind == "decision" and kind != "decision":
        raise DomainError("This step is the registration decision, which records the URN and "
                          "registers the home; rename it if you like, but keep its kind",
                          "kind")
    before = _described(step, _follows_of(step.id), steps)
    step.name, step.kind, step.start_days, step.default_owner = name, kind, start_days, owner
    _set_follows(step, follows)
    _flush("Another step with this name or kind was saved at the same moment", "name")
    old, new = changes(before, _described(step, follows, steps))
    if new:
        record(actor, "registration_template.update", step, before=old, after=new)
    return step


def remove_template_step(step_id: int, *, actor, today: date) -> None:
    """Take a step out of the template; plans already started keep their copy."""
    _administrator(actor)
    step = db.session.get(TemplateStep, step_id)
    if step is None:
        raise DomainError("That step is not in the template")
    if step.kind == "decision":
        raise DomainError("The registration decision records the URN and registers the home, "
                          "so every plan needs it: rename it rather than remove it")
    steps = _template()
    record(actor, "registration_template.remove", step,
           before=_described(step, _follows_of(step.id), steps))
    db.session.execute(delete(TemplateDependency).where(or_(
        TemplateDependency.step_id == step.id, TemplateDependency.depends_on_id == step.id)))
    db.session.delete(step)
    db.session.flush()
    _renumber()


def move_template_step(step_id: int, direction: str, *, actor, today: date) -> TemplateStep:
    """Move a step one place up or down the template's order."""
    _administrator(actor)
    if direction not in ("up", "down"):
        raise DomainError("Choose to move the step up or down")
    ordered = db.session.scalars(select(TemplateStep).order_by(TemplateStep.position,
                                                               TemplateStep.id)).all()
    index = next((i for i, s in enumerate(ordered) if s.id == step_id), None)
    if index is None:
        raise DomainError("That step is not in the template")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise DomainError(f"{ordered[index].name} is already {'first' if direction == 'up' else 'last'}")
    ordered[index], ordered[other] = ordered[other], ordered[index]
    step = ordered[other]
    before = step.position
    for position, s in enumerate(ordered, start=1):
        s.position = position
    db.session.flush()
    record(actor, "registration_template.move", step, before={"position": before},
           after={"position": step.position})
    return step


def _renumber() -> None:
    ordered = db.session.scalars(select(TemplateStep).order_by(TemplateStep.position,
                                                               TemplateStep.id)).all()
    for position, s in enumerate(ordered, start=1):
        if s.position != position:
            db.session.execute(update(TemplateStep).where(TemplateStep.id == s.id)
                               .values(position=position))


# ---- compliance rules ----------------------------------------------------------------------

def _checked_rule(name: str, schedule: str, interval_months: int | None, report_name: str,
                  report_due_days: int | None, notice_days: int | None,
                  rule_id: int | None) -> tuple[str, str]:
    name, report_name = (name or "").strip(), (report_name or "").strip()
    if not name:
        raise DomainError("Enter the name of the obligation", "name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", "name")
    if db.session.scalar(select(ComplianceRule.id).where(
            func.lower(ComplianceRule.name) == name.lower(), ComplianceRule.id != (rule_id or -1))):
        raise DomainError(f"There is already a rule called {name}", "name")
    if schedule not in SCHEDULES:
        raise DomainError("Select how it recurs", "schedule")
    if schedule == "months" and (interval_months is None or not 1 <= interval_months <= 120):
        raise DomainError("How often must be between 1 and 120 months", "interval_months")
    if report_due_days is not None and not 1 <= report_due_days <= 365:
        raise DomainError("The report's days must be between 1 and 365", "report_due_days")
    if report_name and report_due_days is None:
        raise DomainError("Enter how many days after each completion the report is due",
                          "report_due_days")
    if len(report_name) > 120:
        raise DomainError("The report's name must be 120 characters or fewer", "report_name")
    if notice_days is None or not 0 <= notice_days <= 365:
        raise DomainError("Days of notice must be between 0 and 365", "notice_days")
    return name, report_name


def update_rule(rule_id: int, *, name: str, interval_months: int | None, report_name: str,
                report_due_days: int | None, notice_days: int | None, active: bool, actor,
                today: date) -> ComplianceRule:
    """Change a rule: the next occurrences follow it; ones already due keep their dates. A
    rule made active again starts at every open home."""
    _administrator(actor)
    rule = db.session.get(ComplianceRule, rule_id)
    if rule is None:
        raise DomainError("That rule does not exist")
    months = interval_months if rule.schedule == "months" else None
    name, report_name = _checked_rule(name, rule.schedule, months, report_name,
                                      report_due_days, notice_days, rule.id)
    before = snapshot(rule)
    rule.name, rule.interval_months, rule.report_name = name, months, report_name
    rule.report_due_days, rule.notice_days, rule.active = report_due_days, notice_days, active
    _flush("Another rule with this name was saved at the same moment", "name")
    old, new = changes(before, snapshot(rule))
    if new:
        record(actor, "compliance_rule.update", rule, before=old, after=new)
    if new.get("active"):
        calendar_services.ensure_calendar(actor=actor, today=today)
    return rule


def add_rule(*, name: str, schedule: str, interval_months: int | None, report_name: str,
             report_due_days: int | None, notice_days: int | None, actor,
             today: date) -> ComplianceRule:
    """A new obligation for every open home, first due as a new calendar's would be."""
    _administrator(actor)
    months = interval_months if schedule == "months" else None
    name, report_name = _checked_rule(name, schedule, months, report_name, report_due_days,
                                      notice_days, None)
    if schedule == "inspection_year" and db.session.scalar(select(ComplianceRule.id).where(
            ComplianceRule.schedule == "inspection_year")):
        raise DomainError("There is already a rule for Ofsted's inspection year", "schedule")
    key = _key(name)
    position = (db.session.scalar(select(func.max(ComplianceRule.position))) or 0) + 1
    rule = ComplianceRule(key=key, name=name, position=position, schedule=schedule,
                          interval_months=months, report_name=report_name,
                          report_due_days=report_due_days, notice_days=notice_days, active=True)
    db.session.add(rule)
    _flush("Another rule with this name was saved at the same moment", "name")
    record(actor, "compliance_rule.add", rule, after=snapshot(rule))
    calendar_services.ensure_calendar(actor=actor, today=today)
    return rule


def _key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "rule"
    key, n = base, 1
    while db.session.scalar(select(ComplianceRule.id).where(ComplianceRule.key == key)):
        n += 1
        key = f"{base}_{n}"
    return key
