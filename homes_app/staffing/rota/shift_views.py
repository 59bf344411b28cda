"""One shift: its page, and the manager's actions on it (add, assign, offer, approve or
decline a pick-up, cancel a booking or the shift, record what was worked)."""
from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import clock
from ...extensions import db
from ...web import choices, current_actor, get_in_scope, roles_required
from ..pages import MANAGER, ROTA_READERS, bp, managed_home, my_home_ids, submit, tap
from ..people.models import StaffMember
from ..relief import services as relief
from ..relief.forms import TapForm
from ..times import monday
from . import assignments
from . import records as rota_records
from . import services as rota
from .forms import ApproveForm, AssignForm, OfferForm, ReasonForm, ShiftForm, WorkedForm
from .models import (
    COVER,
    END_REASONS,
    SHIFT_KINDS,
    WORKED_OUTCOMES,
    Shift,
    ShiftAssignment,
    ShiftType,
)

LABELS = dict(COVER=COVER, SHIFT_KINDS=SHIFT_KINDS, WORKED_OUTCOMES=WORKED_OUTCOMES,
              END_REASONS=END_REASONS)


def _shift(shift_id: int) -> Shift:
    return get_in_scope(Shift, shift_id)


def _managed_shift(shift_id: int) -> Shift:
    shift = _shift(shift_id)
    managed_home(shift.home_id)
    return shift


def _shift_url(shift: Shift) -> str:
    return url_for("staffing.shift", shift_id=shift.id)


def _context(shift: Shift, **extra) -> dict:
    history = db.session.scalars(select(ShiftAssignment).where(
        ShiftAssignment.shift_id == shift.id).order_by(ShiftAssignment.created_at)).all()
    return dict(shift=shift, home=shift.home, booking=assignments.live(shift), history=history,
                now=clock.utcnow(), back=_shift_url(shift),
                rota_url=url_for("staffing.rota", home_id=shift.home_id,
                                 week=monday(shift.on_date).isoformat()),
                manages=current_user.role == MANAGER and shift.home_id in my_home_ids(),
                title=f"{shift.shift_type.name} shift", **LABELS, **extra)


@bp.route("/shifts/<int:shift_id>")
@roles_required(*ROTA_READERS)
def shift(shift_id: int):
    s = _shift(shift_id)
    return render_template("staffing/shift.html", tap_form=TapForm(), **_context(s))


