"""Registration pages: the pipeline of homes in registration (directors), each home's plan and
timeline, its steps (registered manager of the home), approval (directors) and the council's
template (administrators).

Roles are checked on every route; another home's records are 404. Each form view runs one
service and commits once (pages.submit).
"""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import clock
from ...auth.models import Role
from ...auth.services import may_record_moves
from ...extensions import db
from ...homes.models import HOME_STATUSES, NEED_CATEGORIES, SEXES_ADMITTED
from ...homes.services import details_of
from ...web import current_actor, get_in_scope, roles_required
from ..pages import bp, home_in_scope, submit
from ..templates.forms import follows_data, follows_fields, follows_of, with_follows
from ..templates.models import STEP_KINDS
from . import completion, queries, services
from .forms import (
    ApproveForm,
    AttachmentForm,
    CompleteForm,
    ConfirmForm,
    NewStepForm,
    StartPlanForm,
    StepForm,
)
from .models import PlanStep, RegistrationPlan, StepAttachment

ADMIN, DIRECTOR, MANAGER = Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER
PLAN_READERS = (DIRECTOR, ADMIN, MANAGER)
LABELS = dict(HOME_STATUSES=HOME_STATUSES, STEP_KINDS=STEP_KINDS)


@bp.app_context_processor
def home_page_context() -> dict:
    """`registration_summary(home)` for the home page's include: the latest inspection and
    what is due, or the registration plan's projected opening."""
    return {"registration_summary": lambda home: queries.home_summary(
        home, clock.today(), clock.now())}


@bp.route("/registration")
@roles_required(DIRECTOR, ADMIN)
def pipeline():
    return render_template("registration/pipeline.html", rows=queries.pipeline(clock.today()),
                           today=clock.today(), title="Homes in registration", **LABELS)


@bp.route("/homes/<int:home_id>/registration")
@roles_required(*PLAN_READERS)
def plan(home_id: int):
    home, today = home_in_scope(home_id), clock.today()
    view = queries.plan_view(home.id, today)
    can_edit = may_record_moves(current_user, home.id)
    start = StartPlanForm(data={"starts_on": today}) if view is None and can_edit and \
        home.status in services.PLANNING else None
    return render_template(
        "registration/plan.html", home=home, view=view, today=today, start=start,
        can_edit=can_edit and view is not None, can_approve=current_user.role == DIRECTOR,
        approve=ApproveForm(version=view.plan.version) if view else None,
        title=f"Registration plan: {home.name}", **LABELS)


def _plan_page(home_id: int) -> str:
    return url_for("registration.plan", home_id=home_id)


@bp.route("/homes/<int:home_id>/registration/start", methods=["GET", "POST"])
@roles_required(MANAGER)
def start_plan(home_id: int):
    home, today = home_in_scope(home_id), clock.today()
    form = StartPlanForm(data={"starts_on": today})

    def action():
        services.start_plan(home.id, form.starts_on.data, actor=current_actor(), today=today)
        return f"The registration plan for {home.name} has started", _plan_page(home.id)

    return submit(form, "homes/form_page.html", action, home=home,
                  heading="Start the registration plan", caption=home.name,
                  back=_plan_page(home.id))


def _plan_of(home_id: int) -> RegistrationPlan:
    found = db.session.scalar(select(RegistrationPlan).where(RegistrationPlan.home_id == home_id))
    if found is None:
        abort(404)
    return found


def _step(step_id: int) -> PlanStep:
    return get_in_scope(PlanStep, step_id)


def _step_form(form_class, plan: RegistrationPlan, step: PlanStep | None, data: dict):
    cls = with_follows(form_class, plan.steps, step.id if step else None)
    return cls(data=data)


def _step_page(form, plan, heading: str, action, step=None):
    return submit(form, "registration/step_form.html", action,
                  version=lambda: db.session.get(RegistrationPlan, plan.id).version,
                  home=plan.home, plan=plan, step=step, heading=heading,
                  follows=follows_fields(form), back=_plan_page(plan.home_id))


