"""Home pages: the list of homes, a home's page, the all-homes occupancy overview, and the
administration of homes, beds, holds, out-of-use periods and council settings.

Administrators create and edit homes; a home's registered manager keeps its beds; directors
read; home staff read their own homes; relief staff see no home pages (403). Another home's
ids are 404. Each form view runs one service and commits once.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from .. import clock
from ..auth.models import Role, User
from ..auth.services import homes_in_scope, may_record_moves, may_see_children
from ..extensions import db
from ..placements import beds, home_changes, tonight
from ..placements.queries import Occupancy, home_occupancy, recent_moves
from ..web import current_actor, get_in_scope, roles_required, submit_form
from . import queries, services
from .forms import (
    BedForm,
    EndPeriodForm,
    HoldForm,
    HomeForm,
    OutOfUseForm,
    RetireBedForm,
    SettingsForm,
    home_data,
    seen_version,
)
from .models import (
    HOME_STATUSES,
    HOME_TYPES,
    NEED_CATEGORIES,
    OUT_OF_USE_REASONS,
    SEXES_ADMITTED,
    Bed,
    BedHold,
    BedOutOfUse,
    Home,
)

bp = Blueprint("homes", __name__)

SEE_HOMES = (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER, Role.HOME_STAFF)
ADMIN, MANAGER = Role.ADMINISTRATOR, Role.REGISTERED_MANAGER
LABELS = dict(HOME_STATUSES=HOME_STATUSES, HOME_TYPES=HOME_TYPES, SEXES_ADMITTED=SEXES_ADMITTED,
              NEED_CATEGORIES=NEED_CATEGORIES, OUT_OF_USE_REASONS=OUT_OF_USE_REASONS)


@bp.route("/homes")
@roles_required(*SEE_HOMES)
def index():
    scope = homes_in_scope(current_user)
    stmt = select(Home).order_by(Home.name)
    if scope is not None:
        stmt = stmt.where(Home.id.in_(scope))
    return render_template("homes/index.html", homes=db.session.scalars(stmt).all(),
                           can_edit=current_user.role == ADMIN, title="Homes", **LABELS)


@bp.route("/overview")
@roles_required(Role.SERVICE_DIRECTOR, Role.ADMINISTRATOR)
def overview():
    today = clock.today()
    default_target = queries.default_target()
    summaries = tonight.overview(today, default_target)
    council = sum((s.last_30 for s in summaries), Occupancy())
    return render_template("homes/overview.html", summaries=summaries, today=today,
                           council=council, tonight=tonight.council_tonight(summaries),
                           default_target=default_target,
                           title="Occupancy across homes")


@bp.route("/homes/<int:home_id>")
@roles_required(*SEE_HOMES)
def show(home_id: int):
    home = _home(home_id)
    today = clock.today()
    month_start = today.replace(day=1)
    beds = tonight.beds_tonight([home.id], today)[home.id]
    period = PeriodFilter(request.args, today)
    return render_template(
        "homes/show.html", home=home, beds=beds, today=today, period=period,
        period_occupancy=period.valid and home_occupancy(home.id, period.start, period.end),
        recent=recent_moves(home.id, today),
        month=home_occupancy(home.id, month_start, _next_month(month_start)),
        # Up to and including tonight: a child admitted today counts straight away.
        month_to_date=home_occupancy(home.id, month_start, today + timedelta(days=1)),
        target=home.target_occupancy_pct or queries.default_target(),
        can_move=may_record_moves(current_user, home.id),
        can_edit=current_user.role == ADMIN,
        see_children=may_see_children(current_user),
        holds=_current_periods(BedHold, home.id, today),
        out_of_use=_current_periods(BedOutOfUse, home.id, today),
        title=home.name, **LABELS)


class PeriodFilter:
    """A period of nights chosen on a page: from the first night up to and including the last.

    Defaults to this month so far; a bad or inverted period gives a message, not an error."""

    def __init__(self, args, today: date):
        self.first_raw, self.last_raw = args.get("from", ""), args.get("to", "")
        self.error = ""
        first = self._parse(self.first_raw, today.replace(day=1), "first night")
        last = self._parse(self.last_raw, today, "last night")
        if not self.error and last < first:
            self.error = "The last night must be the same as or after the first night"
        self.first, self.last = first, last

    def _parse(self, raw: str, default: date, what: str) -> date:
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.error = self.error or f"Enter the {what} as a real date"
            return default

    @property
    def valid(self) -> bool:
        return not self.error

    @property
    def start(self) -> date:
        return self.first

    @property
    def end(self) -> date:
        return self.last + timedelta(days=1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _current_periods(model, home_id: int, today: date) -> list:
    """Holds or out-of-use periods not yet over, soonest first."""
    return db.session.scalars(select(model).join(Bed).where(
        Bed.home_id == home_id, or_(model.ends_on.is_(None), model.ends_on > today))
        .order_by(model.starts_on, model.id)).all()


# ---- shared form handling ----------------------------------------------------------------

def _submit(form, template: str, action: Callable[[], tuple[str, str]], home: Home | None = None,
            **context):
    """web.submit_form, re-reading the home's version when the form was stale."""
    def reread(f) -> None:
        f.version.data = home.version

    return submit_form(form, template, action, on_stale=reread if home else None, home=home,
                       **context)


def _home(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)


def _home_page(home: Home) -> str:
    return url_for("homes.show", home_id=home.id)


def _managers() -> list[User]:
    return db.session.scalars(select(User).where(
        User.role == MANAGER, User.active.is_(True)).order_by(User.display_name)).all()



