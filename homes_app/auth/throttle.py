"""Failed sign-ins counted in the database (so the count holds across workers and restarts):
per client address, and per unknown email address so that a made-up account is locked out
exactly like a real one and the lockout message cannot tell them apart.

An address is slowed down, never locked out: many people share one address (everyone behind a
council's proxy), so 20 bad sign-ins from one of them must not stop the rest. Past the failures
allowed, each further attempt from the address waits a little longer (1 second, doubling, at
most ADDRESS_MAX_DELAY_SECONDS) after the last failure; an attempt made sooner is refused with
how long to wait, before any password is checked. Per-account lockout is the accounts' own
(services.py)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from math import ceil

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from .models import SignInFailures


def address_key(address: str | None) -> str:
    return f"address:{(address or 'unknown')[:64]}"


def email_key(email: str) -> str:
    return "email:" + hashlib.sha256(email.encode()).hexdigest()[:64]


def address_wait_message(seconds: int) -> str:
    return (f"Too many failed sign-ins from your network. Wait {seconds} "
            f"second{'s' if seconds != 1 else ''}, then try again.")


def check_address(address: str | None, now: datetime) -> None:
    """Refuse an attempt made before this address's wait is over (before any password is
    checked). A refused attempt is not counted, so it never makes the wait longer."""
    row = db.session.get(SignInFailures, address_key(address))
    if row is not None and row.locked_until and row.locked_until > now:
        raise DomainError(address_wait_message(ceil((row.locked_until - now)
                                                    .total_seconds())), "email")


def count_address_failure(address: str | None, now: datetime) -> None:
    """Count a failure from this address; past the allowed number, the next attempt waits.
    The count starts again once ADDRESS_WINDOW_MINUTES pass after the first failure, or after
    the last wait ended while the address is being slowed (so a steady attacker is never let
    off)."""
    config = current_app.config
    row = _row(address_key(address), now)
    quiet_since = row.locked_until or row.window_started_at
    if now - quiet_since >= timedelta(minutes=config["ADDRESS_WINDOW_MINUTES"]):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if (wait := address_delay(row.failures, config["ADDRESS_MAX_FAILURES"],
                              config["ADDRESS_MAX_DELAY_SECONDS"])) is not None:
        row.locked_until = now + wait
    db.session.flush()


def address_delay(failures: int, allowed: int, longest: int) -> timedelta | None:
    """The wait after this many failures from one address: none before the `allowed`-th,
    1 second after it, doubling with each further failure, at most `longest` seconds."""
    if failures < allowed:
        return None
    return timedelta(seconds=min(2 ** min(failures - allowed, 16), longest))


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
