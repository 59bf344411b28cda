"""THE list of scheduled jobs: name, function, cron trigger. Nothing else declares jobs; the
scheduler, `flask run-job` and `flask list-jobs` all read this list.

A job at a time of day uses London wall-clock time (`daily`: 03:15 is 03:15 in GMT and in BST
alike; keep such times out of 01:00-02:00, skipped in March and repeated in October). A job
every few minutes uses UTC (`every`): UK offsets are whole hours, so its minutes past the hour
are London's too, and APScheduler 3's London cron leaves a 75-minute gap at the March change
(tests/scheduler/test_jobs.py shows both)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from ..alerts.jobs import digest_job, outbox_job, sweep_job
from ..clock import LONDON
from ..retention.jobs import retention_review_job
from .housekeeping import housekeeping_job

UTC = "UTC"


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable[[], str]
    trigger: BaseTrigger
    description: str


def every(minutes: int, offset: int = 0) -> CronTrigger:
    return CronTrigger(minute=f"{offset}-59/{minutes}", timezone=UTC)


def daily(hour: int, minute: int) -> CronTrigger:
    return CronTrigger(hour=hour, minute=minute, timezone=LONDON)


JOBS: list[Job] = [
    Job("alert_sweep", sweep_job, every(15),
        "Raise, refresh and resolve alerts; queue urgent emails (every 15 minutes)"),
    Job("alert_digests", digest_job, every(5),
        "Queue each person's digest at the time they chose (checked every 5 minutes)"),
    Job("email_outbox", outbox_job, every(5, offset=2),
        "Send queued emails; failed ones are retried later (every 5 minutes)"),
    Job("retention_review", retention_review_job, daily(3, 15),
        "Find records past retention for an administrator to confirm (03:15 UK time)"),
    Job("housekeeping", housekeeping_job, daily(3, 45),
        "Delete used form nonces, old job runs, sent emails and ended sessions past their "
        "keep periods, in batches (03:45 UK time)"),
]


def by_name(name: str) -> Job | None:
    return next((j for j in JOBS if j.name == name), None)
