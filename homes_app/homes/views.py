"""Home pages: the list of homes, a home's page, the all-homes occupancy overview, and the
administration of homes and council settings (beds, holds and out-of-use periods are
bed_views.py).

Administrators create and edit homes; a home's registered manager keeps its beds; directors
read; home staff read their own homes; relief staff see no home pages (403). Another home's
ids are 404. Each form view runs one service and commits once.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..auth.models import Role, User
from ..auth.services import homes_in_scope, may_record_moves, may_see_children
from ..common.dates import iso_date
from ..extensions import db
from ..placements import home_changes, tonight
from ..placements.queries import Occupancy, home_occupancy_in, recent_moves
from ..web import audited_read, current_actor, roles_required, writes_on_get
from . import queries, services
from .forms import (
    HomeForm,
    SettingsForm,
    home_data,
    seen_version,
)
from .models import (
    BedHold,
    BedOutOfUse,
    Home,
)
from .pages import ADMIN, LABELS, MANAGER, SEE_HOMES, bp, home_in_scope, home_page, submit
from .queries import current_periods


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
@writes_on_get
def show(home_id: int):
    home = home_in_scope(home_id)
    today = clock.today()
    beds = tonight.beds_tonight([home.id], today)[home.id]
    period = PeriodFilter(request.args, today)
    recent = recent_moves(home.id, today)
    see_children = may_see_children(current_user)
    month, month_to_date, chosen = _occupancy(home.id, today, period)
    page = render_template(
        "homes/show.html", home=home, beds=beds, today=today, period=period,
        period_occupancy=chosen, recent=recent, month=month, month_to_date=month_to_date,
        target=home.target_occupancy_pct or queries.default_target(),
        can_move=may_record_moves(current_user, home.id),
        can_edit=current_user.role == ADMIN,
        see_children=see_children,
        holds=current_periods(BedHold, home.id, today),
        out_of_use=current_periods(BedOutOfUse, home.id, today),
        title=home.name, **LABELS)
    named = _children_named(beds, recent) if see_children else []
    return audited_read(page, "home.page", named, subject_type="homes", subject_id=home.id,
                        home_id=home.id)


def _occupancy(home_id: int, today: date, period: PeriodFilter):
    """This month, this month up to and including tonight (a child admitted today counts
    straight away), and the chosen period (False when not valid): one statement."""
    month_start = today.replace(day=1)
    periods = [(month_start, _next_month(month_start)), (month_start, today + timedelta(days=1))]
    if period.valid:
        periods.append((period.start, period.end))
    month, to_date, *chosen = home_occupancy_in(home_id, periods)
    return month, to_date, chosen[0] if chosen else False


def _children_named(beds, recent) -> list[int]:
    """The children a home's page names: in its beds tonight, expected, and recent moves."""
    stays = [s for b in beds for s in (b.placement, b.planned) if s is not None]
    return [s.child_id for s in stays] + [m.placement.child_id for m in recent]


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
            return iso_date(raw)
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


# ---- shared form handling ----------------------------------------------------------------


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
        return f"{home.name} has been added", home_page(home)

    return submit(form, "homes/home_form.html", action, heading="Add a home",
                   back=url_for("homes.index"), default_target=queries.default_target())


@bp.route("/homes/<int:home_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(home_id: int):
    home = home_in_scope(home_id)
    form = HomeForm(data=home_data(home))
    form.set_managers(_managers())

    def action():
        home_changes.update_home(home.id, form.details(), actor=current_actor(), today=clock.today(),
                             seen_version=seen_version(form))
        return f"{home.name} has been saved", home_page(home)

    return submit(form, "homes/home_form.html", action, home=home,
                   heading=f"Edit {home.name}", back=home_page(home),
                   default_target=queries.default_target())


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings():
    form = SettingsForm(data={"default_target_occupancy_pct": queries.default_target()})

    def action():
        services.set_default_target(form.default_target_occupancy_pct.data, actor=current_actor(),
                                    today=clock.today())
        return "Council settings saved", url_for("homes.settings")

    return submit(form, "homes/form_page.html", action, heading="Council settings",
                   back=url_for("homes.index"), related=_OTHER_SETTINGS)


# Each capability keeps its settings beside its own pages; this page points to them all.
_OTHER_SETTINGS = (
    ("Staffing settings", "staffing.settings"),
    ("Alert thresholds and lead times", "alerts.settings"),
    ("Report settings", "reports.report_settings"),
    ("The council's area (for local placement)", "postcodes.council_area"),
)


# ---- beds --------------------------------------------------------------------------------


