"""flask seed-registration-templates and flask compliance-calendar."""
from __future__ import annotations

import click
from flask import Flask

from .. import clock
from ..extensions import db
from . import seed
from .compliance import services as calendar_services


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-registration-templates")
    def seed_registration_templates():
        """Load the standard registration steps and compliance rules, once per database."""
        steps, rules = seed.seed_template(), seed.seed_rules()
        db.session.commit()
        click.echo(f"Registration template: {steps} steps added" if steps else
                   "Registration template: already set up, left as it is")
        click.echo(f"Compliance rules: {rules} rules added" if rules else
                   "Compliance rules: already set up, left as they are")

    @app.cli.command("compliance-calendar")
    def compliance_calendar():
        """Put every active rule on the calendar of every open home that lacks it."""
        made = calendar_services.ensure_calendar(actor=None, today=clock.today())
        db.session.commit()
        click.echo(f"{made} obligations added to open homes' calendars")
