"""Open shifts: offering an uncovered shift, picking it up, releasing it, and the manager's
approval, refusal or cancellation of a booking.

The first valid claim wins: a pick-up is one conditional UPDATE of the shift (only while it is
still active, offered and nobody's) and a check of its row count, so two people pressing at
the same moment cannot both get it, on SQLite or PostgreSQL. One person's own bookings are
taken one at a time (their staff row is locked) and the database refuses overlapping shifts
for a person in any case.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...audit.services import record
from ...errors import DomainError
from ...extensions import db
from ...homes.services import lock_home
from .. import settings as council
from ..people.models import StaffMember
from ..people.services import lock_staff
from ..rota import assignments
from ..rota.eligibility import Verdict, check, their_shifts, window_for
from ..rota.models import Shift
from ..rota.services import _checked_shift, _future, _shift_after, flush
from ..times import hours, when

GONE = "Someone else picked up this shift a moment ago. Nothing was booked for you."
CANCELLED = "The home cancelled this shift a moment ago. Nothing was booked for you."
WITHDRAWN = "The home is no longer offering this shift. Nothing was booked for you."
STARTED = "This shift has already started. Nothing was booked for you."
NO_LONGER_YOURS = "This shift is no longer booked for you. Check My shifts."


class Refused(DomainError):
    """A pick-up refused by the rules; `reasons` lists each rule and why."""

    def __init__(self, reasons: list[str]):
        super().__init__("You cannot pick up this shift: " + " ".join(reasons))
        self.reasons = reasons


@dataclass
class PickUp:
    shift: Shift
    pending: bool
    verdict: Verdict


def offer_shift(shift: Shift, *, home_first: bool, approval_required: bool, actor,
                now: datetime, seen_version: int | None = None) -> Shift:
    """Offer an uncovered shift: to the home's own part-time staff first (the relief pool sees
    it after the council's set hours) or to them and the relief pool at once."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    _future(shift, now)
    if shift.cover is not None:
        raise DomainError("This shift is already covered: take the person off it first")
    before = _shift_after(shift)
    s = council.load()
    shift.offered_at = now
    shift.pool_from = now + timedelta(hours=s.home_first_hours) if home_first else now
    shift.approval_required = approval_required
    flush()
    record(actor, "shift.offer", shift, before=before, after={
        **_shift_after(shift), "pool_from": shift.pool_from.isoformat(),
        "approval_required": approval_required}, home_id=shift.home_id)
    return shift


def withdraw_offer(shift: Shift, *, actor, now: datetime,
                   seen_version: int | None = None) -> Shift:
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    if shift.offered_at is None or shift.cover is not None:
        raise DomainError("This shift is not on offer")
    before = _shift_after(shift)
    shift.offered_at = shift.pool_from = None
    shift.approval_required = False
    flush()
    record(actor, "shift.withdraw_offer", shift, before=before, after=_shift_after(shift),
           home_id=shift.home_id)
    return shift


def visible_to(shift: Shift, staff: StaffMember, now: datetime) -> bool:
    """Whether the offer reaches this person now: their own home's part-time staff from the
    offer, the relief pool from `pool_from`."""
    if shift.offered_at is None:
        return False
    if staff.home_id is None:
        return shift.pool_from is not None and shift.pool_from <= now
    return staff.home_id == shift.home_id and part_time(staff)


def part_time(staff: StaffMember) -> bool:
    return staff.home_id is not None and staff.contracted_minutes < 37 * 60 + 30


def _still_open(shift: Shift | None, staff: StaffMember, now: datetime) -> Shift:
    if shift is None or shift.status == "cancelled":
        raise DomainError(CANCELLED)
    if shift.cover is not None:
        raise DomainError(GONE)
    if shift.offered_at is None:
        raise DomainError(WITHDRAWN)
    if shift.starts_at <= now:
        raise DomainError(STARTED)
    if not visible_to(shift, staff, now):
        if staff.home_id is None and shift.pool_from:
            raise DomainError(f"This shift is offered to the home's own staff first; the relief "
                              f"pool can pick it up from {when(shift.pool_from)}.")
        raise DomainError("This shift is not offered to you.")
    return shift


def pick_up_shift(shift_id: int, staff_id: int, *, actor, now: datetime) -> PickUp:
    """Book an open shift for `staff` if every rule allows it on the shift's dates; the first
    valid claim wins. Held for the manager's approval when the offer asks for it, or when the
    person needs an induction or would have less than 11 hours' rest."""
    staff = lock_staff(staff_id)
    shift = db.session.get(Shift, shift_id, options=[joinedload(Shift.home),
                                                     joinedload(Shift.shift_type)])
    _still_open(shift, staff, now)
    verdict = check(staff, shift, their_shifts(staff.id, *window_for([shift])), council.load())
    if not verdict.allowed:
        raise Refused(verdict.refusals)
    pending = shift.approval_required or verdict.needs_approval
    cover = "relief" if staff.home_id is None else "overtime"
    try:
        with db.session.begin_nested():
            claimed = db.session.execute(
                update(Shift).where(
                    Shift.id == shift.id, Shift.status == "active",
                    Shift.assignee_id.is_(None), Shift.agency_name.is_(None),
                    Shift.offered_at.is_not(None), Shift.starts_at > now)
                .values(assignee_id=staff.id, cover=cover, claim_pending=pending,
                        version=Shift.version + 1)
                .execution_options(synchronize_session=False)).rowcount
    except IntegrityError:  # the database's own overlap guard
        raise Refused(["Overlap: you already have another shift at that time."]) from None
    db.session.refresh(shift)
    if claimed != 1:
        _still_open(shift, staff, now)  # says why: cancelled, taken or withdrawn
        raise DomainError(GONE)
    assignments.book(shift, staff.id, now, pending=pending, warnings=verdict.warnings,
                     induction=verdict.induction)
    record(actor, "shift.pick_up", shift, after={
        "staff_id": staff.id, "cover": cover, "pending": pending,
        "warnings": verdict.warnings}, home_id=shift.home_id)
    return PickUp(shift, pending, verdict)


