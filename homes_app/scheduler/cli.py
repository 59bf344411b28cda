"""`flask run-scheduler`, `flask run-job NAME` and `flask list-jobs`."""
from __future__ import annotations

import signal
import socket
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .. import clock
from ..alerts import settings as alert_settings
from ..errors import DomainError
from ..extensions import db
from . import runner
from .jobs import JOBS, by_name
from .service import Scheduler


def _when(moment) -> str:
    return moment.astimezone(clock.LONDON).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _check_alert_settings() -> None:
    """Refuse to start on settings the jobs could not use, rather than fail at each run."""
    try:
        alert_settings.load()
    except DomainError as error:
        raise click.ClickException(f"Alert settings are not valid: {error.message}. "
                                   "Fix them on the alert settings page.") from None
    finally:
        db.session.remove()


@click.command("run-scheduler")
@with_appcontext
def run_scheduler():
    """Run the scheduled jobs in this process until stopped (Ctrl-C or SIGTERM)."""
    _check_alert_settings()
    scheduler = Scheduler(current_app._get_current_object(), blocking=True)
    # `make run` and service managers stop it with SIGTERM: shut down cleanly, lease freed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Scheduler {scheduler.holder}: {', '.join(j.name for j in JOBS)}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.shutdown()

@click.command("run-job")
@with_appcontext
@click.argument("name")
def run_job(name: str):
    """Run one job once, now (for operators, cron and tests)."""
    job = by_name(name)
    if job is None:
        raise click.ClickException(f"No job called {name!r}. Jobs: "
                                   f"{', '.join(j.name for j in JOBS)}")
    record = runner.run(current_app._get_current_object(), job, clock.utcnow(),
                        f"manual:{socket.gethostname()}")
    if record is None:
        raise click.ClickException("Another run of this job started at the same moment")
    click.echo(f"{job.name}: {record.outcome}: {record.summary or record.error}")
    if record.outcome == "failed":
        raise SystemExit(1)

@click.command("list-jobs")
@with_appcontext
def list_jobs():
    """Each job: its schedule, last run and outcome, and next run."""
    last = runner.last_runs()
    now = clock.now()
    for job in JOBS:
        run = last.get(job.name)
        outcome = f"{run.outcome}: {run.summary or run.error or ''}" if run else "never run"
        click.echo(f"{job.name}\n  {job.description}\n"
                   f"  last run: {_when(run.started_at) if run else '-'} ({outcome})\n"
                   f"  next run: {_when(job.trigger.get_next_fire_time(None, now))}")


def register_cli(app: Flask) -> None:
    for command in (run_scheduler, run_job, list_jobs):
        app.cli.add_command(command)
