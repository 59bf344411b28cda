"""The rota: shift types, minimum staffing, patterns that generate shifts, single shifts and
who covers them, cancellation, publication, the rota actually worked, and absence.

Each service takes the acting user and `today` or `now`, locks the home (rota changes in a
home happen one at a time), checks the rules, changes rows, audits and flushes; it never
commits. A shift changed by someone else since it was read is refused as stale.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ...audit.services import record, snapshot
from ...common.dates import long_date
from ...errors import DomainError, StaleForm
from ...extensions import db
from ...homes.services import lock_home
from .. import settings as council
from ..people.models import StaffMember
from ..times import local_moment, span, when
from . import assignments
from .eligibility import check, their_shifts, window_for
from .models import COVER, SHIFT_KINDS, Shift, ShiftType, StaffingRule

OVERLAP = "{name} already works another shift at that time"
CHANGED = ("Someone else changed this shift a moment ago (a pick-up, or another manager). "
           "Check the rota and try again.")
MAX_GENERATE_DAYS = 12 * 7


def flush(overlap_field: str | None = None, name: str = "This person") -> None:
    """Flush, turning the database's own refusals into clear messages."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError:
        raise StaleForm(CHANGED) from None
    except IntegrityError:
        raise DomainError(OVERLAP.format(name=name), overlap_field) from None


# ---- shift types and minimum staffing ----------------------------------------------------

def save_shift_type(home_id: int, *, name: str, starts_at: time | None, ends_at: time | None,
                    kind: str, counts_as_work: bool, actor,
                    shift_type: ShiftType | None = None) -> ShiftType:
    """A new shift type, or changes to one (shifts already on the rota keep their times)."""
    lock_home(home_id)
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the shift, like Early or Waking night", "name")
    if len(name) > 40:
        raise DomainError("Name must be 40 characters or fewer", "name")
    if starts_at is None:
        raise DomainError("Enter the start time, like 07:30", "starts_at")
    if ends_at is None:
        raise DomainError("Enter the end time, like 15:00", "ends_at")
    if starts_at == ends_at:
        raise DomainError("The shift must end at a different time from its start (a shift "
                          "cannot last 0 or 24 hours)", "ends_at")
    if kind not in SHIFT_KINDS:
        raise DomainError("Choose the kind of shift", "kind")
    taken = db.session.scalar(select(ShiftType.id).where(
        ShiftType.home_id == home_id, func.lower(ShiftType.name) == name.lower(),
        ShiftType.id != (shift_type.id if shift_type else -1)))
    if taken:
        raise DomainError(f"This home already has a shift called {name}", "name")
    before = snapshot(shift_type) if shift_type else None
    st = shift_type or ShiftType(home_id=home_id, active=True)
    st.name, st.starts_at, st.ends_at, st.kind = name, starts_at, ends_at, kind
    st.counts_as_work = counts_as_work
    db.session.add(st)
    db.session.flush()
    record(actor, "shift_type.update" if before else "shift_type.create", st, before=before,
           after=snapshot(st), home_id=home_id)
    return st


def set_rule(shift_type: ShiftType, *, min_children: int | None, minimum: int | None,
             actor) -> StaffingRule:
    """At least `minimum` staff on this shift once `min_children` or more are in residence."""
    lock_home(shift_type.home_id)
    if min_children is None or not 0 <= min_children <= 12:
        raise DomainError("Number of children must be 0 to 12", "min_children")
    if minimum is None or not 0 <= minimum <= 20:
        raise DomainError("Minimum staff must be 0 to 20", "minimum")
    rule = db.session.scalar(select(StaffingRule).where(
        StaffingRule.shift_type_id == shift_type.id,
        StaffingRule.min_children == min_children))
    before = snapshot(rule) if rule else None
    if rule is None:
        rule = StaffingRule(shift_type_id=shift_type.id, min_children=min_children)
        db.session.add(rule)
    rule.minimum = minimum
    db.session.flush()
    record(actor, "staffing_rule.set", rule, before=before, after=snapshot(rule),
           home_id=shift_type.home_id)
    return rule


def remove_rule(rule: StaffingRule, *, actor) -> None:
    home_id = rule.shift_type.home_id
    lock_home(home_id)
    record(actor, "staffing_rule.remove", rule, before=snapshot(rule), home_id=home_id)
    db.session.delete(rule)
    db.session.flush()


def minimum_for(shift_type: ShiftType, children: int) -> int:
    """The minimum staff on this shift with `children` in residence (0 when no rule applies)."""
    return max((r.minimum for r in shift_type.rules if r.min_children <= children), default=0)


# ---- single shifts -----------------------------------------------------------------------

