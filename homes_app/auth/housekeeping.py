"""Sign-in records past their year (docs/retention.md, "Sign-in records"): ended sessions, old
counts of failed sign-ins, spent set-password links and used recovery codes. They are security
logs rather than anyone's record, so the nightly job deletes them without asking; what a session
was used for stays in the audit log.

Used form nonces (submitted_forms) are kept: each one is what refuses a replay of its form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_

from .. import clock
from ..extensions import db
from .models import RecoveryCode, SetPasswordToken, SignInFailures, UserSession

KEPT_FOR = timedelta(days=365)


@dataclass(frozen=True)
class Housekept:
    sessions: int
    failures: int
    links: int
    recovery_codes: int

    def __str__(self) -> str:
        return (f"deleted {self.sessions} sessions, {self.failures} failed sign-in counts, "
                f"{self.links} set-password links and {self.recovery_codes} used recovery codes "
                "older than a year")


def delete_old_sign_in_records(now: datetime) -> Housekept:
    """Delete what is more than a year past its last use (`now` is UTC). Flushes; the caller
    commits."""
    cutoff = now - KEPT_FOR

    def gone(statement) -> int:
        return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount

    return Housekept(
        # A session never ended by sign-out still ran out 12 hours after it began.
        sessions=gone(delete(UserSession).where(or_(
            UserSession.ended_at < cutoff,
            and_(UserSession.ended_at.is_(None), UserSession.last_seen_at < cutoff)))),
        failures=gone(delete(SignInFailures).where(
            SignInFailures.window_started_at < cutoff,
            or_(SignInFailures.locked_until.is_(None), SignInFailures.locked_until < now))),
        links=gone(delete(SetPasswordToken).where(SetPasswordToken.expires_at < cutoff)),
        recovery_codes=gone(delete(RecoveryCode).where(RecoveryCode.used_at < cutoff)),
    )


def sign_in_housekeeping_job() -> str:
    """The scheduled job: delete, commit once, say what went."""
    try:
        result = delete_old_sign_in_records(clock.utcnow())
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return str(result)
