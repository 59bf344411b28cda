"""record(): write an audit entry in the caller's transaction; snapshot() for before/after;
record_read(): the entry for a page, list or export that showed children's data."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import insert, inspect

from .. import clock
from ..extensions import db
from .models import AuditEvent, AuditEventChild
from .personal_data import READS


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
           after: dict | None = None, home_id: int | None = None,
           children: Iterable[int] = ()) -> AuditEvent:
    """Add an audit event for `subject` (flushed so it has an id); the caller commits. The event
    names `children` (a child's stay names its child), and a child's record names itself."""
    db.session.flush()  # the subject needs its id
    subject_type = type(subject).__tablename__
    named = {*children, *([subject.id] if subject_type == "children" else [])}
    return _add(actor, action, subject_type, subject.id, home_id, before, after, named)


def record_read(actor, action: str, children: Iterable[int], *,
                subject_type: str = "children", subject_id: int | None = None,
                home_id: int | None = None, details: dict | None = None) -> AuditEvent | None:
    """One event for one read of children's data: `action` is one of READS, `children` the
    ids of every child the page or export showed (none shown: nothing is written, unless the
    read is a search of the audit log); the subject is what was open (a child's record, a
    home's page, or none for a list). `details` say what was shown (a report's name, a
    search's terms), never a child's data. Two INSERTs whatever the number of children."""
    if action not in READS:
        raise ValueError(f"{action} is not a read the audit log knows (audit.personal_data)")
    named = set(children)
    if not named and action != "audit.search":  # a search is recorded whatever it found
        return None
    after = {**(details or {}), "children_shown": len(named)}
    return _add(actor, action, subject_type, subject_id, home_id, None, after, named)


def _add(actor, action: str, subject_type: str, subject_id: int | None, home_id: int | None,
         before: dict | None, after: dict | None, children: set[int]) -> AuditEvent:
    event = AuditEvent(occurred_at=clock.utcnow(), actor_id=getattr(actor, "id", None),
                       action=action, subject_type=subject_type, subject_id=subject_id,
                       home_id=home_id, before=before, after=after)
    db.session.add(event)
    db.session.flush()
    if children:  # one multi-row INSERT for a list of any length
        db.session.execute(insert(AuditEventChild), [
            {"child_id": child_id, "audit_event_id": event.id} for child_id in sorted(children)])
    return event


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
