"""Reads for the relief pool: open shifts a person may pick up, and their own bookings. Each
costs a fixed number of queries, whatever the number of staff or shifts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ..people.models import StaffMember
from ..rota.eligibility import Verdict, check, their_shifts
from ..rota.models import Shift, ShiftAssignment
from ..settings import StaffingSettings
from ..times import local_moment
from .services import visible_to

HORIZON_DAYS = 56


@dataclass
class OpenShift:
    shift: Shift
    verdict: Verdict


def open_shifts(staff: StaffMember, now: datetime, s: StaffingSettings) -> list[OpenShift]:
    """Offered, uncovered shifts in the next eight weeks that reach this person and that the
    rules let them pick up (with any warnings), soonest first: three queries."""
    horizon = now + timedelta(days=HORIZON_DAYS)
    stmt = (select(Shift).options(joinedload(Shift.home), joinedload(Shift.shift_type))
            .where(Shift.status == "active", Shift.offered_at.is_not(None),
                   Shift.cover.is_(None), Shift.starts_at > now, Shift.starts_at < horizon)
            .order_by(Shift.starts_at, Shift.id))
    if staff.home_id is None:
        stmt = stmt.where(Shift.pool_from <= now)
    else:
        stmt = stmt.where(Shift.home_id == staff.home_id)
    offered = [s for s in db.session.scalars(stmt) if visible_to(s, staff, now)]
    if not offered:
        return []
    mine = their_shifts(staff.id, local_moment(now.date() - timedelta(weeks=18),
                                               datetime.min.time()),
                        horizon + timedelta(days=2))
    result = []
    for shift in offered:
        verdict = check(staff, shift, mine, s)
        if verdict.allowed:
            result.append(OpenShift(shift, verdict))
    return result


def my_bookings(staff_id: int, now: datetime) -> tuple[list[ShiftAssignment],
                                                       list[ShiftAssignment]]:
    """The person's live bookings from today on, and the ones ended in the last 30 days (so
    they are told), with shift, type and home: one query."""
    since = now - timedelta(days=30)
    rows = db.session.scalars(
        select(ShiftAssignment)
        .options(joinedload(ShiftAssignment.shift).joinedload(Shift.home),
                 joinedload(ShiftAssignment.shift).joinedload(Shift.shift_type))
        .join(Shift, Shift.id == ShiftAssignment.shift_id)
        .where(ShiftAssignment.staff_id == staff_id,
               or_(and_(ShiftAssignment.status != "ended", Shift.ends_at > now - timedelta(
                   hours=12)),
                   and_(ShiftAssignment.status == "ended", ShiftAssignment.updated_at > since,
                        Shift.ends_at > now)))
        .order_by(Shift.starts_at)).all()
    return ([a for a in rows if a.status != "ended"], [a for a in rows if a.status == "ended"])
