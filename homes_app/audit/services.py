"""record(): write an audit entry in the caller's transaction; snapshot() for before/after."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import inspect

from .. import clock
from ..extensions import db
from .models import AuditEvent


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """The column values of a model instance as JSON-safe data."""
    if fields is None:
        fields = [c.key for c in inspect(obj).mapper.column_attrs]
    return {f: _json_safe(getattr(obj, f)) for f in fields}


def _json_safe(value):
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(actor, action: str, subject, *, before: dict | None = None,
           after: dict | None = None, home_id: int | None = None) -> AuditEvent:
    """Add an audit event for `subject` (flushed so it has an id); the caller commits."""
    db.session.flush()  # the subject needs its id
    event = AuditEvent(
        occurred_at=clock.utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__tablename__,
        subject_id=subject.id,
        home_id=home_id,
        before=before,
        after=after,
    )
    db.session.add(event)
    db.session.flush()
    return event


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
