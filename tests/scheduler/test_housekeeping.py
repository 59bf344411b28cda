"""The housekeeping job: old job runs go after JOB_RUN_KEEP_DAYS (never a job's latest run, nor
one still running), sent emails after SENT_EMAIL_KEEP_DAYS (never one still to be sent), a
batch at a time; a keep period that is not a whole number stops it before anything goes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from homes_app import clock
from homes_app.alerts.models import OutboxEmail
from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.scheduler.jobs import by_name
from homes_app.scheduler.models import JobRun

DAY = timedelta(days=1)


def housekeeping() -> str:
    return by_name("housekeeping").function()


def job_run(name: str, age: timedelta, outcome: str = "succeeded") -> JobRun:
    started = clock.utcnow() - age
    run = JobRun(job_name=name, scheduled_for=started, started_at=started, outcome=outcome,
                 finished_at=None if outcome == "running" else started, runner="test")
    db.session.add(run)
    db.session.flush()
    return run


def email(sent_age: timedelta | None) -> OutboxEmail:
    now = clock.utcnow()
    row = OutboxEmail(to_address="a@council.example", purpose="immediate", subject="s",
                      body="b", attempts=1, created_at=now - (sent_age or DAY),
                      next_attempt_at=now, sent_at=now - sent_age if sent_age else None)
    db.session.add(row)
    return row


def runs_left() -> list[tuple[str, str]]:
    return sorted(db.session.execute(select(JobRun.job_name, JobRun.outcome)).tuples())


def test_job_runs_go_after_their_keep_period_but_each_jobs_latest_run_stays(app):
    job_run("alert_sweep", 91 * DAY)
    job_run("alert_sweep", 90 * DAY - timedelta(minutes=1))  # inside the 90 days
    job_run("retention_review", 200 * DAY, outcome="failed")
    job_run("retention_review", 120 * DAY)  # its latest run, kept however old
    job_run("alert_digests", 100 * DAY, outcome="running")  # stuck, so someone should see it
    db.session.commit()

    assert "2 job runs" in housekeeping()
    assert runs_left() == [("alert_digests", "running"), ("alert_sweep", "succeeded"),
                           ("retention_review", "succeeded")]


def test_sent_emails_go_after_their_keep_period_and_unsent_ones_never(app):
    email(sent_age=31 * DAY)
    email(sent_age=29 * DAY)
    email(sent_age=None)  # still owed to someone
    db.session.commit()
    assert "1 sent emails" in housekeeping()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 2
    assert db.session.scalar(select(func.count()).where(OutboxEmail.sent_at.is_(None))) == 1


def test_a_backlog_goes_in_batches_each_committed_on_its_own(app):
    app.config["HOUSEKEEPING_BATCH"] = 10
    for n in range(25):
        email(sent_age=40 * DAY + n * timedelta(minutes=1))
    db.session.commit()
    deletes = []

    def count_deletes(_conn, _cursor, statement, *_rest):
        if statement.lstrip().upper().startswith("DELETE FROM EMAIL_OUTBOX"):
            deletes.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_deletes)
    try:
        assert "25 sent emails" in housekeeping()
    finally:
        event.remove(db.engine, "before_cursor_execute", count_deletes)
    assert len(deletes) == 3  # 10, 10, then 5 (fewer than a batch: nothing left)
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


@pytest.mark.parametrize("setting, value", [("SENT_EMAIL_KEEP_DAYS", -1),
                                            ("JOB_RUN_KEEP_DAYS", "30"),
                                            ("HOUSEKEEPING_BATCH", 0)])
def test_a_bad_setting_stops_the_job_before_anything_is_deleted(app, setting, value):
    email(sent_age=400 * DAY)
    job_run("alert_sweep", 400 * DAY)
    job_run("alert_sweep", DAY)
    db.session.commit()
    app.config[setting] = value
    with pytest.raises(DomainError, match=setting):
        housekeeping()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    assert len(runs_left()) == 2
