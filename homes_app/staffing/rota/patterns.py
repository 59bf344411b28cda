"""Rota patterns: a repeating template of one to eight weeks that generates a home's shifts
for a chosen period. A pattern with a day that has no shifts (a gap) generates nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ...audit.services import record, snapshot
from ...common.dates import long_date
from ...errors import DomainError
from ...extensions import db
from ...homes.services import lock_home
from ..people.models import StaffMember
from ..times import WEEKDAYS, when
from .models import PatternSlot, RotaPattern, Shift, ShiftAssignment, ShiftType
from .services import MAX_GENERATE_DAYS, flush, new_shift


def create_pattern(home_id: int, *, name: str, weeks: int | None, starts_on: date | None,
                   actor) -> RotaPattern:
    lock_home(home_id)
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the pattern, like Four-week rota", "name")
    if len(name) > 60:
        raise DomainError("Name must be 60 characters or fewer", "name")
    if weeks is None or not 1 <= weeks <= 8:
        raise DomainError("A pattern repeats every 1 to 8 weeks", "weeks")
    if starts_on is None:
        raise DomainError("Enter the Monday that week 1 begins", "starts_on")
    if starts_on.weekday() != 0:
        raise DomainError(f"Week 1 must begin on a Monday ({long_date(starts_on)} is a "
                          f"{WEEKDAYS[starts_on.weekday()]})", "starts_on")
    if db.session.scalar(select(RotaPattern.id).where(
            RotaPattern.home_id == home_id, func.lower(RotaPattern.name) == name.lower())):
        raise DomainError(f"This home already has a pattern called {name}", "name")
    pattern = RotaPattern(home_id=home_id, name=name, weeks=weeks, starts_on=starts_on)
    db.session.add(pattern)
    db.session.flush()
    record(actor, "pattern.create", pattern, after=snapshot(pattern), home_id=home_id)
    return pattern


def add_slot(pattern: RotaPattern, *, week: int | None, weekdays: list[int],
             shift_type_id: int | None, staff_id: int | None, actor) -> list[PatternSlot]:
    """The shift type on the chosen days of one week of the pattern, for a person or open."""
    lock_home(pattern.home_id)
    if week is None or not 1 <= week <= pattern.weeks:
        raise DomainError(f"Choose a week from 1 to {pattern.weeks}", "week")
    days = sorted({w for w in weekdays if 0 <= w <= 6})
    if not days:
        raise DomainError("Choose at least one day", "weekdays")
    shift_type = db.session.get(ShiftType, shift_type_id) if shift_type_id else None
    if shift_type is None or shift_type.home_id != pattern.home_id:
        raise DomainError("Choose a shift type of this home", "shift_type_id")
    if staff_id is not None:
        staff = db.session.get(StaffMember, staff_id)
        if staff is None or staff.home_id != pattern.home_id:
            raise DomainError("Choose a member of this home's staff, or leave the shift open",
                              "staff_id")
        if any(s.staff_id == staff_id and s.week == week and s.weekday in days
               for s in pattern.slots):
            raise DomainError(f"{staff.name} already has a shift on one of those days of week "
                              f"{week}", "staff_id")
    slots = [PatternSlot(pattern_id=pattern.id, week=week, weekday=day,
                         shift_type_id=shift_type.id, staff_id=staff_id) for day in days]
    db.session.add_all(slots)
    db.session.flush()
    for slot in slots:
        record(actor, "pattern.add_slot", slot, after=snapshot(slot), home_id=pattern.home_id)
    db.session.refresh(pattern)
    return slots


def remove_slot(slot: PatternSlot, *, actor) -> None:
    home_id = slot.pattern.home_id
    lock_home(home_id)
    record(actor, "pattern.remove_slot", slot, before=snapshot(slot), home_id=home_id)
    db.session.delete(slot)
    db.session.flush()


def gaps(pattern: RotaPattern) -> list[str]:
    """The days of the cycle with no shift at all, like 'Wednesday of week 2'."""
    covered = {(s.week, s.weekday) for s in pattern.slots}
    return [f"{WEEKDAYS[day]} of week {week}" for week in range(1, pattern.weeks + 1)
            for day in range(7) if (week, day) not in covered]


def week_of(pattern: RotaPattern, day: date) -> int:
    return ((day - pattern.starts_on).days // 7) % pattern.weeks + 1


def generate(pattern: RotaPattern, *, first: date | None, last: date | None, actor,
             now: datetime) -> tuple[int, int]:
    """Shifts from the pattern for each day from `first` to `last` (inclusive) that has none
    on the rota yet. Refused whole if the pattern has a gap, the period is not in the future
    or is too long, or a person would work two shifts at once. Returns (shifts, days skipped)."""
    lock_home(pattern.home_id)
    _period(first, last, now)
    missing = gaps(pattern)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        raise DomainError(f"The pattern has days with no shifts: {shown}. A home is staffed "
                          "every day: add shifts for those days first.", "pattern")
    taken = set(db.session.scalars(select(Shift.on_date).where(
        Shift.home_id == pattern.home_id, Shift.on_date >= first, Shift.on_date <= last)))
    created, skipped = [], 0
    day = first
    while day <= last:
        if day in taken:
            skipped += 1
        else:
            created += _day(pattern, day, now)
        day += timedelta(days=1)
    _no_double_booking(created)
    db.session.add_all(created)
    flush()
    db.session.add_all([  # new shifts: nobody has booked them before
        ShiftAssignment(shift_id=s.id, staff_id=s.assignee_id, status="confirmed", sequence=1,
                        induction=False, created_at=now, updated_at=now)
        for s in created if s.assignee_id])
    db.session.flush()
    record(actor, "pattern.generate", pattern, after={
        "first": first.isoformat(), "last": last.isoformat(), "shifts": len(created),
        "days_skipped": skipped}, home_id=pattern.home_id)
    return len(created), skipped


def _period(first: date | None, last: date | None, now: datetime) -> None:
    if first is None:
        raise DomainError("Enter the first day to fill", "first")
    if last is None:
        raise DomainError("Enter the last day to fill", "last")
    if first <= now.date():
        raise DomainError(f"Fill the rota from tomorrow on ({long_date(now.date() + timedelta(days=1))}"
                          " or later)", "first")
    if last < first:
        raise DomainError(f"The last day ({long_date(last)}) cannot be before the first ({long_date(first)})",
                          "last")
    if (last - first).days >= MAX_GENERATE_DAYS:
        raise DomainError("Fill at most 12 weeks at a time", "last")


def _day(pattern: RotaPattern, day: date, now: datetime) -> list[Shift]:
    week = week_of(pattern, day)
    shifts = []
    for slot in pattern.slots:
        if slot.week == week and slot.weekday == day.weekday():
            shift = new_shift(pattern.home_id, slot.shift_type, day, now)
            if slot.staff_id is not None:
                shift.assignee_id, shift.cover = slot.staff_id, "contracted"
            shifts.append(shift)
    return shifts


def _no_double_booking(created: list[Shift]) -> None:
    """Refuse a person on two shifts at once, among the new ones or with shifts elsewhere."""
    people = {s.assignee_id for s in created if s.assignee_id}
    if not people:
        return
    first = min(s.starts_at for s in created)
    last = max(s.ends_at for s in created)
    existing = db.session.scalars(select(Shift).where(
        Shift.assignee_id.in_(people), Shift.status == "active", Shift.starts_at < last,
        Shift.ends_at > first)).all()
    names = {p.id: p.name for p in db.session.scalars(
        select(StaffMember).where(StaffMember.id.in_(people)))}
    by_person: dict[int, list[Shift]] = {}
    for s in [*existing, *created]:
        if s.assignee_id:
            by_person.setdefault(s.assignee_id, []).append(s)
    for person, shifts in by_person.items():
        shifts.sort(key=lambda s: s.starts_at)
        for a, b in zip(shifts, shifts[1:], strict=False):
            if b.starts_at < a.ends_at:
                raise DomainError(f"{names[person]} would work two shifts at once on "
                                  f"{when(b.starts_at)}: change the pattern or their other "
                                  "shift first.", "pattern")
