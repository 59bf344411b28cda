"""A home's beds, for its registered manager: add a bed, retire it, hold it for a planned
admission, take it out of use, and end a hold or an out-of-use period. Each form runs one
placements/beds service and commits once."""
from __future__ import annotations

from flask import abort

from .. import clock
from ..extensions import db
from ..placements import beds
from ..web import current_actor, roles_required
from .forms import (
    BedForm,
    EndPeriodForm,
    HoldForm,
    OutOfUseForm,
    RetireBedForm,
    seen_version,
)
from .models import (
    Bed,
    BedHold,
    BedOutOfUse,
    Home,
)
from .pages import MANAGER, bp, home_in_scope, home_page, submit


def _bed(home: Home, bed_id: int) -> Bed:
    bed = db.session.get(Bed, bed_id)
    if bed is None or bed.home_id != home.id:
        abort(404)
    return bed


def _period(model, home: Home, period_id: int):
    period = db.session.get(model, period_id)
    if period is None or period.bed.home_id != home.id:
        abort(404)
    return period


def _bed_page(home: Home, form, action, heading: str, caption: str = ""):
    return submit(form, "homes/form_page.html", action, home=home, heading=heading,
                   caption=caption or home.name, back=home_page(home))


@bp.route("/homes/<int:home_id>/beds/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_bed(home_id: int):
    home, today = home_in_scope(home_id), clock.today()
    form = BedForm(data={"version": home.version, "in_service_from": today})

    def action():
        bed = beds.add_bed(home.id, form.label.data, form.in_service_from.data,
                               actor=current_actor(), today=today, seen_version=seen_version(form))
        return f"{bed.label} has been added", home_page(home)

    return _bed_page(home, form, action, "Add a bed")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/retire", methods=["GET", "POST"])
@roles_required(MANAGER)
def retire_bed(home_id: int, bed_id: int):
    home, today = home_in_scope(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = RetireBedForm(data={"version": home.version})

    def action():
        beds.retire_bed(home.id, bed.id, form.in_service_until.data, actor=current_actor(),
                            today=today, seen_version=seen_version(form))
        return f"{bed.label} will leave service", home_page(home)

    return _bed_page(home, form, action, f"Take {bed.label} out of service")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/hold", methods=["GET", "POST"])
@roles_required(MANAGER)
def hold_bed(home_id: int, bed_id: int):
    home, today = home_in_scope(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = HoldForm(data={"version": home.version, "starts_on": today})

    def action():
        beds.hold_bed(home.id, bed.id, form.starts_on.data, form.ends_on.data,
                          note=form.note.data, actor=current_actor(), today=today,
                          seen_version=seen_version(form))
        return f"{bed.label} is held", home_page(home)

    return _bed_page(home, form, action, f"Hold {bed.label} for matching")


@bp.route("/homes/<int:home_id>/holds/<int:hold_id>/end", methods=["GET", "POST"])
@roles_required(MANAGER)
def end_hold(home_id: int, hold_id: int):
    home, today = home_in_scope(home_id), clock.today()
    hold = _period(BedHold, home, hold_id)
    form = EndPeriodForm(data={"version": home.version, "ends_on": today})

    def action():
        beds.end_hold(home.id, hold.id, form.ends_on.data, actor=current_actor(), today=today,
                          seen_version=seen_version(form))
        return f"The hold on {hold.bed.label} has been ended", home_page(home)

    return _bed_page(home, form, action, f"End the hold on {hold.bed.label}")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/out-of-use", methods=["GET", "POST"])
@roles_required(MANAGER)
def out_of_use(home_id: int, bed_id: int):
    home, today = home_in_scope(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = OutOfUseForm(data={"version": home.version, "starts_on": today})

    def action():
        beds.mark_out_of_use(home.id, bed.id, form.reason.data, form.starts_on.data,
                                 form.ends_on.data, note=form.note.data, actor=current_actor(),
                                 today=today, seen_version=seen_version(form))
        return f"{bed.label} is out of use", home_page(home)

    return _bed_page(home, form, action, f"Mark {bed.label} out of use")


@bp.route("/homes/<int:home_id>/out-of-use/<int:period_id>/end", methods=["GET", "POST"])
@roles_required(MANAGER)
def end_out_of_use(home_id: int, period_id: int):
    home, today = home_in_scope(home_id), clock.today()
    period = _period(BedOutOfUse, home, period_id)
    form = EndPeriodForm(data={"version": home.version, "ends_on": today})

    def action():
        beds.end_out_of_use(home.id, period.id, form.ends_on.data, actor=current_actor(),
                                today=today, seen_version=seen_version(form))
        return f"{period.bed.label} is back in use", home_page(home)

    return _bed_page(home, form, action, f"Put {period.bed.label} back in use")
