"""A new home's registration plan: start it from the template, change its steps, complete
them, keep evidence, and have a service director approve it.

Each service takes the acting user and `today`, locks the home's row (one change to a home at
a time), checks who may act and the rules, changes rows, writes the audit entry and flushes.
It never commits. A form opened before another change to the plan is stale (StaleForm).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, or_, select

from ... import clock
from ...audit.services import record, snapshot
from ...auth.services import may_record_moves
from ...common.dates import long_date
from ...errors import DomainError, NotAllowed, StaleForm
from ...extensions import db
from ...homes.models import HOME_STATUSES
from ...homes.services import lock_home
from ..templates.models import TemplateDependency, TemplateStep
from ..templates.projection import check_follows, predecessors, topological
from .models import PlanStep, RegistrationPlan, StepAttachment, StepDependency

PLANNING = ("planned", "registering")
STALE = ("Since you opened this form, someone else changed this home's registration plan. "
         "Check the plan and submit again.")


@dataclass
class Registration:
    """What Ofsted's registration decision gives the home: its URN and conditions."""

    ofsted_urn: str
    max_children: int
    min_age: int
    max_age: int
    sex_admitted: str
    categories_of_need: tuple[str, ...]


# ---- who may, and the plan under the home's lock ------------------------------------------

def _manager(actor, home_id: int) -> None:
    if actor is None or not may_record_moves(actor, home_id):
        raise NotAllowed()


def locked_plan(home_id: int, seen_version: int | None) -> RegistrationPlan:
    """The home's plan, with the home row locked; a stale form version is refused."""
    lock_home(home_id)
    plan = db.session.scalar(select(RegistrationPlan).where(RegistrationPlan.home_id == home_id))
    if plan is None:
        raise DomainError("This home has no registration plan yet")
    db.session.refresh(plan)
    if seen_version is not None and plan.version != seen_version:
        raise StaleForm(STALE)
    return plan


def _step_of(step_id: int) -> PlanStep:
    step = db.session.get(PlanStep, step_id)
    if step is None:
        raise DomainError("That step is not in this plan")
    return step


def _changed(plan: RegistrationPlan, *, structure: bool) -> None:
    plan.version += 1
    if structure and plan.approved_at is not None:
        plan.changed_since_approval = True


def plan_edges(plan_id: int) -> list[tuple[int, int, int]]:
    return [(r.step_id, r.depends_on_id, r.lag_days) for r in db.session.scalars(
        select(StepDependency).join(PlanStep, PlanStep.id == StepDependency.step_id)
        .where(PlanStep.plan_id == plan_id))]


# ---- starting a plan -----------------------------------------------------------------------

def start_plan(home_id: int, starts_on: date, *, actor, today: date) -> RegistrationPlan:
    """Copy the council's template into a plan for a planned or registering home. Target
    dates follow the template's days from `starts_on` and between steps."""
    _manager(actor, home_id)
    home = lock_home(home_id)
    if home.status not in PLANNING:
        raise DomainError(f"{home.name} is {HOME_STATUSES[home.status].lower()}: only a "
                          "planned or registering home needs a registration plan")
    if db.session.scalar(select(RegistrationPlan.id).where(RegistrationPlan.home_id == home_id)):
        raise DomainError(f"{home.name} already has a registration plan")
    template = db.session.scalars(select(TemplateStep).order_by(TemplateStep.position)).all()
    if not template:
        raise DomainError("The council's registration template has no steps yet. Ask an "
                          "administrator to set it up.")
    if abs((starts_on - today).days) > 3 * 365:
        raise DomainError("The plan must start within three years of today", "starts_on")
    plan = RegistrationPlan(home_id=home_id, starts_on=starts_on, created_at=clock.utcnow(),
                            created_by_id=actor.id, changed_since_approval=False, version=1)
    db.session.add(plan)
    db.session.flush()
    _copy_template(plan, template, starts_on)
    record(actor, "registration.plan_start", plan, after=snapshot(plan), home_id=home_id)
    return plan


def _copy_template(plan: RegistrationPlan, template: list[TemplateStep], starts_on: date):
    deps = db.session.scalars(select(TemplateDependency)).all()
    edges = [(t.step_id, t.depends_on_id, t.lag_days) for t in deps]
    preds = predecessors(edges)
    targets: dict[int, date] = {}
    by_id = {t.id: t for t in template}
    for tid in topological([t.id for t in template], preds):
        t = by_id[tid]
        targets[tid] = max([starts_on + timedelta(days=t.start_days)] +
                           [targets[b] + timedelta(days=lag) for b, lag in preds.get(tid, ())])
    copies = {}
    for t in template:
        copies[t.id] = PlanStep(plan_id=plan.id, home_id=plan.home_id, template_step_id=t.id,
                                position=t.position, name=t.name, kind=t.kind,
                                owner=t.default_owner, target_on=targets[t.id], evidence="")
        db.session.add(copies[t.id])
    db.session.flush()
    for step_id, before, lag in edges:
        db.session.add(StepDependency(step_id=copies[step_id].id,
                                      depends_on_id=copies[before].id, lag_days=lag))
    db.session.flush()


