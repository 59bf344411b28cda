"""Job runs (one row per job per trigger time: the claim) and the scheduler leader's lease."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..common.sql import one_of
from ..extensions import db
from ..types import UTCDateTime

OUTCOMES = ("running", "succeeded", "failed")


class JobRun(db.Model):
    """A job run for the trigger time `scheduled_for`. The unique pair is the claim: a second
    scheduler firing the same trigger fails to insert and does not run the job."""

    __tablename__ = "job_runs"
    __table_args__ = (
        UniqueConstraint("job_name", "scheduled_for"),
        CheckConstraint(one_of("outcome", OUTCOMES), name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_name: Mapped[str] = mapped_column(String(60))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(10), default="running")
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str] = mapped_column(String(120))


class SchedulerLease(db.Model):
    """Who leads the schedulers until when. The leader renews it; a crashed leader's lease runs
    out and another scheduler takes over."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the holder last renewed it: the scheduler's heartbeat (/readyz, flask check-config).
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
