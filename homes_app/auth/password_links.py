"""Set-password links: one-time, expiring, only the newest for an account works, and only the
token's hash is stored (a copy of the database cannot use a link). Issuing one is audited with
who issued it, for whom; a link dies when a newer one is issued, when the password is set and
when the account is deactivated."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from .models import SetPasswordToken, User

DEAD_LINK = ("This link has expired or has already been used. Ask your administrator for a "
             "new one.")


def issue_set_password_token(user: User, now: datetime, hours: int, *, actor=None) -> str:
    """A new link for `user` (from `actor`, an administrator, or None from the command line);
    every earlier link of theirs stops working."""
    if not user.active:
        raise DomainError("This account is deactivated: reactivate it before sending a link")
    revoked = revoke_links(user.id, now)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    db.session.add(SetPasswordToken(user_id=user.id, token_hash=_digest(token),
                                    expires_at=expires, issued_at=now,
                                    issued_by_id=getattr(actor, "id", None)))
    record(actor, "user.set_password_link", user,
           after={"expires_at": expires.isoformat(), "earlier_links_revoked": revoked})
    return token


def revoke_links(user_id: int, now: datetime) -> int:
    """Every live link of this person expires now; returns how many were live."""
    live = db.session.scalars(select(SetPasswordToken).where(
        SetPasswordToken.user_id == user_id, SetPasswordToken.used_at.is_(None),
        SetPasswordToken.expires_at > now)).all()
    for row in live:
        row.expires_at = now
    return len(live)


def token_user(token: str, now: datetime) -> tuple[SetPasswordToken, User] | None:
    """The link and its account, or None for a link that does not work: unknown, used,
    expired or revoked, not the account's newest, or for a deactivated account."""
    row = db.session.scalar(select(SetPasswordToken).where(
        SetPasswordToken.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    newest = db.session.scalar(select(func.max(SetPasswordToken.id)).where(
        SetPasswordToken.user_id == row.user_id))
    user = db.session.get(User, row.user_id)
    if row.id != newest or user is None or not user.active:
        return None
    return row, user


def use(row: SetPasswordToken, now: datetime) -> None:
    """Claim the link once: of two posts racing with one link, only one gets it."""
    claimed = db.session.execute(
        update(SetPasswordToken)
        .where(SetPasswordToken.id == row.id, SetPasswordToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise DomainError(DEAD_LINK, "password")
    row.used_at = now  # as the database now has it
    revoke_links(row.user_id, now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
