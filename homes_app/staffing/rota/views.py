"""A home's rota: the week grid (printable), publishing it, its published versions, and the
set-up behind it: shift types, minimum staffing rules and rota patterns."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import clock
from ...common.dates import iso_date
from ...extensions import db
from ...web import choices, current_actor, roles_required
from ..pages import (
    MANAGER,
    ROTA_READERS,
    bp,
    home_in_scope,
    in_home,
    managed_home,
    my_home_ids,
    submit,
)
from ..people.models import StaffMember
from ..times import WEEKDAYS, monday
from . import patterns
from . import records as rota_records
from . import services as rota
from .forms import GenerateForm, PatternForm, PublishForm, RuleForm, ShiftTypeForm, SlotForm
from .measures import home_staffing
from .models import (
    COVER,
    SHIFT_KINDS,
    PatternSlot,
    RotaPattern,
    RotaPublication,
    ShiftType,
    StaffingRule,
)
from .queries import pending_claims, rota_week

LABELS = dict(SHIFT_KINDS=SHIFT_KINDS, COVER=COVER, WEEKDAYS=WEEKDAYS)


def _week(raw: str | None) -> tuple[date, str]:
    """The Monday of the week asked for (this week by default), and any message about it."""
    today = clock.today()
    if not raw:
        return monday(today), ""
    try:
        return monday(iso_date(raw)), ""
    except ValueError:
        return monday(today), "Enter the week as a real date, like 2026-11-23; showing this week"


def _rota_url(home_id: int, first: date) -> str:
    return url_for("staffing.rota", home_id=home_id, week=first.isoformat())


@bp.route("/homes/<int:home_id>/rota", endpoint="rota")
@roles_required(*ROTA_READERS)
def rota_page(home_id: int):
    home = home_in_scope(home_id)
    first, message = _week(request.args.get("week"))
    week = rota_week(home.id, first)
    manages = current_user.role == MANAGER and home.id in my_home_ids()
    return render_template(
        "staffing/rota.html", home=home, week=week, message=message, manages=manages,
        today=clock.today(), publish_form=PublishForm() if manages else None,
        pending=pending_claims(home.id) if manages else [],
        figures=home_staffing(home.id, first, first + timedelta(days=7)),
        previous=first - timedelta(days=7), following=first + timedelta(days=7),
        title=f"Rota: {home.name}", **LABELS)



@bp.route("/homes/<int:home_id>/rota/publish", methods=["POST"])
@roles_required(MANAGER)
def publish(home_id: int):
    home = managed_home(home_id)
    first, _ = _week(request.args.get("week"))
    form = PublishForm()

    def action():
        pub = rota_records.publish_week(home.id, first, actor=current_actor(), now=clock.utcnow())
        return (f"Version {pub.version} of the week from {first:%-d %B %Y} is published",
                _rota_url(home.id, first))

    week = rota_week(home.id, first)
    return submit(form, "staffing/rota.html", action, home=home, week=week, message="",
                  manages=True, today=clock.today(), publish_form=form,
                  pending=pending_claims(home.id),
                  figures=home_staffing(home.id, first, first + timedelta(days=7)),
                  previous=first - timedelta(days=7), following=first + timedelta(days=7),
                  title=f"Rota: {home.name}", **LABELS)


@bp.route("/homes/<int:home_id>/rota/publications/<int:publication_id>")
@roles_required(*ROTA_READERS)
def publication(home_id: int, publication_id: int):
    home = home_in_scope(home_id)
    pub = in_home(db.session.get(RotaPublication, publication_id), home)
    versions = db.session.scalars(select(RotaPublication).where(
        RotaPublication.home_id == home.id, RotaPublication.week_start == pub.week_start)
        .order_by(RotaPublication.version)).all()
    return render_template("staffing/publication.html", home=home, pub=pub, versions=versions,
                           title=f"Published rota: {home.name}", **LABELS)


# ---- set-up: shift types, minimum staffing, patterns ------------------------------------

@bp.route("/homes/<int:home_id>/rota/setup")
@roles_required(MANAGER)
def setup(home_id: int):
    home = managed_home(home_id)
    types = db.session.scalars(select(ShiftType).where(ShiftType.home_id == home.id)
                               .order_by(ShiftType.starts_at, ShiftType.name)).all()
    pattern_list = db.session.scalars(select(RotaPattern).where(
        RotaPattern.home_id == home.id).order_by(RotaPattern.name)).all()
    return render_template("staffing/setup.html", home=home, types=types,
                           patterns=pattern_list, title=f"Rota set-up: {home.name}", **LABELS)


def _setup_url(home) -> str:
    return url_for("staffing.setup", home_id=home.id)


def _shift_type_page(home, form, shift_type: ShiftType | None):
    def action():
        st = rota.save_shift_type(home.id, name=form.name.data, starts_at=form.starts_at.time,
                                  ends_at=form.ends_at.time, kind=form.kind.data,
                                  counts_as_work=bool(form.counts_as_work.data), actor=current_actor(),
                                  shift_type=shift_type)
        return f"{st.name} has been saved", _setup_url(home)

    return submit(form, "staffing/form.html", action, caption=home.name,
                  heading="Edit shift type" if shift_type else "Add a shift type",
                  back=_setup_url(home))


@bp.route("/homes/<int:home_id>/shift-types/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_type_new(home_id: int):
    home = managed_home(home_id)
    return _shift_type_page(home, ShiftTypeForm(data={"kind": "day", "counts_as_work": True}),
                            None)


@bp.route("/homes/<int:home_id>/shift-types/<int:shift_type_id>/edit", methods=["GET", "POST"])
@roles_required(MANAGER)
def shift_type_edit(home_id: int, shift_type_id: int):
    home = managed_home(home_id)
    st = in_home(db.session.get(ShiftType, shift_type_id), home)
    form = ShiftTypeForm(data={"name": st.name, "starts_at": st.starts_at.strftime("%H:%M"),
                               "ends_at": st.ends_at.strftime("%H:%M"), "kind": st.kind,
                               "counts_as_work": st.counts_as_work})
    return _shift_type_page(home, form, st)


@bp.route("/homes/<int:home_id>/shift-types/<int:shift_type_id>/rules", methods=["GET", "POST"])
@roles_required(MANAGER)
def rule_new(home_id: int, shift_type_id: int):
    home = managed_home(home_id)
    st = in_home(db.session.get(ShiftType, shift_type_id), home)
    form = RuleForm()

    def action():
        rota.set_rule(st, min_children=form.min_children.data, minimum=form.minimum.data,
                      actor=current_actor())
        return f"Minimum staffing for {st.name} saved", _setup_url(home)

    return submit(form, "staffing/form.html", action, caption=f"{home.name}: {st.name}",
                  heading="Minimum staffing", back=_setup_url(home),
                  intro="For example: with 1 child or more, at least 2 staff. With fewer "
                  "children than any rule, no minimum applies.")


@bp.route("/homes/<int:home_id>/rules/<int:rule_id>/remove", methods=["POST"])
@roles_required(MANAGER)
def rule_remove(home_id: int, rule_id: int):
    home = managed_home(home_id)
    rule = in_home(db.session.get(StaffingRule, rule_id), home, lambda r: r.shift_type.home_id)
    form = PublishForm()  # nonce and CSRF only

    def action():
        rota.remove_rule(rule, actor=current_actor())
        return "The rule has been removed", _setup_url(home)

    return submit(form, "staffing/form.html", action, heading="Remove a rule",
                  back=_setup_url(home))


@bp.route("/homes/<int:home_id>/patterns/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def pattern_new(home_id: int):
    home = managed_home(home_id)
    form = PatternForm(data={"weeks": 4, "starts_on": monday(clock.today())})

    def action():
        p = patterns.create_pattern(home.id, name=form.name.data, weeks=form.weeks.data,
                                    starts_on=form.starts_on.data, actor=current_actor())
        return f"{p.name} has been created: add its shifts", _pattern_url(home, p)

    return submit(form, "staffing/form.html", action, caption=home.name,
                  heading="Create a rota pattern", back=_setup_url(home))


def _pattern_url(home, pattern) -> str:
    return url_for("staffing.pattern", home_id=home.id, pattern_id=pattern.id)


def _slot_form(home, pattern, form: SlotForm | None = None) -> SlotForm:
    form = form or SlotForm()
    form.week.choices = choices((n, f"Week {n}") for n in range(1, pattern.weeks + 1))
    form.shift_type_id.choices = choices([("", "Choose a shift")] + [
        (t.id, t.name) for t in db.session.scalars(select(ShiftType).where(
            ShiftType.home_id == home.id).order_by(ShiftType.starts_at))])
    form.staff_id.choices = choices([("", "Open: fill later")] + [
        (s.id, s.name) for s in db.session.scalars(select(StaffMember).where(
            StaffMember.home_id == home.id, StaffMember.active.is_(True))
            .order_by(StaffMember.name))])
    return form


def _pattern_context(home, pattern, **extra) -> dict:
    context = dict(home=home, pattern=pattern, gaps=patterns.gaps(pattern),
                   title=f"{pattern.name}: {home.name}", **LABELS)
    context.setdefault("slot_form", _slot_form(home, pattern))
    context.setdefault("generate_form", GenerateForm(data={
        "first": clock.today() + timedelta(days=1),
        "last": clock.today() + timedelta(days=28)}))
    context.update(extra)
    return context


@bp.route("/homes/<int:home_id>/patterns/<int:pattern_id>")
@roles_required(MANAGER)
def pattern(home_id: int, pattern_id: int):
    home = managed_home(home_id)
    p = in_home(db.session.get(RotaPattern, pattern_id), home)
    return render_template("staffing/pattern.html", **_pattern_context(home, p))


@bp.route("/homes/<int:home_id>/patterns/<int:pattern_id>/slots", methods=["POST"])
@roles_required(MANAGER)
def pattern_slot(home_id: int, pattern_id: int):
    home = managed_home(home_id)
    p = in_home(db.session.get(RotaPattern, pattern_id), home)
    form = _slot_form(home, p)

    def action():
        slots = patterns.add_slot(p, week=form.week.data, weekdays=form.weekdays.data or [],
                                  shift_type_id=form.shift_type_id.data,
                                  staff_id=form.staff_id.data, actor=current_actor())
        return f"{len(slots)} shift{'s' if len(slots) != 1 else ''} added to week " \
               f"{form.week.data}", _pattern_url(home, p)

    context = _pattern_context(home, p, slot_form=form)
    context.pop("title")
    return submit(form, "staffing/pattern.html", action, title=p.name, **context)


@bp.route("/homes/<int:home_id>/patterns/<int:pattern_id>/slots/<int:slot_id>/remove",
          methods=["POST"])
@roles_required(MANAGER)
def pattern_slot_remove(home_id: int, pattern_id: int, slot_id: int):
    home = managed_home(home_id)
    p = in_home(db.session.get(RotaPattern, pattern_id), home)
    slot = db.session.get(PatternSlot, slot_id)
    if slot is None or slot.pattern_id != p.id:
        abort(404)
    form = PublishForm()

    def action():
        patterns.remove_slot(slot, actor=current_actor())
        return "The shift has been taken out of the pattern", _pattern_url(home, p)

    return submit(form, "staffing/form.html", action, heading="Remove a shift from the pattern",
                  back=_pattern_url(home, p))


@bp.route("/homes/<int:home_id>/patterns/<int:pattern_id>/generate", methods=["POST"])
@roles_required(MANAGER)
def pattern_generate(home_id: int, pattern_id: int):
    home = managed_home(home_id)
    p = in_home(db.session.get(RotaPattern, pattern_id), home)
    form = GenerateForm()

    def action():
        made, skipped = patterns.generate(p, first=form.first.data, last=form.last.data,
                                          actor=current_actor(), now=clock.utcnow())
        note = f"; {skipped} day{'s' if skipped != 1 else ''} already on the rota were left " \
               "as they were" if skipped else ""
        return f"{made} shifts added to the rota{note}", _rota_url(home.id, monday(
            form.first.data))

    context = _pattern_context(home, p, generate_form=form)
    context.pop("title")
    return submit(form, "staffing/pattern.html", action, title=p.name, **context)