@bp.route("/homes/<int:home_id>/registration/steps/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def add_step(home_id: int):
    home = home_in_scope(home_id)
    plan = _plan_of(home.id)
    form = _step_form(NewStepForm, plan, None, {"version": plan.version})

    def action():
        step = services.add_step(home.id, name=form.name.data, owner=form.owner.data,
                                 target_on=form.target_on.data, follows=follows_of(form),
                                 actor=current_actor(), today=clock.today(),
                                 seen_version=form.seen_version())
        return f"{step.name} has been added to the plan", _plan_page(home.id)

    return _step_page(form, plan, "Add a step", action)


@bp.route("/registration/steps/<int:step_id>/edit", methods=["GET", "POST"])
@roles_required(MANAGER)
def edit_step(step_id: int):
    step = _step(step_id)
    plan = step.plan
    data = {"version": plan.version, "name": step.name, "owner": step.owner,
            "target_on": step.target_on, "evidence": step.evidence,
            **follows_data(services.follows_of_step(step.id))}
    form = _step_form(StepForm, plan, step, data)

    def action():
        saved = services.update_step(step.id, name=form.name.data, owner=form.owner.data,
                                     target_on=form.target_on.data,
                                     evidence=form.evidence.data, follows=follows_of(form),
                                     actor=current_actor(), today=clock.today(),
                                     seen_version=form.seen_version())
        return f"{saved.name} has been saved", _plan_page(step.home_id)

    return _step_page(form, plan, f"Change: {step.name}", action, step)


@bp.route("/registration/steps/<int:step_id>/complete", methods=["GET", "POST"])
@roles_required(MANAGER)
def complete_step(step_id: int):
    step, today = _step(step_id), clock.today()
    plan = step.plan
    view = queries.plan_view(step.home_id, today)
    row = view.by_id[step.id]
    data = {"version": plan.version, "actual_on": today, "evidence": step.evidence}
    if step.kind == "decision":
        home = details_of(plan.home)
        data.update(ofsted_urn=home.ofsted_urn, max_children=home.max_children,
                    min_age=home.min_age, max_age=home.max_age,
                    sex_admitted=home.sex_admitted,
                    categories_of_need=list(home.categories_of_need))
    form = CompleteForm(data=data).for_step(step.kind == "decision", bool(row.open_before))

    def action():
        completion.complete_step(step.id, actual_on=form.actual_on.data,
                               evidence=form.evidence.data,
                               confirm_open="confirm_open" in form and form.confirm_open.data,
                               registration=form.registration(), actor=current_actor(), today=today,
                               seen_version=form.seen_version())
        message = f"{step.name} is done"
        if step.kind == "decision":
            message += f"; {plan.home.name} is registered with Ofsted"
        return message, _plan_page(step.home_id)

    return submit(form, "registration/complete.html", action,
                  version=lambda: db.session.get(RegistrationPlan, plan.id).version,
                  home=plan.home, step=step, row=row, heading=f"Mark as done: {step.name}",
                  back=_plan_page(step.home_id), NEED_CATEGORIES=NEED_CATEGORIES,
                  SEXES_ADMITTED=SEXES_ADMITTED)


@bp.route("/registration/steps/<int:step_id>/remove", methods=["GET", "POST"])
@roles_required(MANAGER)
def remove_step(step_id: int):
    step = _step(step_id)
    plan = step.plan
    form = ConfirmForm(data={"version": plan.version})
    name, home_id = step.name, step.home_id

    def action():
        services.remove_step(step.id, actor=current_actor(), today=clock.today(),
                             seen_version=form.seen_version())
        return f"{name} has been removed from the plan", _plan_page(home_id)

    return submit(form, "registration/confirm.html", action,
                  version=lambda: db.session.get(RegistrationPlan, plan.id).version,
                  home=plan.home, heading=f"Remove {name} from the plan?",
                  text="Steps that follow it will no longer wait for it. The removal is kept "
                       "in the audit log.", back=_plan_page(home_id))


@bp.route("/registration/steps/<int:step_id>/files/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def add_attachment(step_id: int):
    step = _step(step_id)
    form = AttachmentForm()

    def action():
        completion.add_attachment(step.id, file_name=form.file_name.data,
                                kept_at=form.kept_at.data, actor=current_actor(), today=clock.today())
        return f"The file is listed under {step.name}", _plan_page(step.home_id)

    return submit(form, "homes/form_page.html", action, home=step.plan.home,
                  heading="Add a file of evidence", caption=step.name,
                  back=_plan_page(step.home_id))


@bp.route("/registration/files/<int:attachment_id>/remove", methods=["GET", "POST"])
@roles_required(MANAGER)
def remove_attachment(attachment_id: int):
    attachment = get_in_scope(StepAttachment, attachment_id)
    form = ConfirmForm()
    name, home_id = attachment.file_name, attachment.home_id

    def action():
        completion.remove_attachment(attachment.id, actor=current_actor(), today=clock.today())
        return f"{name} is no longer listed", _plan_page(home_id)

    return submit(form, "registration/confirm.html", action, home=attachment.step.plan.home,
                  heading=f"Stop listing {name}?",
                  text="The file itself stays where it is kept.", back=_plan_page(home_id))


@bp.route("/homes/<int:home_id>/registration/approve", methods=["GET", "POST"])
@roles_required(DIRECTOR)
def approve(home_id: int):
    home = home_in_scope(home_id)
    plan = _plan_of(home.id)
    form = ApproveForm(data={"version": plan.version})

    def action():
        completion.approve_plan(home.id, actor=current_actor(), today=clock.today(),
                              seen_version=form.seen_version())
        return f"The registration plan for {home.name} is approved", _plan_page(home.id)

    view = queries.plan_view(home.id, clock.today())
    return submit(form, "registration/confirm.html", action,
                  version=lambda: db.session.get(RegistrationPlan, plan.id).version,
                  home=home, heading=f"Approve the registration plan for {home.name}?",
                  text=f"Projected opening: {_day(view.projection.opening)}. Your approval is "
                       "recorded; a later change to the steps, their dates or what they "
                       "follow asks for approval again.", back=_plan_page(home.id))


def _day(day) -> str:
    return f"{day:%-d %B %Y}" if day else "not known"
