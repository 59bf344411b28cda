"""Reads for the compliance calendar: the due-and-overdue list across homes, a home's
calendar, and the latest inspection of each home. Each costs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from ...common.sql import as_date, days_between
from ...extensions import db
from ...homes.models import Home
from .models import (
    OPEN_STATUSES,
    ComplianceOccurrence,
    ComplianceRule,
    InspectionOutcome,
    Reg40Notification,
)
from .recurrence import reg40_deadline


def latest_inspections(home_ids: list[int]) -> dict[int, InspectionOutcome]:
    """Each home's latest full inspection, in one statement."""
    if not home_ids:
        return {}
    ranked = select(InspectionOutcome.id, func.row_number().over(
        partition_by=InspectionOutcome.home_id,
        order_by=(InspectionOutcome.inspected_on.desc(), InspectionOutcome.id.desc()))
        .label("n")).where(InspectionOutcome.home_id.in_(home_ids),
                           InspectionOutcome.inspection_type == "full").subquery()
    rows = db.session.scalars(select(InspectionOutcome).join(
        ranked, ranked.c.id == InspectionOutcome.id).where(ranked.c.n == 1))
    return {r.home_id: r for r in rows}


@dataclass
class DueItem:
    home: Home
    title: str
    due_on: date
    overdue: bool
    occurrence: ComplianceOccurrence | None = None
    notification: Reg40Notification | None = None
    deadline: datetime | None = None  # Reg 40: 24 hours after the event

    @property
    def sort_key(self):
        return (self.due_on, self.home.name, self.title)


@dataclass
class DueList:
    homes: list[Home]
    items: list[DueItem] = field(default_factory=list)

    @property
    def overdue(self) -> list[DueItem]:
        return [i for i in self.items if i.overdue]

    @property
    def due(self) -> list[DueItem]:
        return [i for i in self.items if not i.overdue]


def open_homes(home_ids: set[int] | None) -> list[Home]:
    stmt = select(Home).options(lazyload(Home.beds)).where(
        Home.status.in_(OPEN_STATUSES)).order_by(Home.name)
    if home_ids is not None:
        stmt = stmt.where(Home.id.in_(home_ids))
    return list(db.session.scalars(stmt))


def due_list(home_ids: set[int] | None, today: date, now: datetime) -> DueList:
    """What is due within its notice, or overdue, at the open homes in `home_ids` (None: all):
    three statements, however many homes."""
    homes = open_homes(home_ids)
    result = DueList(homes)
    by_id = {h.id: h for h in homes}
    if not homes:
        return result
    occurrences = db.session.scalars(
        select(ComplianceOccurrence).join(ComplianceOccurrence.rule)
        .options(contains_eager(ComplianceOccurrence.rule))
        .where(ComplianceOccurrence.home_id.in_(list(by_id)),
               ComplianceOccurrence.completed_on.is_(None), ComplianceRule.active.is_(True),
               days_between(as_date(today), ComplianceOccurrence.due_on)
               <= ComplianceRule.notice_days))
    for o in occurrences:
        result.items.append(DueItem(by_id[o.home_id], o.title, o.due_on, o.due_on < today,
                                    occurrence=o))
    events = db.session.scalars(select(Reg40Notification).where(
        Reg40Notification.home_id.in_(list(by_id)), Reg40Notification.notified_at.is_(None)))
    for n in events:
        deadline = reg40_deadline(n.event_at)
        result.items.append(DueItem(by_id[n.home_id], "Reg 40 notification",
                                    deadline.date(), now > deadline, notification=n,
                                    deadline=deadline))
    result.items.sort(key=lambda i: i.sort_key)
    return result


@dataclass
class Calendar:
    home: Home
    due: DueList
    upcoming: list[ComplianceOccurrence]
    done: list[ComplianceOccurrence]
    unscheduled: list[ComplianceRule]
    inspections: list[InspectionOutcome]


def calendar(home: Home, today: date, now: datetime, recent: int = 12) -> Calendar:
    """A home's whole calendar: due and overdue, everything else still open, what was done
    lately, rules with nothing scheduled yet, and its inspections."""
    due = due_list({home.id}, today, now)
    shown = {i.occurrence.id for i in due.items if i.occurrence}
    open_ = db.session.scalars(
        select(ComplianceOccurrence).join(ComplianceOccurrence.rule)
        .options(contains_eager(ComplianceOccurrence.rule))
        .where(ComplianceOccurrence.home_id == home.id,
               ComplianceOccurrence.completed_on.is_(None), ComplianceRule.active.is_(True))
        .order_by(ComplianceOccurrence.due_on)).all()
    done = db.session.scalars(
        select(ComplianceOccurrence).options(selectinload(ComplianceOccurrence.rule))
        .where(ComplianceOccurrence.home_id == home.id,
               ComplianceOccurrence.completed_on.is_not(None))
        .order_by(ComplianceOccurrence.completed_on.desc(), ComplianceOccurrence.id.desc())
        .limit(recent)).all()
    scheduled = {o.rule_id for o in open_ if o.kind == "due"}
    rules = db.session.scalars(select(ComplianceRule).where(ComplianceRule.active.is_(True))
                               .order_by(ComplianceRule.position)).all()
    inspections = db.session.scalars(select(InspectionOutcome).where(
        InspectionOutcome.home_id == home.id).order_by(InspectionOutcome.inspected_on.desc(),
                                                       InspectionOutcome.id.desc())).all()
    return Calendar(home, due, [o for o in open_ if o.id not in shown], done,
                    [r for r in rules if r.id not in scheduled] if home.status in OPEN_STATUSES
                    else [], inspections)
