"""The council's registration template, for administrators: the steps in order, add, change
(name, kind, days, what each follows), move up or down, remove; and loading the standard
eleven steps into an empty template. Routes on the registration blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ... import clock
from ...auth.models import Role
from ...errors import DomainError
from ...extensions import db
from ...web import current_actor, post_once, roles_required
from .. import seed
from ..pages import bp, submit
from ..plans.forms import ConfirmForm
from . import services as template_services
from .forms import (
    MoveForm,
    TemplateStepForm,
    follows_data,
    follows_fields,
    follows_of,
    with_follows,
)
from .models import STEP_KINDS, TemplateDependency, TemplateStep

ADMIN = Role.ADMINISTRATOR


def _steps() -> list[TemplateStep]:
    return db.session.scalars(select(TemplateStep).order_by(TemplateStep.position,
                                                            TemplateStep.id)).all()


def _template_page() -> str:
    return url_for("registration.template")


@bp.route("/registration/template")
@roles_required(ADMIN)
def template():
    steps = _steps()
    follows: dict[int, list[tuple[TemplateStep, int]]] = {s.id: [] for s in steps}
    by_id = {s.id: s for s in steps}
    for dep in db.session.scalars(select(TemplateDependency)):
        follows[dep.step_id].append((by_id[dep.depends_on_id], dep.lag_days))
    # formdata=None: fresh nonces, also when the page answers a replayed post (_tap)
    return render_template("registration/template.html", steps=steps, follows=follows,
                           moves={s.id: MoveForm(formdata=None) for s in steps},
                           seed_form=MoveForm(formdata=None),
                           STEP_KINDS=STEP_KINDS, title="Registration template")


def _tap(form, action):
    """A button on the template page: a refusal is flashed there. A replayed form is answered
    409 with the page itself, since a redirect cannot carry that status."""
    def refused(error: DomainError, status: int):
        flash(error.message, "important")
        return (template(), status) if status == 409 else redirect(_template_page())

    answer = post_once(form, action, refused)
    return redirect(_template_page()) if answer is None else answer


@bp.route("/registration/template/seed", methods=["POST"])
@roles_required(ADMIN)
def seed_template():
    def action():
        added = seed.seed_template(current_actor(), again=True)
        return (f"{added} standard steps loaded" if added else
                "The template already has steps"), _template_page()

    return _tap(MoveForm(), action)


def _form(step: TemplateStep | None, data: dict):
    cls = with_follows(TemplateStepForm, _steps(), step.id if step else None)
    return cls(data=data)


def _page(form, heading: str, action):
    return submit(form, "registration/step_form.html", action, heading=heading,
                  follows=follows_fields(form), back=_template_page(), template_step=True)


@bp.route("/registration/template/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_template_step():
    form = _form(None, {"kind": "step", "start_days": 0})

    def action():
        step = template_services.add_template_step(
            name=form.name.data, kind=form.kind.data, start_days=form.start_days.data,
            default_owner=form.default_owner.data, follows=follows_of(form), actor=current_actor(),
            today=clock.today())
        return f"{step.name} has been added to the template", _template_page()

    return _page(form, "Add a step to the template", action)


def _template_step(template_step_id: int) -> TemplateStep:
    step = db.session.get(TemplateStep, template_step_id)
    if step is None:
        abort(404)
    return step


@bp.route("/registration/template/<int:template_step_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_template_step(template_step_id: int):
    step = _template_step(template_step_id)
    follows = {d.depends_on_id: d.lag_days for d in db.session.scalars(
        select(TemplateDependency).where(TemplateDependency.step_id == step.id))}
    form = _form(step, {"name": step.name, "kind": step.kind, "start_days": step.start_days,
                        "default_owner": step.default_owner, **follows_data(follows)})

    def action():
        saved = template_services.update_template_step(
            step.id, name=form.name.data, kind=form.kind.data, start_days=form.start_days.data,
            default_owner=form.default_owner.data, follows=follows_of(form), actor=current_actor(),
            today=clock.today())
        return f"{saved.name} has been saved", _template_page()

    return _page(form, f"Change: {step.name}", action)


@bp.route("/registration/template/<int:template_step_id>/remove", methods=["GET", "POST"])
@roles_required(ADMIN)
def remove_template_step(template_step_id: int):
    step = _template_step(template_step_id)
    form, name = ConfirmForm(), step.name

    def action():
        template_services.remove_template_step(step.id, actor=current_actor(), today=clock.today())
        return f"{name} has been removed from the template", _template_page()

    return submit(form, "registration/confirm.html", action,
                  heading=f"Remove {name} from the template?",
                  text="Plans already started keep their own copy of the step.",
                  back=_template_page())


@bp.route("/registration/template/<int:template_step_id>/move", methods=["POST"])
@roles_required(ADMIN)
def move_template_step(template_step_id: int):
    step = _template_step(template_step_id)
    form = MoveForm()

    def action():
        template_services.move_template_step(step.id, form.direction.data or "",
                                             actor=current_actor(), today=clock.today())
        return f"{step.name} moved {form.direction.data}", _template_page()

    return _tap(form, action)
