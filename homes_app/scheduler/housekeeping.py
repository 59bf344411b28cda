"""The housekeeping job (docs/retention.md, "Housekeeping"): each domain's spent rows, deleted in
batches of HOUSEKEEPING_BATCH, each batch committed. The domains say what is spent (used form
nonces and ended sessions in auth, sent emails in alerts, job runs here); this job reads every
setting first, then deletes. Nothing here writes to the audit log, and no table it deletes from
has a trigger that would: these rows are bookkeeping, not records anyone acted on."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_

from .. import clock
from ..alerts import housekeeping as outbox
from ..auth import housekeeping as sign_in
from ..common.batches import Spent, delete_in_batches, whole_number_setting
from ..extensions import db
from .models import JobRun
from .queries import latest_run_ids


def spent_job_runs(now: datetime) -> list[Spent]:
    """Runs started more than JOB_RUN_KEEP_DAYS ago, but never one still running (this job's
    own run among them) nor a job's latest run, which `flask list-jobs` shows however old."""
    started_before = now - timedelta(days=whole_number_setting("JOB_RUN_KEEP_DAYS", 0))
    return [Spent("job runs", JobRun, and_(
        JobRun.started_at < started_before, JobRun.outcome != "running",
        JobRun.id.not_in(latest_run_ids())))]


def housekeeping_job() -> str:
    """The scheduled job: delete everything spent, a batch at a time, and say what went."""
    now = clock.utcnow()
    batch = whole_number_setting("HOUSEKEEPING_BATCH", 1)
    everything = [*sign_in.spent(now), *outbox.spent(now), *spent_job_runs(now)]
    try:
        gone = [(spent.what, delete_in_batches(spent, batch)) for spent in everything]
    except Exception:
        db.session.rollback()  # batches already committed stay deleted; the rest waits
        raise
    return "deleted " + ", ".join(f"{count} {what}" for what, count in gone)
