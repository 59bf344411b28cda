"""One leader among schedulers: the lease, its expiry when the leader crashes, and two real
schedulers started by mistake against the same database running each job once per trigger
(run with --db=postgresql for PostgreSQL)."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from homes_app import clock
from homes_app.extensions import db
from homes_app.scheduler import lease
from homes_app.scheduler.jobs import Job
from homes_app.scheduler.models import JobRun
from homes_app.scheduler.service import Scheduler


def test_one_holder_leads_until_its_lease_runs_out(app):
    assert lease.acquire("a", 30) is True
    assert lease.acquire("b", 30) is False
    assert lease.holds("a") and not lease.holds("b")
    clock.freeze(clock.now() + timedelta(seconds=29))
    assert lease.acquire("a", 30) is True  # renewed: b still waits
    clock.freeze(clock.now() + timedelta(seconds=29))
    assert lease.acquire("b", 30) is False
    clock.freeze(clock.now() + timedelta(seconds=2))  # a crashed and did not renew
    assert lease.acquire("b", 30) is True
    assert lease.holds("b") and not lease.holds("a")
    assert lease.acquire("a", 30) is False


def test_a_released_lease_is_taken_at_once(app):
    lease.acquire("a", 30)
    lease.release("a")
    assert lease.acquire("b", 30) is True


def _runs(app) -> list[JobRun]:
    with app.app_context():
        runs = db.session.scalars(select(JobRun).order_by(JobRun.scheduled_for)).all()
        db.session.expunge_all()
        return runs


def test_two_schedulers_run_each_job_once_per_trigger_and_a_crashed_leader_is_replaced(app):
    clock.freeze(None)  # real time: APScheduler's triggers fire on the wall clock
    calls: list[float] = []
    lock = threading.Lock()

    def tick() -> str:
        with lock:
            calls.append(time.time())
        return "tick"

    jobs = [Job("tick", tick, CronTrigger(second="*", timezone="UTC"), "every second")]
    first = Scheduler(app, jobs, lease_seconds=2, renew_seconds=1)
    second = Scheduler(app, jobs, lease_seconds=2, renew_seconds=1)
    first.start()
    time.sleep(0.3)  # the first takes the lease
    second.start()
    try:
        time.sleep(4)
        led = _runs(app)
        first.scheduler.shutdown(wait=True)  # a crash: the lease is not released
        crashed_at = clock.utcnow()
        time.sleep(5)
    finally:
        second.shutdown()
        if first.scheduler.running:
            first.shutdown()
    runs = _runs(app)
    assert len(led) >= 3
    assert {r.runner for r in led} == {first.holder}
    assert len(calls) == len(runs)  # each run is one call: no trigger ran twice
    assert len({r.scheduled_for for r in runs}) == len(runs)
    assert all(r.outcome == "succeeded" for r in runs)
    after = [r for r in runs if r.scheduled_for > crashed_at + timedelta(seconds=3)]
    assert after and {r.runner for r in after} == {second.holder}
