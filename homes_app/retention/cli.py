"""flask retention-review (the scheduled job, run now) and flask retention-purge-audit (the
operator procedure for audit events past retention, docs/retention.md)."""
from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from .. import clock
from ..auth.models import Role, User
from ..errors import DomainError
from ..extensions import db
from . import services
from .jobs import retention_review_job
from .models import RetentionReview


def register_cli(app: Flask) -> None:
    @app.cli.command("retention-review")
    def retention_review():
        """Find records past retention and list them for an administrator to confirm."""
        click.echo(retention_review_job())

    @app.cli.command("retention-purge-audit")
    @click.argument("review_id", type=int)
    @click.option("--by", "email", required=True,
                  help="the administrator who confirmed the purge (their email)")
    def retention_purge_audit(review_id: int, email: str):
        """Delete one month of audit events past retention (finding REVIEW_ID), audited."""
        admin = db.session.scalar(select(User).where(
            func.lower(User.email) == email.strip().lower(), User.role == Role.ADMINISTRATOR,
            User.active.is_(True)))
        if admin is None:
            raise click.ClickException(f"{email} is not an active administrator")
        try:
            count = services.purge_audit(db.session.get(RetentionReview, review_id),
                                         actor=admin, now=clock.utcnow())
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Deleted {count} audit events; the purge itself is in the audit log")
