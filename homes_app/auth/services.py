"""Accounts: creating them, setting a password from a link (password_links.py), log-in with
lockout, and home scoping."""
from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from .. import clock
from ..audit.personal_data import CHILD_RECORDS
from ..audit.services import record
from ..clock import LONDON
from ..errors import DomainError
from ..extensions import db
from . import password_links, sessions, throttle, two_factor
from .models import CHILDREN_READERS, Role, User
from .passwords import check_password_rules

# OWASP: argon2id, 19 MiB memory, 2 iterations, 1 degree of parallelism, at minimum.
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = hasher.hash("not a real password, used to even out timing")

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


def set_password(token: str, password: str, now: datetime) -> User:
    """Set the password from a link, which then dies with every other link of the account. The
    audit row names who issued the link (an administrator) as the actor: they chose where it
    went, so a password set by the wrong hands is traced to them; a link from the command
    line has no issuer and the account's owner is named."""
    found = password_links.token_user(token, now)
    if found is None:
        raise DomainError(password_links.DEAD_LINK, "password")
    row, user = found
    check_password_rules(password, user)
    password_links.use(row, now)
    user.password_hash = hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    issuer = db.session.get(User, row.issued_by_id) if row.issued_by_id else None
    record(issuer or user, "user.set_password", user,
           after={"link_issued_by": row.issued_by_id})
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
    code guesses build up).

    Every attempt verifies one password hash before anything else, whatever the account's
    state (none, inactive, no password yet, locked): a dummy hash made by the same hasher
    stands in for a missing one, so the answer's time tells no more than its words."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    usable = user is not None and bool(user.password_hash) and user.active
    right = _verify(user.password_hash if usable else _DUMMY_HASH, password)
    if not usable:
        key = throttle.email_key(email)
        if until := throttle.locked_until(key, now):
            raise DomainError(_locked_message(until), "email")
        throttle.count_failure(key, now, lambda n: _back_off(n, max_failures, lockout_minutes))
        raise DomainError(LOGIN_FAILED, "email")
    if locked := locked_message(user, now):
        raise DomainError(locked, "email")
    if not right:
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
    return user.role in CHILDREN_READERS


def may_see_audit_values(user: User, subject_type: str) -> bool:
    """Whether an audit event's before and after values are for this user's eyes: those of a
    child's record (audit.personal_data.CHILD_RECORDS) only for the roles that may open it;
    anyone who may read the log sees which fields changed, who changed them and when."""
    return subject_type not in CHILD_RECORDS or may_see_children(user)


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
        password_links.revoke_links(user.id, clock.utcnow())  # reactivating revives none
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