def release_shift(shift_id: int, staff_id: int, *, actor, now: datetime) -> Shift:
    """Give back a shift the person picked up, with notice: not within the council's notice
    period (ask the home's manager then). The shift is open again."""
    staff = lock_staff(staff_id)
    shift = db.session.get(Shift, shift_id)
    if shift is None or shift.assignee_id != staff.id or shift.status != "active":
        raise DomainError(NO_LONGER_YOURS)
    if shift.cover not in ("relief", "overtime") or shift.offered_at is None:
        raise DomainError("This shift is on your rota: ask your manager to change it.")
    notice = council.load().release_notice_hours
    if shift.starts_at - now < timedelta(hours=notice):
        raise DomainError(f"Release: this shift starts at {when(shift.starts_at)}, within "
                          f"{hours(notice * 60)} hours. Only the home's manager can release it "
                          f"now: contact {shift.home.name}.")
    released = db.session.execute(
        update(Shift).where(Shift.id == shift.id, Shift.assignee_id == staff.id,
                            Shift.status == "active")
        .values(assignee_id=None, cover=None, claim_pending=False, version=Shift.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(shift)
    if released != 1:
        raise DomainError(NO_LONGER_YOURS)
    assignments.end(shift, "released", now)
    record(actor, "shift.release", shift, before={"staff_id": staff.id},
           after=_shift_after(shift), home_id=shift.home_id)
    return shift


def approve_claim(shift: Shift, *, compensatory_rest: str, induction_accepted: bool, actor,
                  now: datetime, seen_version: int | None = None) -> Shift:
    """Confirm a pick-up held for approval; a short rest needs the compensatory rest recorded,
    and someone not inducted here needs the shift accepted as an induction shift."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    booking = _pending(shift, now)
    warnings = booking.warnings or ""
    if "Rest:" in warnings and not (compensatory_rest or "").strip():
        raise DomainError("Record the compensatory rest agreed for the short rest",
                          "compensatory_rest")
    if booking.induction and not induction_accepted:
        raise DomainError(f"{booking.staff.name} has not been inducted here: accept this as an "
                          "induction shift, or decline the pick-up", "induction_accepted")
    shift.claim_pending = False
    booking.status, booking.compensatory_rest = "confirmed", (compensatory_rest or "").strip() \
        or None
    booking.sequence += 1
    booking.updated_at = now
    flush()
    record(actor, "shift.approve", shift, after={"staff_id": booking.staff_id,
                                                 "compensatory_rest": booking.compensatory_rest,
                                                 "induction": booking.induction},
           home_id=shift.home_id)
    return shift


def _pending(shift: Shift, now: datetime):
    _future(shift, now)
    booking = assignments.live(shift)
    if not shift.claim_pending or booking is None:
        raise DomainError("There is no pick-up waiting for approval on this shift")
    return booking


def decline_claim(shift: Shift, *, reason: str, actor, now: datetime,
                  seen_version: int | None = None) -> Shift:
    """Refuse a pick-up held for approval, with a reason the person sees; the offer stays open."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    booking = _pending(shift, now)
    if not (reason or "").strip():
        raise DomainError("Give the reason, so the person knows why", "reason")
    before = _shift_after(shift)
    assignments.unassign(shift, "declined", now, reason.strip())
    flush()
    record(actor, "shift.decline", shift, before={**before, "staff_id": booking.staff_id},
           after={**_shift_after(shift), "reason": reason.strip()}, home_id=shift.home_id)
    return shift


def cancel_booking(shift: Shift, *, reason: str, actor, now: datetime,
                   seen_version: int | None = None) -> Shift:
    """Take a picked-up shift back from the person, with a reason they see; the shift is
    uncovered and no longer offered (offer it again, or cover it another way)."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    _future(shift, now)
    if shift.cover not in ("relief", "overtime") or shift.assignee_id is None:
        raise DomainError("Only a picked-up shift can be cancelled this way")
    if not (reason or "").strip():
        raise DomainError("Give the reason, so the person knows why", "reason")
    before = _shift_after(shift)
    assignments.unassign(shift, "cancelled", now, reason.strip())
    shift.offered_at = shift.pool_from = None
    shift.approval_required = False
    flush()
    record(actor, "shift.cancel_booking", shift, before=before,
           after={**_shift_after(shift), "reason": reason.strip()}, home_id=shift.home_id)
    return shift
