"""What the database says for the metrics, in a fixed number of queries: job runs by job and
outcome, each job's last success, the email outbox, signed-in sessions, the scheduler's
heartbeat. Counts and times only, never whose."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..alerts.models import OutboxEmail
from ..auth import sessions
from ..extensions import db
from ..scheduler import lease
from ..scheduler.models import JobRun


@dataclass(frozen=True)
class Gauges:
    job_runs: dict[tuple[str, str], int]
    last_success: dict[str, datetime]
    outbox_depth: int
    outbox_oldest: datetime | None
    active_sessions: int
    heartbeat: datetime | None


def read(now: datetime) -> Gauges:
    runs = db.session.execute(select(JobRun.job_name, JobRun.outcome, func.count())
                              .group_by(JobRun.job_name, JobRun.outcome)).all()
    succeeded = db.session.execute(
        select(JobRun.job_name, func.max(JobRun.finished_at))
        .where(JobRun.outcome == "succeeded").group_by(JobRun.job_name)).all()
    depth, oldest = db.session.execute(
        select(func.count(), func.min(OutboxEmail.created_at))
        .where(OutboxEmail.sent_at.is_(None))).one()
    found = Gauges(
        job_runs={(job, outcome): count for job, outcome, count in runs},
        last_success={job: moment for job, moment in succeeded if moment},
        outbox_depth=depth, outbox_oldest=oldest,
        active_sessions=sum(sessions.live_counts(now).values()),
        heartbeat=lease.heartbeat())
    db.session.close()
    return found
