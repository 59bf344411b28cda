"""Reads of the job runs shared by `flask list-jobs` and the housekeeping job."""
from __future__ import annotations

from sqlalchemy import Select, func, select

from .models import JobRun


def latest_run_ids() -> Select:
    """The id of each job's latest run: its highest, as runs are claimed in order. Never
    correlated, so it can sit inside a statement on job_runs itself (housekeeping's delete)."""
    return select(func.max(JobRun.id)).group_by(JobRun.job_name).correlate(None)
