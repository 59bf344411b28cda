"""Completing a registration step (the override for open predecessors; the registration
decision that registers the home), files of evidence, and a director's approval of the plan.

Like the rest of the plan's services: the acting user and `today`, the home's row locked, the
rules checked, rows changed, the audit written, a flush, never a commit.
"""
from __future__ import annotations

from datetime import date

from ... import clock
from ...audit.services import record, snapshot
from ...auth.models import Role
from ...common.dates import long_date
from ...errors import DomainError, NotAllowed
from ...extensions import db
from ...homes.services import lock_home, normalise_urn
from ...placements.home_changes import record_registration
from ..compliance import services as calendar_services
from ..templates.projection import project
from .models import PlanStep, RegistrationPlan, StepAttachment
from .services import (
    Registration,
    _changed,
    _manager,
    _step_of,
    follows_of_step,
    locked_plan,
    plan_edges,
)

# ---- completing a step ---------------------------------------------------------------------

def complete_step(step_id: int, *, actual_on: date | None, evidence: str,
                  confirm_open: bool, registration: Registration | None = None, actor,
                  today: date, seen_version: int | None) -> PlanStep:
    """Record that a step was done on `actual_on` (not in the future, not before a step it
    follows was done). If steps it follows are still open, the person must confirm that
    they complete it anyway (the audit names those steps). The registration decision records
    the URN and conditions of registration through the homes services, registers the home
    and starts its compliance calendar."""
    step = _step_of(step_id)
    _manager(actor, step.home_id)
    plan = locked_plan(step.home_id, seen_version)
    db.session.refresh(step)  # as it stands under the lock
    still_open = _checked_completion(step, plan, actual_on, confirm_open, today)
    before = snapshot(step, ["actual_on", "evidence"])
    if step.kind == "decision":
        _register(step, actual_on, registration, actor, today)
    if step.kind == "opening" and step.plan.home.status != "registered":
        raise DomainError("The home cannot open before Ofsted registers it: complete the "
                          "registration decision first")
    step.actual_on, step.completed_at, step.completed_by_id = actual_on, clock.utcnow(), actor.id
    if evidence and evidence.strip():
        step.evidence = evidence.strip()
    _changed(plan, structure=False)
    after = snapshot(step, ["actual_on", "evidence"])
    if still_open:
        after["completed_before_open_steps"] = still_open  # the override, on the record
    record(actor, "registration.step_complete", step, before=before, after=after,
           home_id=step.home_id)
    return step


def _checked_completion(step: PlanStep, plan: RegistrationPlan, actual_on: date | None,
                        confirm_open: bool, today: date) -> list[str]:
    """Refuse an impossible completion date; the names of the steps it follows that are
    still open (refused unless the person confirmed completing it before them)."""
    if step.done:
        raise DomainError(f"{step.name} was already recorded as done on {long_date(step.actual_on)}")
    if actual_on is None:
        raise DomainError("Enter the date it was done", "actual_on")
    if actual_on > today:
        raise DomainError(f"The date it was done cannot be in the future ({long_date(actual_on)})",
                          "actual_on")
    steps = {s.id: s for s in plan.steps}
    follows = [steps[b] for b in follows_of_step(step.id)]
    for before in follows:
        if before.done and actual_on < before.actual_on:
            raise DomainError(f"It cannot be done before {before.name}, which was done on "
                              f"{long_date(before.actual_on)}", "actual_on")
    still_open = [s.name for s in sorted(follows, key=lambda s: s.position) if not s.done]
    if still_open and not confirm_open:
        raise DomainError(f"{_listed(still_open)} {'is' if len(still_open) == 1 else 'are'} "
                          "not done yet. To complete this step before "
                          f"{'it' if len(still_open) == 1 else 'them'}, tick the box to "
                          "confirm.", "confirm_open")
    return still_open


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _register(step: PlanStep, actual_on: date, registration: Registration | None, actor,
              today: date) -> None:
    if registration is None or not (registration.ofsted_urn or "").strip():
        raise DomainError("Enter the Ofsted URN from the registration certificate",
                          "ofsted_urn")
    normalise_urn(registration.ofsted_urn)  # either format, or a clear refusal
    conditions = dict(max_children=registration.max_children,
                      min_age=registration.min_age, max_age=registration.max_age,
                      sex_admitted=registration.sex_admitted,
                      categories_of_need=registration.categories_of_need)
    record_registration(step.home_id, ofsted_urn=registration.ofsted_urn,
                              registered_on=actual_on, conditions=conditions, actor=actor,
                              today=today)
    calendar_services.ensure_calendar([step.home_id], actor=actor, today=today)


# ---- evidence and approval -----------------------------------------------------------------

def add_attachment(step_id: int, *, file_name: str, kept_at: str, actor,
                   today: date) -> StepAttachment:
    """Note a file of evidence for a step and where it is kept."""
    step = _step_of(step_id)
    _manager(actor, step.home_id)
    lock_home(step.home_id)
    file_name, kept_at = (file_name or "").strip(), (kept_at or "").strip()
    if not file_name:
        raise DomainError("Enter the file's name", "file_name")
    if len(file_name) > 200:
        raise DomainError("The file's name must be 200 characters or fewer", "file_name")
    if not kept_at:
        raise DomainError("Enter where the file is kept", "kept_at")
    if len(kept_at) > 300:
        raise DomainError("Where it is kept must be 300 characters or fewer", "kept_at")
    attachment = StepAttachment(step_id=step.id, home_id=step.home_id, file_name=file_name,
                                kept_at=kept_at, added_at=clock.utcnow(), added_by_id=actor.id)
    db.session.add(attachment)
    record(actor, "registration.attachment_add", attachment, after=snapshot(attachment),
           home_id=step.home_id)
    return attachment


def remove_attachment(attachment_id: int, *, actor, today: date) -> None:
    attachment = db.session.get(StepAttachment, attachment_id)
    if attachment is None:
        raise DomainError("That file is not on the plan")
    _manager(actor, attachment.home_id)
    lock_home(attachment.home_id)
    record(actor, "registration.attachment_remove", attachment, before=snapshot(attachment),
           home_id=attachment.home_id)
    db.session.delete(attachment)
    db.session.flush()


def approve_plan(home_id: int, *, actor, today: date,
                 seen_version: int | None) -> RegistrationPlan:
    """A service director approves the plan as it stands (its projected opening date goes on
    the record); a later change to steps, dates or dependencies asks for approval again."""
    if getattr(actor, "role", None) != Role.SERVICE_DIRECTOR:
        raise NotAllowed()
    plan = locked_plan(home_id, seen_version)
    if plan.approved_at is not None and not plan.changed_since_approval:
        raise DomainError("The plan is already approved and has not changed since")
    projection = project(plan.steps, plan_edges(plan.id), today)
    before = snapshot(plan, ["approved_at", "approved_by_id", "changed_since_approval"])
    plan.approved_at, plan.approved_by_id = clock.utcnow(), actor.id
    plan.changed_since_approval = False
    plan.version += 1
    after = snapshot(plan, ["approved_at", "approved_by_id", "changed_since_approval"])
    after["projected_opening"] = projection.opening.isoformat() if projection.opening else None
    record(actor, "registration.plan_approve", plan, before=before, after=after,
           home_id=home_id)
    return plan
