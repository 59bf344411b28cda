"""Reads for the staffing pages: a home's rota week, the children expected each night, claims
awaiting approval, and staffing needs by home. Each costs a fixed number of queries,
whatever the number of staff or shifts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ...audit.models import AuditEvent
from ...extensions import db
from ...placements.models import Placement
from ..people.models import StaffMember
from .models import RotaPublication, Shift, ShiftType
from .services import minimum_for


def children_expected(home_id: int, first: date, days: int) -> dict[date, int]:
    """Children expected in the home each night: confirmed stays covering the night and planned
    admissions from their expected date. One query, no names."""
    last = first + timedelta(days=days)
    rows = db.session.execute(select(Placement.starts_on, Placement.ends_on).where(
        Placement.home_id == home_id, Placement.status != "cancelled",
        Placement.starts_on < last,
        or_(Placement.ends_on.is_(None), Placement.ends_on > first))).all()
    counts = {}
    for n in range(days):
        night = first + timedelta(days=n)
        counts[night] = sum(1 for start, end in rows if start <= night and (end is None
                                                                            or end > night))
    return counts


@dataclass
class Need:
    """One shift type on one day: planned staff against the minimum."""

    shift_type: ShiftType
    planned: int
    minimum: int

    @property
    def short(self) -> int:
        return max(0, self.minimum - self.planned)


@dataclass
class RotaWeek:
    home_id: int
    first: date
    days: list[date]
    staff: list[StaffMember]
    cells: dict[tuple[int, date], list[Shift]]
    uncovered: dict[date, list[Shift]]
    agency: dict[date, list[Shift]]
    extra_staff: list[StaffMember]
    children: dict[date, int]
    needs: dict[date, list[Need]]
    shift_types: list[ShiftType]
    publication: RotaPublication | None
    changes_since: int
    shifts: list[Shift] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(n.short for day in self.needs.values() for n in day)


def rota_week(home_id: int, first: date) -> RotaWeek:
    """The week from Monday `first`: staff by day, uncovered shifts, and planned staffing
    against the minimum for the children expected. Seven queries."""
    days = [first + timedelta(days=n) for n in range(7)]
    shifts = db.session.scalars(
        select(Shift).options(joinedload(Shift.shift_type), joinedload(Shift.assignee))
        .where(Shift.home_id == home_id, Shift.on_date >= first,
               Shift.on_date < first + timedelta(days=7))
        .order_by(Shift.starts_at, Shift.id)).all()
    staff = db.session.scalars(select(StaffMember).where(
        StaffMember.home_id == home_id, StaffMember.active.is_(True))
        .order_by(StaffMember.name)).all()
    types = db.session.scalars(select(ShiftType).options(selectinload(ShiftType.rules)).where(
        ShiftType.home_id == home_id).order_by(ShiftType.starts_at, ShiftType.name)).all()
    children = children_expected(home_id, first, 7)
    publication = db.session.scalars(select(RotaPublication).where(
        RotaPublication.home_id == home_id, RotaPublication.week_start == first)
        .order_by(RotaPublication.version.desc()).limit(1)).first()
    week = RotaWeek(home_id, first, days, list(staff), {}, {d: [] for d in days},
                    {d: [] for d in days}, [], children, {}, list(types), publication, 0,
                    list(shifts))
    _place(week)
    if publication is not None:
        week.changes_since = _changes_since(home_id, publication, [s.id for s in shifts])
    return week


def _place(week: RotaWeek) -> None:
    known = {s.id for s in week.staff}
    counts: Counter = Counter()
    for shift in week.shifts:
        if shift.status != "active":
            continue
        if shift.assignee_id is not None:
            week.cells.setdefault((shift.assignee_id, shift.on_date), []).append(shift)
            if shift.assignee_id not in known:
                known.add(shift.assignee_id)
                week.extra_staff.append(shift.assignee)
        elif shift.agency_name:
            week.agency[shift.on_date].append(shift)
        else:
            week.uncovered[shift.on_date].append(shift)
        if shift.cover is not None:
            counts[(shift.on_date, shift.shift_type_id)] += 1
    for day in week.days:
        week.needs[day] = [Need(t, counts[(day, t.id)], minimum_for(t, week.children[day]))
                           for t in week.shift_types]


def _changes_since(home_id: int, publication: RotaPublication, shift_ids: list[int]) -> int:
    """Changes to the week's shifts audited after its latest publication was."""
    if not shift_ids:
        return 0
    published = (select(func.max(AuditEvent.id)).where(
        AuditEvent.subject_type == "rota_publications",
        AuditEvent.subject_id == publication.id).scalar_subquery())
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.home_id == home_id, AuditEvent.subject_type == "shifts",
        AuditEvent.subject_id.in_(shift_ids), AuditEvent.id > published)) or 0


def pending_claims(home_id: int) -> list[Shift]:
    return db.session.scalars(
        select(Shift).options(joinedload(Shift.assignee), joinedload(Shift.shift_type))
        .where(Shift.home_id == home_id, Shift.claim_pending.is_(True),
               Shift.status == "active").order_by(Shift.starts_at)).all()


def needs_by_home(first: date, days: int) -> dict[int, dict[date, list[Need]]]:
    """Planned staffing against the minimum on each of `days` days from `first`, for every home
    with active shift types: the rota page's needs (as rota_week computes them for one home),
    in three queries whatever the number of homes."""
    last = first + timedelta(days=days)
    types = db.session.scalars(select(ShiftType).options(selectinload(ShiftType.rules))
                               .where(ShiftType.active.is_(True))
                               .order_by(ShiftType.starts_at, ShiftType.name)).all()
    planned = Counter({(t, d): n for t, d, n in db.session.execute(
        select(Shift.shift_type_id, Shift.on_date, func.count(Shift.id))
        .where(Shift.status == "active", Shift.cover.is_not(None), Shift.on_date >= first,
               Shift.on_date < last).group_by(Shift.shift_type_id, Shift.on_date))})
    stays = db.session.execute(select(Placement.home_id, Placement.starts_on, Placement.ends_on)
                               .where(Placement.status != "cancelled", Placement.starts_on < last,
                                      or_(Placement.ends_on.is_(None),
                                          Placement.ends_on > first))).all()
    children: Counter = Counter()
    for home_id, start, end in stays:
        for n in range(days):
            night = first + timedelta(days=n)
            if start <= night and (end is None or end > night):
                children[(home_id, night)] += 1
    result: dict[int, dict[date, list[Need]]] = {}
    for t in types:
        by_day = result.setdefault(t.home_id, {})
        for n in range(days):
            day = first + timedelta(days=n)
            by_day.setdefault(day, []).append(
                Need(t, planned[(t.id, day)], minimum_for(t, children[(t.home_id, day)])))
    return result
