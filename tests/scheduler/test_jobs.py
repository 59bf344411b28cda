"""The declared job list, its triggers across both clock changes, `flask run-job` and
`flask list-jobs`, and a failing job recorded without stopping the others."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from homes_app import clock
from homes_app.alerts.notify import default_preference, digest_due
from homes_app.extensions import db
from homes_app.scheduler import runner
from homes_app.scheduler.jobs import JOBS, Job, daily, every
from homes_app.scheduler.models import JobRun

SPRING = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # 01:00 GMT becomes 02:00 BST
AUTUMN = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 BST becomes 01:00 GMT


def fire_times(trigger, start: datetime, hours: int) -> list[datetime]:
    times, moment = [], trigger.get_next_fire_time(None, start)
    while moment is not None and moment < start + timedelta(hours=hours):
        times.append(moment)
        moment = trigger.get_next_fire_time(moment, moment + timedelta(microseconds=1))
    return times


def test_jobs_have_unique_names_and_cron_triggers():
    assert len({j.name for j in JOBS}) == len(JOBS)
    assert all(isinstance(job.trigger, CronTrigger) for job in JOBS)


def test_why_frequent_jobs_use_utc_minutes():
    """APScheduler 3's cron in London time skips 75 minutes at the March change; the same
    minutes past the hour in UTC (London's too, as UK offsets are whole hours) do not."""
    london = fire_times(CronTrigger(minute="*/15", timezone=clock.LONDON),
                        SPRING - timedelta(hours=2), 5)
    assert max(b - a for a, b in zip(london, london[1:], strict=False)) > timedelta(hours=1)
    utc = fire_times(every(15), SPRING - timedelta(hours=2), 5)
    assert {b - a for a, b in zip(utc, utc[1:], strict=False)} == {timedelta(minutes=15)}
    assert {t.astimezone(clock.LONDON).minute for t in utc} == {0, 15, 30, 45}


FREQUENT = [j for j in JOBS if str(j.trigger.timezone) == "UTC"]
DAILY = [j for j in JOBS if j not in FREQUENT]


def test_every_job_is_either_frequent_in_utc_or_daily_in_london():
    assert FREQUENT and DAILY
    assert all(str(j.trigger.timezone) == "Europe/London" for j in DAILY)


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["spring", "autumn"])
@pytest.mark.parametrize("job", FREQUENT, ids=[j.name for j in FREQUENT])
def test_a_job_runs_at_its_interval_straight_through_a_clock_change(job, change):
    """No run skipped and none doubled in the hour the clocks go forward or back."""
    times = fire_times(job.trigger, change - timedelta(hours=2), 5)
    gaps = {(b - a) for a, b in zip(times, times[1:], strict=False)}
    assert len(gaps) == 1, (job.name, sorted(gaps))
    assert len(times) == len(set(times))


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_the_digest_is_queued_at_0730_london_either_side_of_a_clock_change(change):
    """The digest job's runs on the Monday after each change: the first one due is 07:30 UK
    time, which is 06:30 UTC in summer and 07:30 UTC in winter."""
    digests = next(j for j in JOBS if j.name == "alert_digests")
    monday = change + timedelta(days=1)
    pref = default_preference(1)
    first = next(t for t in fire_times(digests.trigger, monday, 24)
                 if digest_due(pref, t.astimezone(clock.LONDON)))
    local = first.astimezone(clock.LONDON)
    assert (local.hour, local.minute) == (7, 30)
    assert first.astimezone(UTC).hour == (6 if change == SPRING else 7)


@pytest.mark.parametrize("job", DAILY, ids=[j.name for j in DAILY])
def test_each_daily_job_runs_once_a_day_at_its_wall_clock_time_across_both_changes(job):
    for change in (SPRING, AUTUMN):
        times = fire_times(job.trigger, change - timedelta(days=2), 24 * 4)
        assert len(times) == 4, (job.name, times)
        assert len({t.astimezone(clock.LONDON).strftime("%H:%M") for t in times}) == 1


def test_a_daily_job_keeps_its_wall_clock_time_across_both_changes():
    for change in (SPRING, AUTUMN):
        times = fire_times(daily(7, 30), change - timedelta(days=2), 24 * 4)
        assert [t.astimezone(clock.LONDON).strftime("%H:%M") for t in times] == ["07:30"] * 4
        assert len({t.utcoffset() for t in times}) == 2  # GMT and BST both seen


def test_run_job_runs_one_job_now_and_records_it(app, make):
    result = app.test_cli_runner().invoke(args=["run-job", "alert_sweep"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("alert_sweep: succeeded: 0 raised")
    [run] = db.session.scalars(select(JobRun)).all()
    assert (run.job_name, run.outcome, run.finished_at is not None) == (
        "alert_sweep", "succeeded", True)


def test_run_job_refuses_an_unknown_name(app):
    result = app.test_cli_runner().invoke(args=["run-job", "nope"])
    assert result.exit_code != 0
    assert "No job called 'nope'. Jobs: alert_sweep" in result.output


def test_list_jobs_shows_last_and_next_run_and_outcome(app):
    clock.freeze(clock.now() + timedelta(minutes=1))  # 10:01
    cli = app.test_cli_runner()
    cli.invoke(args=["run-job", "email_outbox"])
    output = cli.invoke(args=["list-jobs"]).output
    sweep = output[output.index("alert_sweep"):output.index("alert_digests")]
    assert "never run" in sweep and "next run: 2026-11-22 10:15 GMT" in sweep
    outbox = output[output.index("email_outbox"):]
    assert "last run: 2026-11-22 10:01 GMT (succeeded: email is off (no SMTP_HOST))" in outbox
    assert "next run: 2026-11-22 10:02 GMT" in outbox


def test_a_failing_job_is_logged_and_recorded_and_the_others_still_run(app, caplog):
    def broken() -> str:
        raise RuntimeError("the database of somebody else is down")

    ran = []
    jobs = [Job("broken", broken, CronTrigger(minute="*"), "fails"),
            Job("fine", lambda: ran.append(1) or "ok", CronTrigger(minute="*"), "works")]
    with caplog.at_level(logging.ERROR, logger="homes_app.scheduler.runner"):
        records = [runner.run(app, job, clock.utcnow(), "test") for job in jobs]
    assert [(r.outcome, r.error, r.summary) for r in records] == [
        ("failed", "RuntimeError: the database of somebody else is down", None),
        ("succeeded", None, "ok")]
    assert ran == [1]
    assert "job broken failed" in caplog.text
    result = app.test_cli_runner().invoke(args=["list-jobs"])
    assert result.exit_code == 0


def test_a_trigger_time_is_claimed_once(app):
    job = Job("once", lambda: "ran", CronTrigger(minute="*"), "")
    moment = clock.utcnow()
    assert runner.run(app, job, moment, "a").outcome == "succeeded"
    assert runner.run(app, job, moment, "b") is None
    assert runner.trigger_time(job, clock.now() + timedelta(seconds=20)) == clock.now()