# ---- changing steps ------------------------------------------------------------------------

def _clean_name(name: str, plan_id: int, step_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter the name of the step", "name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", "name")
    taken = db.session.scalar(select(PlanStep.id).where(
        PlanStep.plan_id == plan_id, func.lower(PlanStep.name) == name.lower(),
        PlanStep.id != (step_id or -1)))
    if taken:
        raise DomainError(f"The plan already has a step called {name}", "name")
    return name


def _owner(owner: str) -> str:
    owner = (owner or "").strip()
    if len(owner) > 120:
        raise DomainError("The owner must be 120 characters or fewer", "owner")
    return owner


def follows_of_step(step_id: int) -> dict[int, int]:
    return {r.depends_on_id: r.lag_days for r in db.session.scalars(
        select(StepDependency).where(StepDependency.step_id == step_id))}


def _set_follows(step: PlanStep, follows: dict[int, int]) -> None:
    db.session.execute(delete(StepDependency).where(StepDependency.step_id == step.id))
    for before, lag in sorted(follows.items()):
        db.session.add(StepDependency(step_id=step.id, depends_on_id=before, lag_days=lag))
    db.session.flush()


def _names(follows: dict[int, int], steps) -> dict[str, int]:
    return {steps[b].name: lag for b, lag in sorted(follows.items())}


def update_step(step_id: int, *, name: str, owner: str, target_on: date | None,
                evidence: str, follows: dict[int, int], actor, today: date,
                seen_version: int | None) -> PlanStep:
    """Rename a step, set its owner, target date, evidence note and the steps it follows
    (with the days needed after each). A loop of dependencies is refused."""
    step = _step_of(step_id)
    _manager(actor, step.home_id)
    plan = locked_plan(step.home_id, seen_version)
    db.session.refresh(step)  # as it stands under the lock
    steps = {s.id: s for s in plan.steps}
    check_follows(steps, plan_edges(plan.id), step.id, follows)
    name = _clean_name(name, plan.id, step.id)
    before = snapshot(step, ["name", "owner", "target_on", "evidence"])
    old_follows = follows_of_step(step.id)
    before["follows"] = _names(old_follows, steps)
    step.name, step.owner, step.target_on = name, _owner(owner), target_on
    step.evidence = (evidence or "").strip()
    _set_follows(step, follows)
    after = snapshot(step, ["name", "owner", "target_on", "evidence"])
    after["follows"] = _names(follows, steps)
    old, new = _diff(before, after)
    if new:
        _changed(plan, structure=bool({"target_on", "follows"} & set(new)))
        record(actor, "registration.step_update", step, before=old, after=new,
               home_id=step.home_id)
    return step


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def add_step(home_id: int, *, name: str, owner: str, target_on: date | None,
             follows: dict[int, int], actor, today: date, seen_version: int | None) -> PlanStep:
    """A step of the council's own, added at the end of one home's plan."""
    _manager(actor, home_id)
    plan = locked_plan(home_id, seen_version)
    steps = {s.id: s for s in plan.steps}
    check_follows(steps, [], None, follows)
    step = PlanStep(plan_id=plan.id, home_id=home_id, template_step_id=None,
                    position=max((s.position for s in plan.steps), default=0) + 1,
                    name=_clean_name(name, plan.id, None), kind="step", owner=_owner(owner),
                    target_on=target_on, evidence="")
    db.session.add(step)
    db.session.flush()
    _set_follows(step, follows)
    _changed(plan, structure=True)
    after = snapshot(step)
    after["follows"] = _names(follows, steps)
    record(actor, "registration.step_add", step, after=after, home_id=home_id)
    return step


def remove_step(step_id: int, *, actor, today: date, seen_version: int | None) -> None:
    """Take a step that is not done out of the plan; steps that followed it no longer wait
    for it. A done step stays as the record of what happened."""
    step = _step_of(step_id)
    _manager(actor, step.home_id)
    plan = locked_plan(step.home_id, seen_version)
    db.session.refresh(step)  # as it stands under the lock
    if step.done:
        raise DomainError(f"{step.name} was done on {long_date(step.actual_on)}; a step that is done "
                          "stays on the plan")
    if step.kind == "decision":
        raise DomainError("The registration decision records the home's URN and conditions; "
                          "it cannot be removed")
    before = snapshot(step)
    before["follows"] = _names(follows_of_step(step.id), {s.id: s for s in plan.steps})
    before["attachments"] = [a.file_name for a in step.attachments]
    record(actor, "registration.step_remove", step, before=before, home_id=step.home_id)
    db.session.execute(delete(StepDependency).where(or_(
        StepDependency.step_id == step.id, StepDependency.depends_on_id == step.id)))
    db.session.execute(delete(StepAttachment).where(StepAttachment.step_id == step.id))
    db.session.delete(step)
    _changed(plan, structure=True)
    db.session.flush()
