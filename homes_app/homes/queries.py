"""Reads about homes alone: the council's default occupancy target, how many homes there are."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from . import council_settings
from .models import Home


def default_target() -> int:
    value = council_settings.value("default_target_occupancy_pct")
    return int(value) if value else 80


def count_homes() -> int:
    return db.session.scalar(select(func.count(Home.id))) or 0
