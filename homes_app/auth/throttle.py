"""Failed sign-ins counted in the database (so the count holds across workers and restarts):
per client address, and per unknown email address so that a made-up account is locked out
exactly like a real one and the lockout message cannot tell them apart."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import LONDON
from ..errors import DomainError
from ..extensions import db
from .models import SignInFailures


def address_key(address: str | None) -> str:
    return f"address:{(address or 'unknown')[:64]}"


def email_key(email: str) -> str:
    return "email:" + hashlib.sha256(email.encode()).hexdigest()[:64]


def address_locked_message(until: datetime) -> str:
    return ("Too many failed sign-ins from your network. Try again after "
            f"{until.astimezone(LONDON):%H:%M on %-d %B %Y}.")


def check_address(address: str | None, now: datetime) -> None:
    """Refuse at once while this address is locked out (before any password is checked)."""
    row = db.session.get(SignInFailures, address_key(address))
    if row is not None and row.locked_until and row.locked_until > now:
        raise DomainError(address_locked_message(row.locked_until), "email")


def count_address_failure(address: str | None, now: datetime) -> None:
    """Count a failure in a fixed window; too many in one window lock the address."""
    config = current_app.config
    row = _row(address_key(address), now)
    if now - row.window_started_at >= timedelta(minutes=config["ADDRESS_WINDOW_MINUTES"]):
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= config["ADDRESS_MAX_FAILURES"]:
        row.locked_until = now + timedelta(minutes=config["ADDRESS_LOCKOUT_MINUTES"])
        row.failures, row.window_started_at = 0, now
    db.session.flush()


def locked_until(key: str, now: datetime) -> datetime | None:
    row = db.session.get(SignInFailures, key)
    return row.locked_until if row is not None and row.locked_until and \
        row.locked_until > now else None


def count_failure(key: str, now: datetime, back_off) -> datetime | None:
    """Count a failure with the accounts' back-off rule (`back_off(failures)` gives the wait or
    None); returns the new locked_until, if any."""
    row = _row(key, now)
    row.failures += 1
    wait = back_off(row.failures)
    if wait is not None:
        row.locked_until = now + wait
    db.session.flush()
    return row.locked_until


def _row(key: str, now: datetime) -> SignInFailures:
    """The counter row, locked for this transaction (created on first failure)."""
    row = db.session.scalar(select(SignInFailures).where(SignInFailures.key == key)
                            .with_for_update())
    if row is None:
        try:
            with db.session.begin_nested():
                row = SignInFailures(key=key, failures=0, window_started_at=now)
                db.session.add(row)
        except IntegrityError:  # another request made it first
            row = db.session.scalar(select(SignInFailures).where(SignInFailures.key == key)
                                    .with_for_update())
    return row
