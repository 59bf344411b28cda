"""Finding records past retention: one statement per rule, whatever the number of records.

Each finder returns (record_id, record_count, due_on) for what it finds that has no review yet
(a record already reviewed, whatever the decision, is not found again).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Integer, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..audit.models import AuditEvent
from ..clock import LONDON
from ..common.sql import as_date, latest
from ..extensions import db
from ..placements.models import Child
from ..registration.compliance.models import Reg40Notification
from ..staffing.people.models import Absence, Induction, StaffMember, TrainingRecord
from ..staffing.rota.models import RotaPublication, Shift
from . import rules
from .models import RetentionReview

Finding = tuple[int, int, date]


class year_month(FunctionElement):
    """A date's (or a UTC moment's) calendar month as YYYYMM, e.g. 201103."""

    type = Integer()
    inherit_cache = True
    name = "year_month"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%Y%m', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(year_month, "postgresql")
def _year_month_pg(element, compiler, **kw):
    (column,) = element.clauses
    value = compiler.process(column, **kw)
    if getattr(column.type, "timezone", False) or hasattr(column.type, "impl"):
        value = f"({value} AT TIME ZONE 'UTC')"  # a moment: its month in UTC, not the session's
    return f"CAST(to_char({value}, 'YYYYMM') AS INTEGER)"


def _unreviewed(rule: rules.Rule, record_id) -> ColumnElement[bool]:
    return ~exists().where(RetentionReview.record_type == rule.key,
                           RetentionReview.record_id == record_id)


def _start_of_day_after(day: date) -> datetime:
    """London midnight after `day`, so a moment-stamped record is past retention on its date."""
    return datetime.combine(day + timedelta(days=1), time(), LONDON)


def children(today: date) -> list[Finding]:
    rule = rules.CHILD
    rows = db.session.execute(select(Child.id, Child.date_of_birth).where(
        Child.date_of_birth <= rules.cutoff(today, rule), _unreviewed(rule, Child.id)))
    return [(cid, 1, rules.due_on(dob, rule)) for cid, dob in rows]


def _latest_of(column, staff_id_column) -> ColumnElement:
    return (select(func.max(column)).where(staff_id_column == StaffMember.id)
            .correlate(StaffMember).scalar_subquery())


def staff_last_entry() -> ColumnElement[date]:
    """The date of the last entry about a member of staff, as SQL on StaffMember."""
    start = StaffMember.started_on
    shifts = (select(func.max(Shift.on_date))
              .where(or_(Shift.assignee_id == StaffMember.id, Shift.worked_by_id == StaffMember.id))
              .correlate(StaffMember).scalar_subquery())
    return latest(start,
                  func.coalesce(_latest_of(TrainingRecord.completed_on, TrainingRecord.staff_id),
                                start),
                  func.coalesce(_latest_of(Induction.inducted_on, Induction.staff_id), start),
                  func.coalesce(_latest_of(Absence.ends_on, Absence.staff_id), start),
                  func.coalesce(shifts, start))


def staff(today: date) -> list[Finding]:
    rule = rules.STAFF
    last = staff_last_entry().label("last_entry")
    inner = (select(StaffMember.id.label("id"), last)
             .where(StaffMember.active.is_(False), _unreviewed(rule, StaffMember.id))
             .subquery())
    rows = db.session.execute(select(inner.c.id, inner.c.last_entry).where(
        inner.c.last_entry <= as_date(rules.cutoff(today, rule))))
    return [(sid, 1, rules.due_on(_as_date(day), rule)) for sid, day in rows]


def reg40_notifications(today: date) -> list[Finding]:
    rule = rules.REG40
    limit = _start_of_day_after(rules.cutoff(today, rule))
    rows = db.session.execute(select(Reg40Notification.id, Reg40Notification.event_at).where(
        Reg40Notification.event_at < limit, _unreviewed(rule, Reg40Notification.id)))
    return [(nid, 1, rules.due_on(at.astimezone(LONDON).date(), rule)) for nid, at in rows]


def _monthly(rule: rules.Rule, column, boundary, reviewed: set[int]) -> list[Finding]:
    """Whole calendar months of `column` before `boundary`, with how many rows each holds."""
    key_of = year_month(column)
    rows = db.session.execute(select(key_of, func.count()).where(column < boundary)
                              .group_by(key_of))
    found = []
    for key, count in rows:
        key = int(key)
        if key not in reviewed:
            last_day = rules.month_of(key)[1] - timedelta(days=1)
            found.append((key, count, rules.due_on(last_day, rule)))
    return found


def shifts(today: date, reviewed: set[int]) -> list[Finding]:
    rule = rules.SHIFTS
    return _monthly(rule, Shift.on_date, rules.last_whole_month(today, rule), reviewed)


def publications(today: date, reviewed: set[int]) -> list[Finding]:
    rule = rules.PUBLICATIONS
    return _monthly(rule, RotaPublication.week_start, rules.last_whole_month(today, rule),
                    reviewed)


def absences(today: date, reviewed: set[int]) -> list[Finding]:
    rule = rules.ABSENCES
    return _monthly(rule, Absence.ends_on, rules.last_whole_month(today, rule), reviewed)


def audit_events(today: date, reviewed: set[int]) -> list[Finding]:
    # Months in UTC, as stored: the boundary is a UTC month start, so no event straddles it.
    rule = rules.AUDIT
    first = rules.last_whole_month(today, rule)
    return _monthly(rule, AuditEvent.occurred_at,
                    datetime(first.year, first.month, 1, tzinfo=UTC), reviewed)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


PER_RECORD: dict[str, Callable[[date], list[Finding]]] = {
    rules.CHILD.key: children, rules.STAFF.key: staff, rules.REG40.key: reg40_notifications}
MONTHLY: dict[str, Callable[[date, set[int]], list[Finding]]] = {
    rules.SHIFTS.key: shifts, rules.PUBLICATIONS.key: publications,
    rules.ABSENCES.key: absences, rules.AUDIT.key: audit_events}
