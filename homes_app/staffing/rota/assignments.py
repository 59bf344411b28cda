"""Bookings: the person-facing record of who has (or had) a shift, kept in step with the
shift's assignee so that people are told of changes and their calendar follows them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from .models import Shift, ShiftAssignment


def live(shift: Shift) -> ShiftAssignment | None:
    return db.session.scalar(select(ShiftAssignment).where(
        ShiftAssignment.shift_id == shift.id, ShiftAssignment.status != "ended"))


def book(shift: Shift, staff_id: int, now: datetime, *, pending: bool = False,
         warnings: list[str] | None = None, induction: bool = False) -> ShiftAssignment:
    """The person's booking of `shift`, new or renewed (the same calendar event comes back)."""
    a = db.session.scalar(select(ShiftAssignment).where(
        ShiftAssignment.shift_id == shift.id, ShiftAssignment.staff_id == staff_id))
    if a is None:
        a = ShiftAssignment(shift_id=shift.id, staff_id=staff_id, created_at=now, sequence=0)
        db.session.add(a)
    a.status = "pending" if pending else "confirmed"
    a.end_reason = a.reason = a.compensatory_rest = None
    a.warnings = "\n".join(warnings) if warnings else None
    a.induction = induction
    a.sequence += 1
    a.updated_at = now
    db.session.flush()
    return a


def end(shift: Shift, code: str, now: datetime, reason: str | None = None) -> None:
    """End the shift's live booking, if any, telling the person why."""
    a = live(shift)
    if a is not None:
        a.status, a.end_reason, a.reason = "ended", code, reason
        a.sequence += 1
        a.updated_at = now
        db.session.flush()


def touch(shift: Shift, now: datetime) -> None:
    """The shift's times changed: its calendar event changes too."""
    a = live(shift)
    if a is not None:
        a.sequence += 1
        a.updated_at = now


def unassign(shift: Shift, code: str, now: datetime, reason: str | None = None) -> None:
    end(shift, code, now, reason)
    shift.assignee_id = None
    shift.cover = None
    shift.claim_pending = False
    shift.agency_name = None