def new_shift(home_id: int, shift_type: ShiftType, on_date: date, now: datetime, *,
              starts: time | None = None, ends: time | None = None,
              ends_on: date | None = None) -> Shift:
    """A shift (not yet added) on `on_date`, at the type's times or the ones given."""
    starts, ends = starts or shift_type.starts_at, ends or shift_type.ends_at
    if ends_on is None:
        begin, finish, minutes = span(on_date, starts, ends)
    else:

        begin, finish = local_moment(on_date, starts), local_moment(ends_on, ends)
        minutes = int((finish - begin).total_seconds() // 60)
    return Shift(home_id=home_id, shift_type_id=shift_type.id, shift_type=shift_type,
                 on_date=on_date, starts_at=begin, ends_at=finish, minutes=minutes,
                 kind=shift_type.kind, counts_as_work=shift_type.counts_as_work,
                 status="active", claim_pending=False, approval_required=False, version=1,
                 created_at=now)


def add_shift(home_id: int, *, shift_type: ShiftType | None, on_date: date | None,
              starts: time | None = None, ends: time | None = None,
              ends_on: date | None = None, actor, now: datetime) -> Shift:
    """One extra shift on the rota, uncovered; times default to the shift type's."""
    lock_home(home_id)
    if shift_type is None or shift_type.home_id != home_id:
        raise DomainError("Choose a shift type of this home", "shift_type_id")
    if on_date is None:
        raise DomainError("Enter the date of the shift", "on_date")
    if on_date < now.date() - timedelta(days=1):
        raise DomainError(f"The shift cannot be in the past ({long_date(on_date)})", "on_date")
    if (starts is None) != (ends is None):
        raise DomainError("Enter both a start and an end time, or neither to use the shift "
                          "type's times", "starts" if starts is None else "ends")
    shift = new_shift(home_id, shift_type, on_date, now, starts=starts, ends=ends,
                      ends_on=ends_on)
    if shift.ends_at <= shift.starts_at:
        raise DomainError(f"The shift must end after it starts: it would end at "
                          f"{when(shift.ends_at)}, before it starts at {when(shift.starts_at)}. "
                          "For a night shift, make the end date the next day.", "ends")
    if shift.minutes > 25 * 60:
        raise DomainError("A shift can last at most 25 hours", "ends")
    if shift.starts_at <= now:
        raise DomainError(f"The shift would start in the past ({when(shift.starts_at)})",
                          "on_date")
    db.session.add(shift)
    flush()
    record(actor, "shift.create", shift, after=_shift_after(shift), home_id=home_id)
    return shift


def _shift_after(shift: Shift) -> dict:
    return snapshot(shift, ["on_date", "shift_type_id", "starts_at", "ends_at", "minutes",
                            "status", "assignee_id", "cover", "agency_name", "offered_at"])


def _checked_shift(shift: Shift, seen_version: int | None) -> None:
    if seen_version is not None and shift.version != seen_version:
        raise StaleForm(CHANGED)


def assign_shift(shift: Shift, *, staff_id: int | None, cover: str, agency_name: str = "",
                 compensatory_rest: str = "", actor, now: datetime,
                 seen_version: int | None = None) -> Shift:
    """Put someone on a shift (or agency cover, or nobody). The person must be vetted and free:
    the same rules as a pick-up; a short rest needs the compensatory rest recorded."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    _future(shift, now)
    before = _shift_after(shift)
    if cover == "agency":
        name = (agency_name or "").strip()
        if not name:
            raise DomainError("Enter the agency and worker's name", "agency_name")
        assignments.unassign(shift, "reassigned", now)
        shift.cover, shift.agency_name = "agency", name[:120]
    elif staff_id is None:
        assignments.unassign(shift, "reassigned", now)
    else:
        _assign_person(shift, staff_id, cover, compensatory_rest, now)
    flush("staff_id", shift.assignee.name if shift.assignee_id else "This person")
    record(actor, "shift.assign", shift, before=before, after=_shift_after(shift),
           home_id=shift.home_id)
    return shift


def _assign_person(shift: Shift, staff_id: int, cover: str, rest: str, now: datetime) -> None:
    if cover not in ("contracted", "overtime"):
        raise DomainError("Choose contracted hours or overtime", "cover")
    staff = db.session.get(StaffMember, staff_id)
    if staff is None or staff.home_id not in (shift.home_id, None):
        raise DomainError("Choose a member of this home's staff or the relief pool", "staff_id")
    if staff.id == shift.assignee_id:
        shift.cover = cover if staff.home_id is not None else "relief"
        return
    verdict = check(staff, shift, their_shifts(staff.id, *window_for([shift])), council.load())
    if not verdict.allowed:
        raise DomainError(f"{staff.name} cannot work this shift. " + " ".join(verdict.refusals),
                          "staff_id")
    if verdict.short_rest and not rest.strip():
        raise DomainError(" ".join(w for w in verdict.warnings if w.startswith("Rest")) +
                          " Record the compensatory rest agreed, or choose someone else.",
                          "compensatory_rest")
    assignments.unassign(shift, "reassigned", now)
    shift.assignee_id, shift.assignee = staff.id, staff
    shift.cover = "relief" if staff.home_id is None else cover
    booking = assignments.book(shift, staff.id, now, induction=verdict.induction)
    booking.compensatory_rest = rest.strip() or None


def _future(shift: Shift, now: datetime) -> None:
    if shift.status != "active":
        raise DomainError("This shift has been cancelled")
    if shift.starts_at <= now:
        raise DomainError(f"This shift started at {when(shift.starts_at)}: record what was "
                          "worked instead")


def cancel_shift(shift: Shift, *, reason: str, actor, now: datetime,
                 seen_version: int | None = None) -> Shift:
    """The shift is not needed: whoever had it is told, with the reason."""
    lock_home(shift.home_id)
    db.session.refresh(shift)
    _checked_shift(shift, seen_version)
    _future(shift, now)
    if not (reason or "").strip():
        raise DomainError("Give the reason the shift is cancelled", "reason")
    before = _shift_after(shift)
    assignments.unassign(shift, "shift_cancelled", now, reason.strip())
    shift.status, shift.cancelled_reason = "cancelled", reason.strip()
    flush()
    record(actor, "shift.cancel", shift, before=before, after=_shift_after(shift),
           home_id=shift.home_id)
    return shift


COVER_CHOICES = {k: v for k, v in COVER.items() if k in ("contracted", "overtime")}

