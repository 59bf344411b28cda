"""Reads of the audit log for its pages, each one statement."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import AuditEvent, AuditEventChild


def events_naming_child(child_id: int, *, offset: int, limit: int) -> list[AuditEvent]:
    """Every event that names the child, newest first: changes to their record and stays,
    and every page, list, export or search that showed them. One index range of
    audit_event_children (its key leads with the child), whatever the log's size."""
    return list(db.session.scalars(
        select(AuditEvent).join(AuditEventChild, AuditEventChild.audit_event_id == AuditEvent.id)
        .where(AuditEventChild.child_id == child_id)
        .order_by(AuditEvent.id.desc()).offset(offset).limit(limit)))
