"""`flask check-config`: the start-up checks, and what the settings point at, without a server.

A Flask plugin command (pyproject.toml's flask.commands entry point), so it runs even when the
app itself would refuse to start: it builds the app with the refusals off and lists them."""
from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from . import create_app
from .config import problems
from .ops.readiness import checks


@click.command("check-config")
def check_config():
    """Check the settings, the database and its migrations, and show the scheduler's
    heartbeat; exit 1 if the settings, database or migrations are wrong."""
    app = create_app(refuse_unsafe=False)
    config = app.config
    found = problems(config)
    click.echo(f"mode: {'development' if config['DEVELOPMENT'] else 'production'}")
    click.echo("database: " + make_url(config["SQLALCHEMY_DATABASE_URI"]).render_as_string())
    click.echo(f"email: {config.get('SMTP_HOST') or 'off (no SMTP_HOST)'}")
    click.echo(f"trusted proxies: {config['TRUSTED_PROXIES']}")
    with app.app_context():
        for check in checks():
            click.echo(f"{check.name}: {check.says}")
            # No scheduler yet is normal before the services start; /readyz fails on it.
            if not check.ok and check.name != "scheduler":
                found.append(f"{check.name}: {check.says}")
    for problem in found:
        click.echo(f"PROBLEM: {problem}", err=True)
    click.echo("settings: ok" if not found else f"{len(found)} problem(s)")
    raise SystemExit(1 if found else 0)
