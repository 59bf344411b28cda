"""Home pages: the list of homes, a home's page, and the all-homes occupancy overview."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..auth.models import Role
from ..auth.services import homes_in_scope, may_record_moves, may_see_children
from ..extensions import db
from ..placements.models import Placement
from ..placements.queries import home_occupancy
from ..web import get_in_scope, roles_required
from . import queries
from .models import HOME_STATUSES, HOME_TYPES, Home

bp = Blueprint("homes", __name__)

SEE_HOMES = (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER, Role.HOME_STAFF)


@bp.route("/homes")
@roles_required(*SEE_HOMES)
def index():
    scope = homes_in_scope(current_user)
    stmt = select(Home).order_by(Home.name)
    if scope is not None:
        stmt = stmt.where(Home.id.in_(scope))
    return render_template("homes/index.html", homes=db.session.scalars(stmt).all(),
                           HOME_STATUSES=HOME_STATUSES, HOME_TYPES=HOME_TYPES, title="Homes")


@bp.route("/overview")
@roles_required(Role.SERVICE_DIRECTOR, Role.ADMINISTRATOR)
def overview():
    today = clock.today()
    summaries = queries.overview(today, queries.default_target())
    return render_template("homes/overview.html", summaries=summaries, today=today,
                           title="Occupancy across homes")


@bp.route("/homes/<int:home_id>")
@roles_required(*SEE_HOMES)
def show(home_id: int):
    home = get_in_scope(Home, home_id, lambda h: h.id)
    today = clock.today()
    month_start = today.replace(day=1)
    beds = queries.beds_tonight([home.id], today)[home.id]
    recent = db.session.scalars(
        select(Placement).where(Placement.home_id == home.id)
        .order_by(Placement.created_at.desc()).limit(10)).all()
    return render_template(
        "homes/show.html", home=home, beds=beds, today=today, recent=recent,
        month=home_occupancy(home.id, month_start, _next_month(month_start)),
        month_to_date=home_occupancy(home.id, month_start, today),
        target=home.target_occupancy_pct or queries.default_target(),
        can_move=may_record_moves(current_user, home.id),
        see_children=may_see_children(current_user),
        HOME_STATUSES=HOME_STATUSES, HOME_TYPES=HOME_TYPES, title=home.name)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
