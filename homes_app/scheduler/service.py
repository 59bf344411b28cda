"""APScheduler 3 in its own process (`flask run-scheduler`), never in web workers. Every
scheduler process renews or waits for the leader lease; only the leader runs jobs, and each run
is claimed in the database as well, so two schedulers started by mistake still run each job
once per trigger, and a crashed leader is replaced when its lease runs out."""
from __future__ import annotations

import logging
import os
import socket
import uuid

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from .. import clock
from . import lease, runner
from .jobs import JOBS, Job

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, app: Flask, jobs: list[Job] | None = None, *, blocking: bool = False,
                 lease_seconds: int = 30, renew_seconds: int = 10):
        self.app = app
        self.jobs = JOBS if jobs is None else jobs
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_seconds = lease_seconds
        kind = BlockingScheduler if blocking else BackgroundScheduler
        # One run at a time per job; a run missed while down (or not leader) is not replayed.
        self.scheduler = kind(timezone=clock.LONDON, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        self.scheduler.add_job(self._renew, IntervalTrigger(seconds=renew_seconds),
                               id="_lease", next_run_time=clock.now())
        for job in self.jobs:
            self.scheduler.add_job(self._run, job.trigger, args=[job], id=job.name,
                                   name=job.name)

    def _renew(self) -> None:
        with self.app.app_context():
            try:
                leading = lease.acquire(self.holder, self.lease_seconds)
            except Exception:  # noqa: BLE001  (database away: not leading; try again later)
                log.exception("scheduler lease: could not renew")
                leading = False
        log.debug("scheduler %s leading: %s", self.holder, leading)

    def _run(self, job: Job) -> None:
        now = clock.now()
        with self.app.app_context():
            if not lease.holds(self.holder):
                return
        runner.run(self.app, job, runner.trigger_time(job, now), self.holder)

    def start(self) -> None:
        log.info("scheduler %s starting with %d jobs", self.holder, len(self.jobs))
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self.app.app_context():
            lease.release(self.holder)
