"""Alerts, each person's notification preferences, and the email outbox."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.sql import one_of
from ..extensions import db
from ..types import UTCDateTime

SEVERITIES = {"low": "Low", "medium": "Medium", "high": "High"}
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
STATES = {"open": "Open", "acknowledged": "Acknowledged", "resolved": "Resolved"}
# An outbox email is an alert digest, an urgent alert, or a notice about the person's account.
PURPOSES = ("digest", "immediate", "account")


class Alert(db.Model):
    """One standing condition. `active_key` is the condition's key while the condition stands,
    NULL once it has cleared: a plain unique constraint then allows one alert per standing
    condition (a rerun or a second scheduler inserts nothing), and a new one when it comes back.
    An alert a person resolves keeps its key until the condition clears, so it is not raised
    again meanwhile."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(one_of("severity", SEVERITIES), name="severity_known"),
        CheckConstraint(one_of("state", STATES), name="state_known"),
        CheckConstraint("state = 'resolved' OR active_key IS NOT NULL", name="key_while_active"),
        Index("ix_alerts_state_home", "state", "home_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    condition_key: Mapped[str] = mapped_column(String(200))
    active_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    severity: Mapped[str] = mapped_column(String(10))
    home_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    link_endpoint: Mapped[str | None] = mapped_column(String(80))
    link_args: Mapped[dict | None] = mapped_column(JSON)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(15), default="open")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_reason: Mapped[str | None] = mapped_column(Text)

    home = relationship("Home")
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])


class NotificationPreference(db.Model):
    """How one person wants alerts by email (no row: the defaults)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint("digest_days BETWEEN 0 AND 127", name="days_range"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_at: Mapped[time] = mapped_column(Time, default=time(7, 30))
    digest_days: Mapped[int] = mapped_column(Integer, default=0b0011111)  # bit 0 = Monday
    immediate_high: Mapped[bool] = mapped_column(Boolean, default=True)
    last_digest_on: Mapped[date | None] = mapped_column(Date)


class OutboxEmail(db.Model):
    """An email waiting to be sent (or sent). A failed send stays here and is tried again."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        CheckConstraint(one_of("purpose", PURPOSES), name="purpose_known"),
        Index("ix_email_outbox_pending", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
