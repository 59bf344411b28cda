"""The rota's records: publishing a week (versions kept as published), what was actually
worked once a shift has ended, and absence turning a person's shifts into uncovered shifts.

Like the other rota services: lock the home, check, change, audit, flush; never commit.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ...audit.services import record, snapshot
from ...common.dates import long_date
from ...errors import DomainError
from ...extensions import db
from ...homes.services import lock_home
from ..people.models import ABSENCE_KINDS, Absence, StaffMember
from ..times import monday, when
from . import assignments
from .models import WORKED_OUTCOMES, RotaPublication, Shift
from .services import _shift_after, flush


def publish_week(home_id: int, week_start: date, *, actor, now: datetime) -> RotaPublication:
    """Publish the week's planned rota as a new version; earlier versions are kept as they were."""
    lock_home(home_id)
    week_start = monday(week_start)
    shifts = db.session.scalars(select(Shift).where(
        Shift.home_id == home_id, Shift.on_date >= week_start,
        Shift.on_date < week_start + timedelta(days=7)).order_by(Shift.starts_at, Shift.id)).all()
    if not shifts:
        raise DomainError("There are no shifts in this week to publish")
    latest = db.session.scalar(select(func.max(RotaPublication.version)).where(
        RotaPublication.home_id == home_id, RotaPublication.week_start == week_start)) or 0
    staff = {s.id: s.name for s in db.session.scalars(select(StaffMember).where(
        StaffMember.id.in_({s.assignee_id for s in shifts if s.assignee_id})))}
    pub = RotaPublication(home_id=home_id, week_start=week_start, version=latest + 1,
                          published_at=now, published_by_id=getattr(actor, "id", None),
                          snapshot=[_published(s, staff) for s in shifts])
    db.session.add(pub)
    db.session.flush()
    record(actor, "rota.publish", pub, after={"week_start": week_start.isoformat(),
                                              "version": pub.version, "shifts": len(shifts)},
           home_id=home_id)
    return pub


def _published(s: Shift, staff: dict[int, str]) -> dict:
    return {"shift_id": s.id, "on_date": s.on_date.isoformat(), "type": s.shift_type.name,
            "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
            "status": s.status, "assignee_id": s.assignee_id,
            "assignee": staff.get(s.assignee_id) or s.agency_name, "cover": s.cover}


def record_worked(shift: Shift, *, outcome: str, worked_by_id: int | None, note: str, actor,
                  now: datetime) -> Shift:
    """After the shift has ended: who actually worked it, or sickness or absence. The planned
    rota is left as it was."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    if shift.ends_at > now:
        raise DomainError(f"The rota worked can be recorded once the shift has ended "
                          f"({when(shift.ends_at)})", "outcome")
    if shift.status != "active":
        raise DomainError("This shift was cancelled: nobody worked it", "outcome")
    if outcome not in WORKED_OUTCOMES:
        raise DomainError("Choose what happened", "outcome")
    worked_by = _who_worked(shift, outcome, worked_by_id)
    before = snapshot(shift, ["worked_outcome", "worked_by_id", "worked_note"])
    shift.worked_outcome, shift.worked_by_id = outcome, worked_by
    shift.worked_note = (note or "").strip() or None
    flush()
    record(actor, "shift.worked", shift, before=before,
           after=snapshot(shift, ["worked_outcome", "worked_by_id", "worked_note"]),
           home_id=shift.home_id)
    return shift


def _who_worked(shift: Shift, outcome: str, worked_by_id: int | None) -> int | None:
    if outcome == "worked":
        if shift.assignee_id is None and shift.agency_name is None:
            raise DomainError("Nobody was planned on this shift: choose who worked it instead "
                              "(someone else worked it)", "outcome")
        return shift.assignee_id
    if outcome == "swapped":
        staff = db.session.get(StaffMember, worked_by_id) if worked_by_id else None
        if staff is None or staff.home_id not in (shift.home_id, None):
            raise DomainError("Choose who worked the shift", "worked_by_id")
        if staff.id == shift.assignee_id:
            raise DomainError("That is the person planned: choose 'Worked as planned'",
                              "worked_by_id")
        return staff.id
    return None


def mark_absence(staff: StaffMember, *, kind: str, starts_on: date | None,
                 ends_on: date | None, note: str, actor, now: datetime) -> tuple[Absence, int]:
    """Sickness or leave from `starts_on` to `ends_on` (inclusive): the person's shifts on those
    days that have not started become uncovered. Returns the absence and how many shifts."""
    if kind not in ABSENCE_KINDS:
        raise DomainError("Choose the kind of absence", "kind")
    if starts_on is None:
        raise DomainError("Enter the first day of the absence", "starts_on")
    if ends_on is None:
        raise DomainError("Enter the last day of the absence", "ends_on")
    if ends_on < starts_on:
        raise DomainError(f"The last day ({long_date(ends_on)}) cannot be before the first "
                          f"({long_date(starts_on)})", "ends_on")
    if (ends_on - starts_on).days > 366:
        raise DomainError("An absence can be recorded for up to a year at a time", "ends_on")
    affected = db.session.scalars(select(Shift).where(
        Shift.assignee_id == staff.id, Shift.status == "active", Shift.starts_at > now,
        Shift.on_date >= starts_on, Shift.on_date <= ends_on).order_by(Shift.starts_at)).all()
    for home_id in sorted({s.home_id for s in affected}):
        lock_home(home_id)
    absence = Absence(staff_id=staff.id, kind=kind, starts_on=starts_on, ends_on=ends_on,
                      note=(note or "").strip(), recorded_at=now)
    db.session.add(absence)
    for shift in affected:
        db.session.refresh(shift)
        before = _shift_after(shift)
        assignments.unassign(shift, "absence", now, ABSENCE_KINDS[kind])
        flush()
        record(actor, "shift.uncovered", shift, before=before, after=_shift_after(shift),
               home_id=shift.home_id)
    db.session.flush()
    record(actor, "staff.absence", absence, after=snapshot(absence), home_id=staff.home_id)
    return absence, len(affected)


