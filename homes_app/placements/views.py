"""The placements blueprint and children's moves: admit, plan, confirm, re-date, cancel,
transfer, discharge and correct (children's records are children_views.py).

Only a registered manager of the home records moves (403 for every other role, 404 for
another home's records). Children's pages are for directors, managers and home staff, scoped
by placements.children. URLs carry numeric ids only, never a child's name or reference.
Opening a move's form is audited as a read of the children it names (web.audited_read).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, request, url_for
from flask_login import current_user

from .. import clock
from ..auth.models import CHILDREN_READERS, Role
from ..auth.services import may_record_moves
from ..errors import DomainError
from ..extensions import db
from ..homes.models import NEED_CATEGORIES, Bed, Home
from ..web import audited_read, get_in_scope, roles_required, submit_form, writes_on_get
from . import children, services
from .forms import (
    AdmitForm,
    CancelForm,
    ConfirmForm,
    CorrectForm,
    DischargeForm,
    PlanForm,
    RedateForm,
    TransferForm,
)
from .models import (
    ADMISSION_TYPES,
    CHILD_SEXES,
    DISCHARGE_DESTINATIONS,
    END_REASONS,
    LEGAL_STATUSES,
    Placement,
)

bp = Blueprint("placements", __name__)

MANAGER = Role.REGISTERED_MANAGER
READERS = CHILDREN_READERS
LABELS = dict(ADMISSION_TYPES=ADMISSION_TYPES, CHILD_SEXES=CHILD_SEXES, END_REASONS=END_REASONS,
              DISCHARGE_DESTINATIONS=DISCHARGE_DESTINATIONS, LEGAL_STATUSES=LEGAL_STATUSES,
              NEED_CATEGORIES=NEED_CATEGORIES)


def _submit(form, template: str, action: Callable[[], tuple[str, str]], *,
            shown: Iterable[int] = (), **context):
    """Every form view: web.submit_form. A refusal rolls everything back and shows the form
    again with the input kept; a stale form re-reads the home's version after the rollback.
    Opening the form (GET) is audited as a read of the children it names, `shown`."""
    def reread(f) -> None:
        f.refresh_version(context["home"].version)

    page = submit_form(form, template, action, on_stale=reread, **context)
    if request.method != "GET":
        return page
    stay, home = context.get("stay"), context["home"]
    return audited_read(page, "move.form", shown, home_id=home.id,
                        subject_type="placements" if stay else "homes",
                        subject_id=stay.id if stay else home.id)


def _home(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)


def _moves(home: Home, **args):
    return dict(args, home=home, back=url_for("homes.show", home_id=home.id))


def _home_page(home: Home) -> str:
    return url_for("homes.show", home_id=home.id)


def _stay(placement_id: int) -> tuple[Placement, Home]:
    placement = get_in_scope(Placement, placement_id)
    return placement, placement.home


# Admissions into a home.

@bp.route("/homes/<int:home_id>/admit", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def admit(home_id: int):
    home, today = _home(home_id), clock.today()
    form = AdmitForm(home_version=home.version, child_id=request.args.get("child_id", type=int))
    offered = children.admissible_children(current_user, today)
    form.offer(offered, home.beds, today)

    def action():
        child = children.child_for_move(current_user, form.child_id.data, today)
        services.admit_child(home.id, form.bed_id.data, child, form.starts_on.data,
                             emergency=form.admission_type.data == "emergency",
                             actor=current_user, today=today,
                             seen_version=form.home_version.data)
        return f"{child.preferred_name} was admitted to {home.name}", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[c.id for c in offered],
                   **_moves(home, heading="Admit a child", add_child=True))


@bp.route("/homes/<int:home_id>/plan", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def plan(home_id: int):
    home, today = _home(home_id), clock.today()
    form = PlanForm(home_version=home.version, child_id=request.args.get("child_id", type=int))
    offered = children.admissible_children(current_user, today)
    form.offer(offered, home.beds, today)

    def action():
        child = children.child_for_move(current_user, form.child_id.data, today)
        services.plan_admission(home.id, form.bed_id.data, child, form.starts_on.data,
                                actor=current_user, today=today,
                                seen_version=form.home_version.data)
        return f"A bed is held for {child.preferred_name}", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[c.id for c in offered],
                   **_moves(home, heading="Plan an admission", add_child=True))


# Changes to a planned admission.

@bp.route("/placements/<int:placement_id>/confirm", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def confirm(placement_id: int):
    stay, home = _stay(placement_id)
    form = ConfirmForm(home_version=home.version, starts_on=stay.starts_on)

    def action():
        services.confirm_admission(stay, form.starts_on.data, actor=current_user,
                                   today=clock.today(), seen_version=form.home_version.data)
        return f"{stay.child.preferred_name}'s arrival is recorded", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Confirm the child has arrived"))


@bp.route("/placements/<int:placement_id>/redate", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def redate(placement_id: int):
    stay, home = _stay(placement_id)
    form = RedateForm(home_version=home.version, starts_on=stay.starts_on)

    def action():
        services.redate_admission(stay, form.starts_on.data, actor=current_user,
                                  today=clock.today(), seen_version=form.home_version.data)
        return "The planned admission has a new date", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Change the date of a planned admission"))


@bp.route("/placements/<int:placement_id>/cancel", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def cancel(placement_id: int):
    stay, home = _stay(placement_id)
    form = CancelForm(home_version=home.version)

    def action():
        services.cancel_admission(stay, actor=current_user, today=clock.today(),
                                  seen_version=form.home_version.data)
        return "The planned admission is cancelled and the bed released", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Cancel a planned admission"))


# A current stay ends: transfer or discharge; and corrections to any stay that happened.

def _destination(bed_id: int | None) -> Bed:
    """Managers may move a child only into a home they manage."""
    bed = db.session.get(Bed, bed_id) if bed_id else None
    if bed is None or not may_record_moves(current_user, bed.home_id):
        raise DomainError("Choose a bed in a home you manage", "bed_id")
    return bed


@bp.route("/placements/<int:placement_id>/transfer", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def transfer(placement_id: int):
    stay, home = _stay(placement_id)
    form = TransferForm(home_version=home.version)
    form.offer([b for h in current_user.homes for b in h.beds if b.id != stay.bed_id],
               clock.today())

    def action():
        bed = _destination(form.bed_id.data)
        services.transfer_child(stay, bed.home_id, bed.id, form.ends_on.data,
                                planned=form.ending.data == "planned", actor=current_user,
                                today=clock.today(), seen_version=form.home_version.data)
        return (f"{stay.child.preferred_name} moved to {bed.home.name}, {bed.label}",
                _home_page(home))

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Transfer a child"))


@bp.route("/placements/<int:placement_id>/discharge", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def discharge(placement_id: int):
    stay, home = _stay(placement_id)
    form = DischargeForm(home_version=home.version)

    def action():
        services.discharge_child(stay, form.ends_on.data, destination=form.destination.data,
                                 planned=form.ending.data == "planned", actor=current_user,
                                 today=clock.today(), seen_version=form.home_version.data)
        return f"{stay.child.preferred_name}'s discharge is recorded", _home_page(home)

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Record a discharge"))


@bp.route("/placements/<int:placement_id>/correct", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def correct(placement_id: int):
    stay, home = _stay(placement_id)
    form = CorrectForm(home_version=home.version, starts_on=stay.starts_on, ends_on=stay.ends_on)
    if stay.ends_on is None:
        del form.ends_on  # an open stay's end is recorded by a discharge or transfer

    def action():
        services.correct_dates(stay, starts_on=form.starts_on.data,
                               ends_on=form.ends_on.data if "ends_on" in form else None,
                               reason=form.reason.data, actor=current_user,
                               today=clock.today(), seen_version=form.home_version.data)
        return "The correction is saved", url_for(".child", child_id=stay.child_id)

    return _submit(form, "placements/move.html", action, shown=[stay.child_id],
                   **_moves(home, stay=stay, heading="Correct the dates of a stay"))
