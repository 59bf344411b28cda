"""flask backup FILE and flask restore FILE."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from ..errors import DomainError
from ..extensions import db
from . import services


def register_cli(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("out", type=click.Path(path_type=Path))
    def backup(out: Path):
        """Write a consistent copy of the whole database to OUT."""
        try:
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
