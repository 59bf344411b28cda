"""Reads about staff members."""
from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from .models import StaffMember


def staff_for(user_id: int) -> StaffMember | None:
    return db.session.scalar(select(StaffMember).where(StaffMember.user_id == user_id))
