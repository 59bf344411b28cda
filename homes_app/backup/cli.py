"""flask backup (into BACKUP_DIR, verified and rotated), flask backup FILE, flask restore FILE."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from .. import clock
from ..common.batches import whole_number_setting
from ..errors import DomainError
from ..extensions import db
from . import services
from .folder import Outcome, back_up_into


def register_cli(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("out", type=click.Path(path_type=Path), required=False)
    def backup(out: Path | None):
        """Write a consistent copy of the whole database to OUT; without OUT, a new copy into
        BACKUP_DIR, verified by restoring it into a scratch database, then the rotation
        (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY)."""
        try:
            if out is None:
                _report(_into_folder())
                return
            services.backup(db.engine, out)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Backed up to {out}")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(path_type=Path))
    def restore(source: Path):
        """Restore the backup SOURCE into this (empty) database."""
        try:
            services.restore(db.engine, source)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Restored from {source}")


def _into_folder() -> Outcome:
    keep_daily = whole_number_setting("BACKUP_KEEP_DAILY", 1)
    keep_weekly = whole_number_setting("BACKUP_KEEP_WEEKLY", 0)
    folder = Path(current_app.config["BACKUP_DIR"])
    return back_up_into(db.engine, folder, clock.now(), keep_daily, keep_weekly)


def _report(outcome: Outcome) -> None:
    click.echo(f"Backed up to {outcome.written}")
    click.echo(f"Verified: restored into a scratch database, {outcome.verified.tables} tables "
               f"and {outcome.verified.rows} rows, as many as were copied")
    gone = ", ".join(path.name for path in outcome.deleted) or "nothing"
    kept = f"{outcome.kept} {'copy' if outcome.kept == 1 else 'copies'}"
    click.echo(f"Rotation: {kept} kept, deleted {gone}")
