"""Staff records and their compliance: the list, a person's record, and its forms; the
council's staffing settings."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import clock
from ...auth.models import User
from ...extensions import db
from ...homes.models import Home
from ...web import choices, current_actor, roles_required
from .. import settings as council
from ..pages import (
    ADMIN,
    MANAGER,
    STAFF_READERS,
    bp,
    editable_staff,
    may_edit_staff,
    my_home_ids,
    submit,
    visible_staff,
)
from ..rota.records import mark_absence
from . import services
from .compliance import item_state, record_items
from .forms import AbsenceForm, DbsForm, InductionForm, SettingsForm, StaffForm, TrainingForm
from .models import ABSENCE_KINDS, STAFF_ROLES, Absence, StaffMember

LABELS = dict(STAFF_ROLES=STAFF_ROLES, ABSENCE_KINDS=ABSENCE_KINDS)


@bp.route("/staff")
@roles_required(*STAFF_READERS)
def staff_index():
    stmt = select(StaffMember).options(selectinload(StaffMember.training)).order_by(
        StaffMember.home_id.is_(None), StaffMember.home_id, StaffMember.name)
    if current_user.role == MANAGER:
        stmt = stmt.where(StaffMember.home_id.in_(my_home_ids()))
    people = db.session.scalars(stmt).all()
    homes = {h.id: h.name for h in db.session.scalars(select(Home))}
    s, today = council.load(), clock.today()
    flags = {p.id: [i.what for i in record_items(p, s) if item_state(i, today) in
                    ("overdue", "missing")] for p in people}
    return render_template("staffing/staff_index.html", people=people, homes=homes,
                           flags=flags, can_add=current_user.role in (ADMIN, MANAGER),
                           title="Staff", **LABELS)


@bp.route("/staff/<int:staff_id>")
@roles_required(*STAFF_READERS, "home_staff", "relief_staff")
def staff_show(staff_id: int):
    staff = visible_staff(staff_id)
    s, today = council.load(), clock.today()
    items = [(i, item_state(i, today)) for i in record_items(staff, s)]
    absences = db.session.scalars(select(Absence).where(Absence.staff_id == staff.id)
                                  .order_by(Absence.starts_on.desc()).limit(10)).all()
    return render_template("staffing/staff_show.html", staff=staff, items=items, today=today,
                           absences=absences, can_edit=may_edit_staff(staff),
                           can_induct=current_user.role == ADMIN or (
                               current_user.role == MANAGER and (
                                   staff.home_id is None or staff.home_id in my_home_ids())),
                           settings=s, title=staff.name, **LABELS)


def _staff_form(form: StaffForm, staff: StaffMember | None) -> None:
    homes = db.session.scalars(select(Home).order_by(Home.name)).all()
    relief_pool = current_user.role == ADMIN
    if current_user.role == MANAGER:
        homes = [h for h in homes if h.id in my_home_ids()]
    linked = set(db.session.scalars(select(StaffMember.user_id).where(
        StaffMember.user_id.is_not(None), StaffMember.id != (staff.id if staff else -1))))
    users = [u for u in db.session.scalars(select(User).where(User.role.in_(
        ("registered_manager", "home_staff", "relief_staff"))).order_by(User.display_name))
        if u.id not in linked and services.may_link(current_actor(), u)]
    form.offer(homes, users, relief_pool)


def _details(form: StaffForm) -> services.StaffDetails:
    return services.StaffDetails(
        name=form.name.data or "", role=form.role.data, home_id=form.home_id.data,
        contracted_minutes=form.contracted_hours.minutes or 0,
        started_on=form.started_on.data, user_id=form.user_id.data,
        active=bool(form.active.data), opted_out_48h=bool(form.opted_out_48h.data),
        level3_achieved_on=form.level3_achieved_on.data,
        level5_achieved_on=form.level5_achieved_on.data,
        last_appraisal_on=form.last_appraisal_on.data)


def _home_allowed(home_id: int | None) -> None:
    """Managers keep only their own homes' staff (never the relief pool)."""
    if current_user.role == MANAGER and home_id not in my_home_ids():
        abort(403)


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_new():
    form = StaffForm(data={"active": True, "contracted_hours": "37.5"})
    _staff_form(form, None)

    def action():
        details = _details(form)
        _home_allowed(details.home_id)
        staff = services.create_staff(details, actor=current_actor(), today=clock.today())
        return f"{staff.name} has been added", url_for("staffing.staff_show", staff_id=staff.id)

    return submit(form, "staffing/form.html", action, heading="Add a member of staff",
                  back=url_for("staffing.staff_index"))


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_edit(staff_id: int):
    staff = editable_staff(staff_id)
    form = StaffForm(data=_staff_data(staff))
    _staff_form(form, staff)

    def action():
        details = _details(form)
        _home_allowed(details.home_id)
        services.update_staff(staff.id, details, actor=current_actor(), today=clock.today(),
                              seen_version=_int(form.version.data))
        return f"{staff.name}'s record has been saved", _page(staff)

    return submit(form, "staffing/form.html", action, heading=f"Edit {staff.name}'s record",
                  back=_page(staff), refresh=lambda f: setattr(f.version, "data", staff.version))


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


