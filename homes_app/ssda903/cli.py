"""`flask export-ssda903 --year YYYY --out DIR`: the 903 header and episodes files."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from .. import clock
from ..audit.services import record_read
from ..errors import DomainError
from ..extensions import db
from .export import blank_fields_note, export


def register_cli(app: Flask) -> None:
    @app.cli.command("export-ssda903")
    @click.option("--year", required=True, help="The year the collection ends in (31 March).")
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
                  help="The folder to write header.csv and episodes.csv into.")
    def export_ssda903(year: str, out_dir: str) -> None:
        """Write the SSDA903 header and episodes for the collection year ending 31 March YEAR."""
        try:
            result = export(year, today=clock.today())
        except DomainError as refused:
            # A non-zero exit so a scheduled run or script notices that nothing was written.
            raise click.ClickException(refused.message) from None
        for path in result.write(Path(out_dir)):
            click.echo(f"Wrote {path}")
        # Audited like the download; run on the server, so no person is named.
        record_read(None, "ssda903.export", result.children,
                    details={"year": result.year, "via": "flask export-ssda903"})
        db.session.commit()
        click.echo(f"{len(result.header)} children, {len(result.episodes)} episodes, "
                   f"year ending 31 March {result.year}.")
        click.echo(blank_fields_note())
        for warning in result.warnings:
            click.echo(f"Warning: {warning}")
