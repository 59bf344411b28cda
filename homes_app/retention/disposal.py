"""What confirming disposal does to each record type (docs/retention.md, "Disposal").

Each function changes rows in the caller's transaction and returns how many records it
disposed of; none writes a child's or a person's details anywhere.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, select, text, update

from ..audit.models import AuditEvent, AuditEventChild
from ..extensions import db
from ..placements.models import Child, Placement, PlacementCorrection
from ..registration.compliance.models import Reg40Notification
from ..staffing.people.models import Absence, Induction, StaffMember, TrainingRecord
from ..staffing.rota.models import PatternSlot, RotaPublication, Shift, ShiftAssignment
from . import rules

ANONYMOUS = "Anonymised"


def child(child_id: int) -> int:
    """Anonymise the child's record; the stays stay, so occupancy and the register's dates do
    not change. Corrections go: their reasons are free text that may name the child."""
    stays = select(Placement.id).where(Placement.child_id == child_id)
    db.session.execute(delete(PlacementCorrection)
                       .where(PlacementCorrection.placement_id.in_(stays)))
    dob = db.session.scalar(select(Child.date_of_birth).where(Child.id == child_id))
    if dob is None:
        return 0
    db.session.execute(update(Child).where(Child.id == child_id).values(
        # Unique and meaningless: the internal id, never the old reference.
        case_reference=f"ANON-{child_id}", preferred_name=ANONYMOUS,
        date_of_birth=date(dob.year, 1, 1), home_postcode="", needs=""))
    return 1


def staff_member(staff_id: int) -> int:
    """Anonymise a former member of staff; shifts they worked keep pointing at the record."""
    for model in (TrainingRecord, Induction, Absence):
        db.session.execute(delete(model).where(model.staff_id == staff_id))
    db.session.execute(update(PatternSlot).where(PatternSlot.staff_id == staff_id)
                       .values(staff_id=None))
    return db.session.execute(update(StaffMember).where(StaffMember.id == staff_id).values(
        name=f"{ANONYMOUS} ({staff_id})", user_id=None, dbs_issued_on=None,
        dbs_barred_list=False, dbs_update_service=False, dbs_status_checked_on=None,
        level3_achieved_on=None, level5_achieved_on=None, last_appraisal_on=None,
        version=StaffMember.version + 1)).rowcount


def reg40_notification(notification_id: int) -> int:
    return db.session.execute(delete(Reg40Notification)
                              .where(Reg40Notification.id == notification_id)).rowcount


def rota_shifts(month: int) -> int:
    first, after = rules.month_of(month)
    in_month = select(Shift.id).where(Shift.on_date >= first, Shift.on_date < after)
    db.session.execute(delete(ShiftAssignment).where(ShiftAssignment.shift_id.in_(in_month)))
    return db.session.execute(delete(Shift).where(Shift.on_date >= first, Shift.on_date < after)
                              .execution_options(synchronize_session=False)).rowcount


def rota_publications(month: int) -> int:
    first, after = rules.month_of(month)
    return db.session.execute(delete(RotaPublication).where(
        RotaPublication.week_start >= first, RotaPublication.week_start < after)).rowcount


def staff_absences(month: int) -> int:
    first, after = rules.month_of(month)
    return db.session.execute(delete(Absence).where(
        Absence.ends_on >= first, Absence.ends_on < after)).rowcount


# The append-only guards of migrations/versions/0001_core_schema.py (audit_events) and
# 0012_audit_reads.py (audit_event_children, the children each event names), lifted only
# inside the operator's purge transaction (DDL is transactional on both databases: nobody else
# ever sees the tables without them, and a failure puts them back with the rollback).
_GUARDED = ("audit_event_children", "audit_events")


def _guards(on: bool, postgres: bool) -> None:
    for table in _GUARDED:
        if postgres:
            db.session.execute(text(f"ALTER TABLE {table} {'ENABLE' if on else 'DISABLE'} "
                                    f"TRIGGER {table}_append_only"))
        elif on:
            db.session.execute(text(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"))
        else:
            db.session.execute(text(f"DROP TRIGGER {table}_no_delete"))


def audit_events(month: int) -> int:
    """Delete one UTC month of audit events, with the children each names (the operator
    procedure; never from a page). Reads go with the changes: one rule for the whole log."""
    first, after = rules.month_of(month)
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    end = datetime(after.year, after.month, 1, tzinfo=UTC)
    postgres = db.session.get_bind().dialect.name == "postgresql"
    in_month = (AuditEvent.occurred_at >= start, AuditEvent.occurred_at < end)
    _guards(False, postgres)
    db.session.execute(delete(AuditEventChild).where(AuditEventChild.audit_event_id.in_(
        select(AuditEvent.id).where(*in_month))).execution_options(synchronize_session=False))
    count = db.session.execute(delete(AuditEvent).where(*in_month)
                               .execution_options(synchronize_session=False)).rowcount
    _guards(True, postgres)
    return count


DISPOSE = {
    rules.CHILD.key: child, rules.STAFF.key: staff_member,
    rules.REG40.key: reg40_notification, rules.SHIFTS.key: rota_shifts,
    rules.PUBLICATIONS.key: rota_publications, rules.ABSENCES.key: staff_absences,
}
