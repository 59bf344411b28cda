"""Running one job for one trigger time: claim the (job, time) row, run the job, record the
outcome. The claim is a unique row, so of two schedulers firing the same trigger only one runs
it; a failure is logged and recorded, and never reaches the other jobs."""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from .jobs import Job
from .models import JobRun
from .queries import latest_run_ids

log = logging.getLogger(__name__)
LOOKBACK = timedelta(minutes=10)


def trigger_time(job: Job, now: datetime) -> datetime:
    """The trigger's latest fire time at or before `now`: the run APScheduler just started.
    Every scheduler computes the same time, which is what makes the claim work."""
    latest = None
    moment = job.trigger.get_next_fire_time(None, now - LOOKBACK)
    while moment is not None and moment <= now:
        latest = moment
        moment = job.trigger.get_next_fire_time(moment, moment + timedelta(microseconds=1))
    return latest or now


def claim(job: Job, scheduled_for: datetime, runner: str) -> int | None:
    """Insert the run's row; None if another runner already has it. Commits."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    run_id = db.session.scalar(dialect.insert(JobRun).values(
        job_name=job.name, scheduled_for=scheduled_for, started_at=clock.utcnow(),
        outcome="running", runner=runner[:120])
        .on_conflict_do_nothing(index_elements=["job_name", "scheduled_for"])
        .returning(JobRun.id))
    db.session.commit()
    return run_id


@dataclass(frozen=True)
class Outcome:
    job_name: str
    outcome: str
    summary: str | None
    error: str | None


def run(app: Flask, job: Job, scheduled_for: datetime, runner: str) -> Outcome | None:
    """Run `job` for `scheduled_for` unless another runner has; how it went, or None."""
    with app.app_context():
        run_id = claim(job, scheduled_for, runner)
        if run_id is None:
            return None
        outcome, summary, error = "succeeded", None, None
        try:
            summary = job.function()
        except Exception as failure:  # noqa: BLE001  (recorded; the other jobs carry on)
            db.session.rollback()
            log.exception("job %s failed", job.name)
            outcome = "failed"
            error = "".join(traceback.format_exception_only(failure)).strip()[:2000]
        record = db.session.get(JobRun, run_id)
        record.outcome, record.summary, record.error = outcome, summary, error
        record.finished_at = clock.utcnow()
        db.session.commit()
        log.info("job %s %s: %s", job.name, outcome, summary or error)
        return Outcome(job.name, outcome, summary, error)


def last_runs() -> dict[str, JobRun]:
    """Each job's latest run (the one housekeeping never deletes): one query."""
    return {r.job_name: r for r in db.session.scalars(
        select(JobRun).where(JobRun.id.in_(latest_run_ids())))}
