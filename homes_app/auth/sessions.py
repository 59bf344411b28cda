"""Server-side sign-in sessions: Flask's signed cookie carries only a random session id (and
the CSRF token, flash messages and a form's kept answers); the user_sessions row decides whether
that id still signs anyone in. Ended at sign-out, after 30 minutes idle or 12 hours in all
(settings), by "sign out everywhere", by an administrator, and when an account is deactivated
or its password or two-factor set-up is reset."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from .. import database
from ..extensions import db
from .models import SessionStage, User, UserSession

SID = "sid"  # the key in Flask's session cookie
# Every request loads its user with the session row and then the user's homes (scope
# checks need them), but nothing of those homes: their beds load only where a page asks.
USER_AND_HOMES = joinedload(UserSession.user).selectinload(User.homes).lazyload("*")
log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, stage: str, now: datetime, user_agent: str | None,
          address: str | None) -> str:
    """A new session with a new random id; returns the id for the cookie (only its hash is
    stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(token), stage=stage,
                               created_at=now, last_seen_at=now,
                               user_agent=_summary(user_agent), address=(address or "")[:64]))
    db.session.flush()
    return token


def _summary(user_agent: str | None) -> str:
    """Enough of the browser's description to recognise a session, no more."""
    return (user_agent or "unknown browser")[:120]


def limits() -> tuple[timedelta, timedelta, timedelta]:
    """(idle, absolute, second-factor step) limits from the settings."""
    config = current_app.config
    return (timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
            timedelta(minutes=config["TWO_FACTOR_PENDING_MINUTES"]))


def expiry_reason(row: UserSession, now: datetime) -> str | None:
    """Why a session not yet ended has run out, or None while it is good."""
    idle, absolute, pending = limits()
    if row.stage == SessionStage.SECOND_FACTOR and now - row.created_at > pending:
        return "expired"
    if now - row.created_at > absolute:
        return "expired"
    if now - row.last_seen_at > idle:
        return "idle"
    return None


def find(token: str | None, now: datetime) -> UserSession | None:
    """The live session this cookie's id names (its user loaded with it, one query), or None.
    One found to have run out is ended on the spot."""
    if not token or not isinstance(token, str):
        return None
    row = db.session.scalar(
        select(UserSession).options(USER_AND_HOMES)
        .where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None)))
    if row is None:
        return None
    reason = expiry_reason(row, now)
    if reason:
        _write(update(UserSession).where(UserSession.id == row.id,
                                         UserSession.ended_at.is_(None))
               .values(ended_at=now, end_reason=reason))
        return None
    return row


def touch(row: UserSession, now: datetime) -> None:
    """Keep an active session from going idle; written at most once a minute (a setting)."""
    every = timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    if now - row.last_seen_at >= every:
        _write(update(UserSession).where(UserSession.id == row.id,
                                         UserSession.last_seen_at < now)
               .values(last_seen_at=now))


def _write(statement) -> None:
    """Session bookkeeping (last seen, ended on expiry) is queued and written after the view,
    by write_queued()."""
    g.setdefault("session_writes", []).append(statement)


def write_queued() -> None:
    """Write the queued bookkeeping in a short transaction of its own, after the view has
    answered. A reading request (a GET page) never holds SQLite's write lock while it reads:
    its read transaction ends first (it wrote nothing), then BEGIN IMMEDIATE queues on the busy
    timeout like any writer. Losing one such write only shortens a session, so a failure is
    logged, never shown."""
    statements = g.pop("session_writes", None)
    if not statements:
        return
    db.session.rollback()  # the view has committed what it meant to; nothing else is kept
    token = database.write_intent.set(True)
    try:
        for statement in statements:
            db.session.execute(statement.execution_options(synchronize_session=False))
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("session bookkeeping skipped: database busy")
    finally:
        database.write_intent.reset(token)


def promote(row: UserSession, now: datetime) -> str:
    """The second factor passed: the session is signed in, under a new id."""
    token = secrets.token_urlsafe(32)
    row.token_hash, row.stage, row.last_seen_at = _digest(token), SessionStage.SIGNED_IN, now
    db.session.flush()
    return token


def end(row: UserSession, now: datetime, reason: str) -> None:
    if row.ended_at is None:
        row.ended_at, row.end_reason = now, reason
        db.session.flush()


def end_all(user_id: int, now: datetime, reason: str, *, keep: int | None = None) -> int:
    """End every live session of a person (but `keep`, if given); returns how many."""
    statement = update(UserSession).where(UserSession.user_id == user_id,
                                          UserSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    db.session.flush()
    ended = db.session.execute(statement.values(ended_at=now, end_reason=reason)
                               .execution_options(synchronize_session=False)).rowcount
    for row in list(db.session.identity_map.values()):
        if isinstance(row, UserSession):
            db.session.expire(row)
    return ended


def live(user_id: int, now: datetime) -> list[UserSession]:
    """A person's signed-in sessions that have not run out, newest first."""
    rows = db.session.scalars(select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None),
        UserSession.stage == SessionStage.SIGNED_IN).order_by(UserSession.created_at.desc(),
                                                              UserSession.id.desc()))
    return [r for r in rows if expiry_reason(r, now) is None]


def live_counts(now: datetime) -> dict[int, int]:
    """Signed-in sessions per person that have not run out (one query, for the Accounts page)."""
    idle, absolute, _pending = limits()
    rows = db.session.execute(
        select(UserSession.user_id, db.func.count(UserSession.id))
        .where(UserSession.ended_at.is_(None), UserSession.stage == SessionStage.SIGNED_IN,
               UserSession.created_at > now - absolute, UserSession.last_seen_at > now - idle)
        .group_by(UserSession.user_id))
    return dict(rows.all())


def holder(token: str | None) -> int | None:
    """Whose signed-in session this cookie's id names, live or run out (idle, or at its
    absolute limit), but not one ended on purpose (signed out, by an administrator, a reset):
    a form posted as it ran out is theirs to finish after signing in again (resume.py)."""
    if not token or not isinstance(token, str):
        return None
    return db.session.scalar(select(UserSession.user_id).where(
        UserSession.token_hash == _digest(token), UserSession.stage == SessionStage.SIGNED_IN,
        or_(UserSession.ended_at.is_(None), UserSession.end_reason.in_(("idle", "expired")))))


def after_view(statement) -> None:
    """A reading page's own small write (kept answers deleted once shown: resume.py), done
    with the session bookkeeping after the view."""
    _write(statement)
