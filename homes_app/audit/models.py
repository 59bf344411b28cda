"""AuditEvent: who did what to which record, with before and after values; AuditEventChild:
the children an event names, so "who has seen this child" is one indexed look-up."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
        Index("ix_audit_events_home_occurred", "home_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    home_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("User", lazy="joined")


class AuditEventChild(db.Model):
    """A child an audit event names: the child whose record or stay it changed, or one of the
    children a page, list or export showed. Append-only like the events (the same database
    guard). The key leads with the child, so a child's events are one index range; the child
    is a plain number, like an event's subject, so the log outlives what it vouches for."""

    __tablename__ = "audit_event_children"

    child_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True,
                                                autoincrement=False, index=True)
