"""Builders for staffing tests: vetted staff, shift types and open shifts, committed."""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.audit.services import snapshot
from homes_app.extensions import db
from homes_app.staffing.people.models import Induction, StaffMember, TrainingRecord
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota import services as rota
from homes_app.staffing.rota.models import Shift, ShiftAssignment, ShiftType, StaffingRule
from homes_app.staffing.settings import DEFAULT_TRAINING

TODAY = date(2026, 11, 22)  # the frozen clock's date (a Sunday)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=clock.LONDON)
_seq = itertools.count(1)


def staff(home=None, *, user=None, role=None, vetted_until: date = date(2028, 6, 30),
          inducted=(), **kw) -> StaffMember:
    """A staff member with a current DBS and every mandatory course until `vetted_until`."""
    n = next(_seq)
    role = role or ("relief" if home is None else "rsw")
    member = StaffMember(
        name=kw.pop("name", f"Worker {n}"), role=role, home_id=home.id if home else None,
        contracted_minutes=int(kw.pop("contracted_hours", 20 if home else 0) * 60),
        started_on=kw.pop("started_on", date(2022, 1, 10)),
        user_id=user.id if user else None, active=True,
        dbs_issued_on=kw.pop("dbs_issued_on", date(2025, 1, 1)),
        dbs_barred_list=kw.pop("dbs_barred_list", True), dbs_update_service=False,
        opted_out_48h=kw.pop("opted_out_48h", False), calendar_version=1, version=1, **kw)
    db.session.add(member)
    db.session.flush()
    for course in DEFAULT_TRAINING:
        db.session.add(TrainingRecord(staff_id=member.id, course=course,
                                      completed_on=date(2025, 1, 1), valid_until=vetted_until))
    for h in inducted:
        db.session.add(Induction(staff_id=member.id, home_id=h.id, inducted_on=date(2025, 2, 1)))
    db.session.commit()
    return member


def shift_type(home, name="Long day", starts=time(8), ends=time(22), kind="day",
               minimum: dict[int, int] | None = None) -> ShiftType:
    st = ShiftType(home_id=home.id, name=name, starts_at=starts, ends_at=ends, kind=kind,
                   counts_as_work=True, active=True)
    db.session.add(st)
    db.session.flush()
    for children, least in (minimum or {}).items():
        db.session.add(StaffingRule(shift_type_id=st.id, min_children=children, minimum=least))
    db.session.commit()
    return st


def shift(home, st: ShiftType, on: date, *, offered: bool = False, approval: bool = False,
          home_first: bool = False, assignee: StaffMember | None = None) -> Shift:
    """A shift on the rota, optionally offered to the relief pool now (committed)."""
    s = rota.new_shift(home.id, st, on, clock.utcnow())
    if assignee is not None:
        s.assignee_id, s.cover = assignee.id, "contracted" if assignee.home_id else "relief"
    db.session.add(s)
    db.session.flush()
    if assignee is not None:
        db.session.add(ShiftAssignment(shift_id=s.id, staff_id=assignee.id, status="confirmed",
                                       sequence=1, induction=False, created_at=clock.utcnow(),
                                       updated_at=clock.utcnow()))
    if offered:
        relief.offer_shift(s, home_first=home_first, approval_required=approval, actor=None,
                           now=clock.utcnow())
    db.session.commit()
    return s


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def audit_count(action: str | None = None) -> int:
    stmt = select(func.count(AuditEvent.id))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.session.scalar(stmt) or 0


def state() -> dict:
    """Everything a refused staffing action must leave alone."""
    db.session.expire_all()
    return {
        "shifts": [snapshot(s) for s in db.session.scalars(select(Shift).order_by(Shift.id))],
        "bookings": [snapshot(a) for a in db.session.scalars(
            select(ShiftAssignment).order_by(ShiftAssignment.id))],
        "staff": [snapshot(s) for s in db.session.scalars(
            select(StaffMember).order_by(StaffMember.id))],
        "audit": audit_count(),
    }
