"""flask create-user: invite a person, printing a one-time set-password link."""
from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..homes.models import Home
from ..links import external_url
from . import password_links, services
from .models import ROLE_VALUES


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", required=True, type=click.Choice(ROLE_VALUES))
    @click.option("--name", "display_name", default="", help="Name shown in the app.")
    @click.option("--home", "home_names", multiple=True, help="A home's name (repeatable).")
    def create_user(email: str, role: str, display_name: str, home_names: tuple[str, ...]):
        """Create an account and print its one-time set-password link."""
        homes = list(db.session.scalars(select(Home).where(Home.name.in_(home_names))))
        missing = set(home_names) - {h.name for h in homes}
        if missing:
            raise click.ClickException(f"No home called {', '.join(sorted(missing))}")
        try:
            user = services.create_user(email, role, display_name, homes)
            hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
            token = password_links.issue_set_password_token(user, clock.utcnow(), hours)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Created {user.email} ({role}).")
        click.echo(f"Set-password link (one use, expires in {hours} hours):")
        click.echo(external_url("auth.set_password", token=token))
