"""Administrators edit the registration template's steps (add, rename, reorder, remove, and
which steps each follows). Plans already started keep their own copy of the steps.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, or_, select, update

from ...audit.services import changes, record, snapshot
from ...common.sql import flush_or_refuse
from ...errors import DomainError
from ...extensions import db
from ...homes.services import require_administrator
from .models import MAX_START_DAYS, STEP_KINDS, TemplateDependency, TemplateStep
from .projection import check_follows

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
    require_administrator(actor)
    steps = _template()
    check_follows(steps, [], None, follows)
    name, owner = _checked_step(name, kind, start_days, default_owner, None)
    position = max((s.position for s in steps.values()), default=0) + 1
    step = TemplateStep(position=position, name=name, kind=kind, start_days=start_days,
                        default_owner=owner)
    db.session.add(step)
    flush_or_refuse("Another step with this name or kind was saved at the same moment", "name")
    _set_follows(step, follows)
    db.session.flush()
    record(actor, "registration_template.add", step, after=_described(step, follows, steps))
    return step


def update_template_step(step_id: int, *, name: str, kind: str, start_days: int | None,
                         default_owner: str, follows: dict[int, int], actor,
                         today: date) -> TemplateStep:
    """Rename a template step, change its kind, days and the steps it follows; a loop of
    dependencies is refused."""
    require_administrator(actor)
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
    flush_or_refuse("Another step with this name or kind was saved at the same moment", "name")
    old, new = changes(before, _described(step, follows, steps))
    if new:
        record(actor, "registration_template.update", step, before=old, after=new)
    return step


def remove_template_step(step_id: int, *, actor, today: date) -> None:
    """Take a step out of the template; plans already started keep their copy."""
    require_administrator(actor)
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
    require_administrator(actor)
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