@bp.route("/homes/<int:home_id>/shifts/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_new(home_id: int):
    home = managed_home(home_id)
    types = db.session.scalars(select(ShiftType).where(ShiftType.home_id == home.id)
                               .order_by(ShiftType.starts_at)).all()
    form = ShiftForm()
    form.shift_type_id.choices = choices([("", "Choose a shift type")] + [
        (t.id, f"{t.name} ({t.starts_at:%H:%M} to {t.ends_at:%H:%M})") for t in types])

    def action():
        st = next((t for t in types if t.id == form.shift_type_id.data), None)
        s = rota.add_shift(home.id, shift_type=st, on_date=form.on_date.data,
                           starts=form.starts.time, ends=form.ends.time,
                           ends_on=form.ends_on.data, actor=current_actor(), now=clock.utcnow())
        return "The shift has been added: it is uncovered", _shift_url(s)

    return submit(form, "staffing/form.html", action, caption=home.name,
                  heading="Add a shift", back=url_for("staffing.rota", home_id=home.id))


def _action_page(shift_id: int, form_class, heading: str, data=None):
    s = _managed_shift(shift_id)
    form = form_class(data={"version": s.version, **(data or {})})
    return s, form, dict(template="staffing/shift_form.html", heading=heading)


def _refresh(shift: Shift):
    def refresh(form) -> None:
        db.session.refresh(shift)
        form.version.data = shift.version

    return refresh


def _run(s: Shift, form, page: dict, action):
    return submit(form, page["template"], action, heading=page["heading"],
                  refresh=_refresh(s), **_context(s))


@bp.route("/shifts/<int:shift_id>/assign", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_assign(shift_id: int):
    s, form, page = _action_page(shift_id, AssignForm, "Who works this shift", {
        "staff_id": None, "cover": "contracted"})
    if not form.is_submitted():
        form.staff_id.data = s.assignee_id
        form.cover.data = s.cover if s.cover in ("contracted", "overtime", "agency") \
            else "contracted"
        form.agency_name.data = s.agency_name or ""
    people = db.session.scalars(select(StaffMember).where(
        StaffMember.active.is_(True),
        (StaffMember.home_id == s.home_id) | StaffMember.home_id.is_(None))
        .order_by(StaffMember.home_id.is_(None), StaffMember.name)).all()
    form.staff_id.choices = choices([("", "Nobody: uncovered")] + [
        (p.id, p.name + (" (relief pool)" if p.home_id is None else "")) for p in people])

    def action():
        rota.assign_shift(s, staff_id=form.staff_id.data, cover=form.cover.data,
                          agency_name=form.agency_name.data or "",
                          compensatory_rest=form.compensatory_rest.data or "", actor=current_actor(),
                          now=clock.utcnow(), seen_version=form.seen())
        return "The shift has been saved", _shift_url(s)

    return _run(s, form, page, action)


@bp.route("/shifts/<int:shift_id>/offer", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_offer(shift_id: int):
    s, form, page = _action_page(shift_id, OfferForm, "Offer this shift",
                                 {"audience": "pool", "approval": "instant"})

    def action():
        relief.offer_shift(s, home_first=form.audience.data == "home_first",
                           approval_required=form.approval.data == "approval", actor=current_actor(),
                           now=clock.utcnow(), seen_version=form.seen())
        return "The shift is on offer", _shift_url(s)

    return _run(s, form, page, action)


@bp.route("/shifts/<int:shift_id>/withdraw", methods=["POST"])
@roles_required(MANAGER)
def shift_withdraw(shift_id: int):
    s = _managed_shift(shift_id)
    form = TapForm()

    def action():
        relief.withdraw_offer(s, actor=current_actor(), now=clock.utcnow())
        return "The offer has been withdrawn", _shift_url(s)

    return tap(form, action, lambda error: _page_with(s, error))


def _page_with(s: Shift, error) -> str:
    db.session.refresh(s)
    return render_template("staffing/shift.html", tap_form=TapForm(), refusal=error,
                           **_context(s))


@bp.route("/shifts/<int:shift_id>/approve", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_approve(shift_id: int):
    s, form, page = _action_page(shift_id, ApproveForm, "Approve the pick-up")

    def action():
        relief.approve_claim(s, compensatory_rest=form.compensatory_rest.data or "",
                             induction_accepted=bool(form.induction_accepted.data),
                             actor=current_actor(), now=clock.utcnow(), seen_version=form.seen())
        return "The pick-up is approved: the person has the shift", _shift_url(s)

    return _run(s, form, page, action)


def _reason_action(shift_id: int, heading: str, service, message: str):
    s, form, page = _action_page(shift_id, ReasonForm, heading)

    def action():
        service(s, reason=form.reason.data or "", actor=current_actor(), now=clock.utcnow(),
                seen_version=form.seen())
        return message, _shift_url(s)

    return _run(s, form, page, action)


@bp.route("/shifts/<int:shift_id>/decline", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_decline(shift_id: int):
    return _reason_action(shift_id, "Decline the pick-up", relief.decline_claim,
                          "The pick-up is declined; the shift is on offer again")


@bp.route("/shifts/<int:shift_id>/cancel-booking", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_cancel_booking(shift_id: int):
    return _reason_action(shift_id, "Cancel this person's booking", relief.cancel_booking,
                          "The booking is cancelled; the shift is uncovered")


@bp.route("/shifts/<int:shift_id>/cancel", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_cancel(shift_id: int):
    return _reason_action(shift_id, "Cancel this shift", rota.cancel_shift,
                          "The shift is cancelled")


@bp.route("/shifts/<int:shift_id>/worked", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_worked(shift_id: int):
    s = _managed_shift(shift_id)
    form = WorkedForm(data={"outcome": s.worked_outcome or "worked",
                            "worked_by_id": s.worked_by_id, "note": s.worked_note or ""})
    people = db.session.scalars(select(StaffMember).where(
        (StaffMember.home_id == s.home_id) | StaffMember.home_id.is_(None))
        .order_by(StaffMember.name)).all()
    form.worked_by_id.choices = choices([("", "Choose who worked it")] + [
        (p.id, p.name) for p in people])

    def action():
        rota_records.record_worked(s, outcome=form.outcome.data, worked_by_id=form.worked_by_id.data,
                           note=form.note.data or "", actor=current_actor(), now=clock.utcnow())
        return "What was worked is recorded", _shift_url(s)

    return submit(form, "staffing/shift_form.html", action, heading="Record what was worked",
                  **_context(s))