def _staff_data(staff: StaffMember) -> dict:
    fields = ("name", "role", "home_id", "started_on", "user_id", "active", "opted_out_48h",
              "level3_achieved_on", "level5_achieved_on", "last_appraisal_on", "version")
    data = {f: getattr(staff, f) for f in fields}
    data["contracted_hours"] = f"{staff.contracted_minutes / 60:g}"
    return data


def _page(staff: StaffMember) -> str:
    return url_for("staffing.staff_show", staff_id=staff.id)


def _relief_by_admin(staff: StaffMember) -> None:
    """The relief pool's records are kept by administrators."""
    if staff.home_id is None and current_user.role != ADMIN:
        abort(403)


@bp.route("/staff/<int:staff_id>/dbs", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_dbs(staff_id: int):
    staff = editable_staff(staff_id)
    form = DbsForm(data={"issued_on": staff.dbs_issued_on, "barred_list": staff.dbs_barred_list,
                         "update_service": staff.dbs_update_service,
                         "status_checked_on": staff.dbs_status_checked_on})

    def action():
        services.record_dbs(staff.id, issued_on=form.issued_on.data,
                            barred_list=bool(form.barred_list.data),
                            update_service=bool(form.update_service.data),
                            status_checked_on=form.status_checked_on.data, actor=current_actor(),
                            today=clock.today())
        return f"{staff.name}'s DBS check has been saved", _page(staff)

    return submit(form, "staffing/form.html", action, heading="Record a DBS check",
                  caption=staff.name, back=_page(staff))


@bp.route("/staff/<int:staff_id>/training", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_training(staff_id: int):
    staff = editable_staff(staff_id)
    form = TrainingForm()
    form.course.choices = choices([("", "Choose a course")] + [
        (c, c) for c in council.load().mandatory_training])

    def action():
        services.add_training(staff.id, course=form.course.data or "",
                              completed_on=form.completed_on.data,
                              valid_until=form.valid_until.data, actor=current_actor(),
                              today=clock.today())
        return f"{form.course.data} training has been added", _page(staff)

    return submit(form, "staffing/form.html", action, heading="Add training",
                  caption=staff.name, back=_page(staff))


@bp.route("/staff/<int:staff_id>/induction", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_induction(staff_id: int):
    staff = visible_staff(staff_id)
    homes = db.session.scalars(select(Home).order_by(Home.name)).all()
    if current_user.role == MANAGER:
        homes = [h for h in homes if h.id in my_home_ids()]
    form = InductionForm(data={"inducted_on": clock.today()})
    form.home_id.choices = choices([("", "Choose a home")] + [(h.id, h.name) for h in homes])

    def action():
        home_id = form.home_id.data
        if home_id is not None and home_id not in {h.id for h in homes}:
            abort(403)
        row = services.record_induction(staff.id, home_id or -1, form.inducted_on.data,
                                        actor=current_actor(), today=clock.today())
        return f"{staff.name}'s induction at {row.home.name} is recorded", _page(staff)

    return submit(form, "staffing/form.html", action, heading="Record an induction",
                  caption=staff.name, back=_page(staff))


@bp.route("/staff/<int:staff_id>/absence", methods=["GET", "POST"])
@roles_required(ADMIN, MANAGER)
def staff_absence(staff_id: int):
    staff = editable_staff(staff_id)
    today = clock.today()
    form = AbsenceForm(data={"starts_on": today, "ends_on": today})

    def action():
        _, count = mark_absence(staff, kind=form.kind.data, starts_on=form.starts_on.data,
                                ends_on=form.ends_on.data, note=form.note.data or "",
                                actor=current_actor(), now=clock.utcnow())
        shifts = f"{count} shift{'s' if count != 1 else ''}"
        return f"Absence recorded: {shifts} now uncovered", _page(staff)

    return submit(form, "staffing/form.html", action, heading="Record sickness or leave",
                  caption=staff.name, back=_page(staff))


@bp.route("/staffing/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings():
    current = council.load()
    form = SettingsForm(data={**current.as_strings(), "short_rest": current.short_rest,
                              "dbs_recheck_years": current.dbs_recheck_years,
                              "release_notice_hours": current.release_notice_hours,
                              "home_first_hours": current.home_first_hours})

    def action():
        services.update_settings(council.StaffingSettings(
            dbs_recheck_years=form.dbs_recheck_years.data,
            mandatory_training=tuple((form.mandatory_training.data or "").splitlines()),
            release_notice_hours=form.release_notice_hours.data,
            short_rest=form.short_rest.data,
            home_first_hours=form.home_first_hours.data), actor=current_actor())
        return "Staffing settings saved", url_for("staffing.settings")

    return submit(form, "staffing/form.html", action, heading="Staffing settings",
                  back=url_for("staffing.staff_index"))


@bp.app_context_processor
def _staffing_nav():
    """What the navigation needs: the signed-in person's rota home, if any."""
    if not getattr(current_user, "is_authenticated", False) or request.endpoint is None:
        return {}
    homes = current_user.homes if current_user.role in (MANAGER, "home_staff") else []
    return {"rota_home_id": homes[0].id if homes else None}
