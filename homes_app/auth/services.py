"""Accounts: invitation links, password setting, log-in with lockout, and home scoping."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from .. import clock
from ..audit.services import record
from ..clock import LONDON
from ..errors import DomainError
from ..extensions import db
from . import sessions, throttle, two_factor
from .models import Role, SetPasswordToken, User

# OWASP: argon2id, 19 MiB memory, 2 iterations, 1 degree of parallelism, at minimum.
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = hasher.hash("not a real password, used to even out timing")

MIN_PASSWORD, MAX_PASSWORD = 12, 128
LOGIN_FAILED = "Enter a correct email address and password"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, role: str, display_name: str, homes=(), *, actor=None) -> User:
    """Create an account with no password; the person sets one through an invitation link."""
    email = normalise_email(email)
    if role not in Role._value2member_map_:
        raise DomainError(f"Unknown role '{role}'", "role")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise DomainError("An account with this email address already exists", "email")
    if role in (Role.REGISTERED_MANAGER, Role.HOME_STAFF) and not homes:
        raise DomainError("Registered managers and home staff need at least one home", "homes")

    user = User(email=email, role=role, display_name=display_name or email,
                created_at=clock.utcnow(), failed_logins=0, active=True)
    user.homes = list(homes)
    db.session.add(user)
    record(actor, "user.create", user, after={"email": email, "role": role,
                                               "homes": [h.id for h in homes]})
    return user


def issue_set_password_token(user: User, now: datetime, hours: int) -> str:
    """A one-time link token; only its hash is kept, so the database cannot replay it."""
    token = secrets.token_urlsafe(32)
    db.session.add(SetPasswordToken(user_id=user.id, token_hash=_digest(token),
                                    expires_at=now + timedelta(hours=hours)))
    db.session.flush()
    return token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_user(token: str, now: datetime) -> tuple[SetPasswordToken, User] | None:
    row = db.session.scalar(select(SetPasswordToken).where(
        SetPasswordToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row, db.session.get(User, row.user_id)


def check_password_rules(password: str) -> None:
    """Length only (12 to 128), no composition rules, and never a commonly breached password."""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Password must be {MIN_PASSWORD} characters or more", "password")
    if len(password) > MAX_PASSWORD:
        raise DomainError(f"Password must be {MAX_PASSWORD} characters or fewer", "password")
    if password.lower() in common_passwords():
        raise DomainError("This password is on a list of the most common breached passwords. "
                          "Choose another: a few unrelated words work well", "password")


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of a published breach corpus, as shipped by zxcvbn."""
    # Read when a password is first set, not at start-up: each web worker would hold it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def set_password(token: str, password: str, now: datetime) -> User:
    found = token_user(token, now)
    if found is None:
        raise DomainError("This link has expired or has already been used. Ask your "
                          "administrator for a new one.", "password")
    check_password_rules(password)
    row, user = found
    row.used_at = now
    user.password_hash = hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    record(user, "user.set_password", user)
    # A new password ends every session; the second factor is still asked at the next
    # sign-in (a link never signs anyone in).
    sessions.end_all(user.id, now, "password_set")
    return user


def authenticate(email: str, password: str, now: datetime, max_failures: int,
                 lockout_minutes: int) -> User:
    """Return the user or raise one generic error; repeated failures lock the account. An
    unknown email address is counted and locked out the same way, so neither the message nor
    the lockout tells whether an account exists. When a second factor follows, the failure
    count is cleared only once it passes (else a known password would reset the count the
    code guesses build up)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.password_hash or not user.active:
        _verify(_DUMMY_HASH, password)  # same work as a real check: no timing hint
        key = throttle.email_key(normalise_email(email))
        if until := throttle.locked_until(key, now):
            raise DomainError(_locked_message(until), "email")
        throttle.count_failure(key, now, lambda n: _back_off(n, max_failures, lockout_minutes))
        raise DomainError(LOGIN_FAILED, "email")
    if user.locked_until and user.locked_until > now:
        raise DomainError(_locked_message(user.locked_until), "email")
    if not _verify(user.password_hash, password):
        count_failure(user, now, max_failures, lockout_minutes, "user.login_failed")
        raise DomainError(LOGIN_FAILED, "email")
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    if not two_factor.needed(user):
        signed_in(user)
    return user


def signed_in(user: User) -> None:
    """Every factor passed: the failure count starts again."""
    user.failed_logins = 0
    user.locked_until = None
    record(user, "user.login", user)


def count_failure(user: User, now: datetime, max_failures: int, lockout_minutes: int,
                  action: str = "user.two_factor_failed") -> None:
    """A wrong password or second-factor code: counted on the account, which locks with
    back-off (each further failure doubles the wait)."""
    user.failed_logins += 1
    if (wait := _back_off(user.failed_logins, max_failures, lockout_minutes)) is not None:
        user.locked_until = now + wait
    record(None, action, user, after={"failed_logins": user.failed_logins})


def locked_message(user: User, now: datetime) -> str | None:
    if user.locked_until and user.locked_until > now:
        return _locked_message(user.locked_until)
    return None


def _back_off(failures: int, max_failures: int, lockout_minutes: int) -> timedelta | None:
    if failures < max_failures:
        return None
    return timedelta(minutes=lockout_minutes * 2 ** min(failures - max_failures, 6))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _locked_message(until: datetime) -> str:
    return ("Too many failed attempts. Try again after "
            f"{until.astimezone(LONDON):%H:%M on %-d %B %Y}, or ask your administrator.")


def homes_in_scope(user: User) -> set[int] | None:
    """The ids of the homes a user may see, or None for every home."""
    if user.role in (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR):
        return None
    if user.role == Role.RELIEF_STAFF:
        return set()
    return {h.id for h in user.homes}


def may_see_home(user: User, home_id: int) -> bool:
    scope = homes_in_scope(user)
    return scope is None or home_id in scope


def may_record_moves(user: User, home_id: int) -> bool:
    return user.role == Role.REGISTERED_MANAGER and home_id in {h.id for h in user.homes}


def may_see_children(user: User) -> bool:
    return user.role in (Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER, Role.HOME_STAFF)


def unlock(user: User, *, actor) -> None:
    """An administrator lifts a lockout at once."""
    before = {"failed_logins": user.failed_logins,
              "locked_until": user.locked_until and user.locked_until.isoformat()}
    user.failed_logins, user.locked_until = 0, None
    record(actor, "user.unlock", user, before=before, after={"failed_logins": 0,
                                                             "locked_until": None})


def set_active(user: User, active: bool, *, actor) -> None:
    """Deactivate (their sessions end at once) or reactivate an account."""
    if getattr(actor, "id", None) == user.id and not active:
        raise DomainError("You cannot deactivate your own account")
    if user.active == active:
        return
    user.active = active
    if not active:
        sessions.end_all(user.id, clock.utcnow(), "deactivated")
    record(actor, "user.activate" if active else "user.deactivate", user,
           before={"active": not active}, after={"active": active})


def end_sessions(user: User, *, actor, reason: str = "ended_by_administrator") -> int:
    """An administrator ends all of a person's sessions (they sign in again)."""
    ended = sessions.end_all(user.id, clock.utcnow(), reason)
    record(actor, "user.sessions_ended", user, after={"sessions": ended})
    return ended


def reset_two_factor(user: User, *, actor) -> None:
    """An administrator clears a lost authenticator: audited, every session of the person ends,
    and they enrol again at their next sign-in."""
    two_factor.reset(user, actor=actor)
    sessions.end_all(user.id, clock.utcnow(), "two_factor_reset")
