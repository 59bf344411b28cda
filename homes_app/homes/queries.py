"""Reads about homes alone: the council's default occupancy target, how many homes there are."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from ..extensions import db
from . import council_settings
from .models import Bed, Home


def default_target() -> int:
    value = council_settings.value("default_target_occupancy_pct")
    return int(value) if value else 80


def count_homes() -> int:
    return db.session.scalar(select(func.count(Home.id))) or 0


def current_periods(model, home_id: int, today: date) -> list:
    """Holds or out-of-use periods not yet over, soonest first."""
    return db.session.scalars(select(model).join(Bed).where(
        Bed.home_id == home_id, or_(model.ends_on.is_(None), model.ends_on > today))
        .order_by(model.starts_on, model.id)).all()