# ---- homes -------------------------------------------------------------------------------

@bp.route("/homes/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    form = HomeForm(data={"status": "planned", "sex_admitted": "any"})
    form.set_managers(_managers())

    def action():
        home = services.create_home(form.details(), actor=current_actor(), today=clock.today())
        return f"{home.name} has been added", _home_page(home)

    return _submit(form, "homes/home_form.html", action, heading="Add a home",
                   back=url_for("homes.index"), default_target=queries.default_target())


@bp.route("/homes/<int:home_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(home_id: int):
    home = _home(home_id)
    form = HomeForm(data=home_data(home))
    form.set_managers(_managers())

    def action():
        home_changes.update_home(home.id, form.details(), actor=current_actor(), today=clock.today(),
                             seen_version=seen_version(form))
        return f"{home.name} has been saved", _home_page(home)

    return _submit(form, "homes/home_form.html", action, home=home,
                   heading=f"Edit {home.name}", back=_home_page(home),
                   default_target=queries.default_target())


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings():
    form = SettingsForm(data={"default_target_occupancy_pct": queries.default_target()})

    def action():
        services.set_default_target(form.default_target_occupancy_pct.data, actor=current_actor(),
                                    today=clock.today())
        return "Council settings saved", url_for("homes.settings")

    return _submit(form, "homes/form_page.html", action, heading="Council settings",
                   back=url_for("homes.index"), related=_OTHER_SETTINGS)


# Each capability keeps its settings beside its own pages; this page points to them all.
_OTHER_SETTINGS = (
    ("Staffing settings", "staffing.settings"),
    ("Alert thresholds and lead times", "alerts.settings"),
    ("Report settings", "reports.report_settings"),
    ("The council's area (for local placement)", "postcodes.council_area"),
)


# ---- beds --------------------------------------------------------------------------------

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
    return _submit(form, "homes/form_page.html", action, home=home, heading=heading,
                   caption=caption or home.name, back=_home_page(home))


@bp.route("/homes/<int:home_id>/beds/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_bed(home_id: int):
    home, today = _home(home_id), clock.today()
    form = BedForm(data={"version": home.version, "in_service_from": today})

    def action():
        bed = beds.add_bed(home.id, form.label.data, form.in_service_from.data,
                               actor=current_actor(), today=today, seen_version=seen_version(form))
        return f"{bed.label} has been added", _home_page(home)

    return _bed_page(home, form, action, "Add a bed")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/retire", methods=["GET", "POST"])
@roles_required(MANAGER)
def retire_bed(home_id: int, bed_id: int):
    home, today = _home(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = RetireBedForm(data={"version": home.version})

    def action():
        beds.retire_bed(home.id, bed.id, form.in_service_until.data, actor=current_actor(),
                            today=today, seen_version=seen_version(form))
        return f"{bed.label} will leave service", _home_page(home)

    return _bed_page(home, form, action, f"Take {bed.label} out of service")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/hold", methods=["GET", "POST"])
@roles_required(MANAGER)
def hold_bed(home_id: int, bed_id: int):
    home, today = _home(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = HoldForm(data={"version": home.version, "starts_on": today})

    def action():
        beds.hold_bed(home.id, bed.id, form.starts_on.data, form.ends_on.data,
                          note=form.note.data, actor=current_actor(), today=today,
                          seen_version=seen_version(form))
        return f"{bed.label} is held", _home_page(home)

    return _bed_page(home, form, action, f"Hold {bed.label} for matching")


@bp.route("/homes/<int:home_id>/holds/<int:hold_id>/end", methods=["GET", "POST"])
@roles_required(MANAGER)
def end_hold(home_id: int, hold_id: int):
    home, today = _home(home_id), clock.today()
    hold = _period(BedHold, home, hold_id)
    form = EndPeriodForm(data={"version": home.version, "ends_on": today})

    def action():
        beds.end_hold(home.id, hold.id, form.ends_on.data, actor=current_actor(), today=today,
                          seen_version=seen_version(form))
        return f"The hold on {hold.bed.label} has been ended", _home_page(home)

    return _bed_page(home, form, action, f"End the hold on {hold.bed.label}")


@bp.route("/homes/<int:home_id>/beds/<int:bed_id>/out-of-use", methods=["GET", "POST"])
@roles_required(MANAGER)
def out_of_use(home_id: int, bed_id: int):
    home, today = _home(home_id), clock.today()
    bed = _bed(home, bed_id)
    form = OutOfUseForm(data={"version": home.version, "starts_on": today})

    def action():
        beds.mark_out_of_use(home.id, bed.id, form.reason.data, form.starts_on.data,
                                 form.ends_on.data, note=form.note.data, actor=current_actor(),
                                 today=today, seen_version=seen_version(form))
        return f"{bed.label} is out of use", _home_page(home)

    return _bed_page(home, form, action, f"Mark {bed.label} out of use")


@bp.route("/homes/<int:home_id>/out-of-use/<int:period_id>/end", methods=["GET", "POST"])
@roles_required(MANAGER)
def end_out_of_use(home_id: int, period_id: int):
    home, today = _home(home_id), clock.today()
    period = _period(BedOutOfUse, home, period_id)
    form = EndPeriodForm(data={"version": home.version, "ends_on": today})

    def action():
        beds.end_out_of_use(home.id, period.id, form.ends_on.data, actor=current_actor(),
                                today=today, seen_version=seen_version(form))
        return f"{period.bed.label} is back in use", _home_page(home)

    return _bed_page(home, form, action, f"Put {period.bed.label} back in use")
