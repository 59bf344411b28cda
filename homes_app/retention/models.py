"""RetentionReview: one record (or one month of a bulk record type) found past retention."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.sql import one_of
from ..extensions import db
from ..types import UTCDateTime

STATES = {"awaiting": "Awaiting confirmation", "disposed": "Disposed", "kept": "Kept"}


class RetentionReview(db.Model):
    """A finding of the retention review and the administrator's decision on it.

    `record_id` is the row's id for record types reviewed one by one (a child, a member of
    staff) and the month as YYYYMM for bulk types reviewed a month at a time (shifts, audit
    events); `record_count` is how many rows the finding covers. One row per (type, id): a
    rerun of the review adds nothing for what it has already found.
    """

    __tablename__ = "retention_reviews"
    __table_args__ = (
        CheckConstraint(one_of("state", STATES), name="state_known"),
        CheckConstraint("record_count >= 0", name="count_not_negative"),
        CheckConstraint("state = 'awaiting' OR decided_at IS NOT NULL", name="decided_has_time"),
        CheckConstraint("state <> 'kept' OR reason IS NOT NULL", name="kept_has_reason"),
        UniqueConstraint("record_type", "record_id"),
        Index("ix_retention_reviews_state_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    record_count: Mapped[int] = mapped_column(Integer, default=1)
    due_on: Mapped[date] = mapped_column(Date)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default="awaiting")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)

    decided_by = relationship("User")
