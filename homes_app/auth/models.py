"""User accounts, their homes, one-time set-password links, used form nonces, two-factor
recovery codes, server-side sign-in sessions, failed sign-ins counted per address, and a
form's answers kept across a session that ran out."""
from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    SERVICE_DIRECTOR = "service_director"
    REGISTERED_MANAGER = "registered_manager"
    HOME_STAFF = "home_staff"
    RELIEF_STAFF = "relief_staff"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ROLE_VALUES = tuple(r.value for r in Role)
# The roles that may open children's records (each sees only the children of their homes, see
# placements.children): the children's pages declare these, and the audit log shows the values
# of a child's record only to them.
CHILDREN_READERS = (Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER, Role.HOME_STAFF)

user_homes = Table(
    "user_homes",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("home_id", ForeignKey("homes.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Two-factor: the TOTP secret encrypted (two_factor.py), set when enrolment starts; the
    # person is enrolled once a first code confirmed it. The last accepted time step refuses
    # a replayed code.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    homes = relationship("Home", secondary=user_homes, lazy="selectin", order_by="Home.name")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class SetPasswordToken(db.Model):
    """A one-time, expiring link to set a password; only its hash is stored. A link revoked
    (a newer one issued, the password set, the account deactivated) expires at that moment.
    Who issued it (an administrator; NULL from `flask create-user`) is named in the audit
    row of the password it sets."""

    __tablename__ = "set_password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))


class SubmittedForm(db.Model):
    """A form's one-time nonce, stored when the form is accepted, so a replay is refused."""

    __tablename__ = "submitted_forms"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecoveryCode(db.Model):
    """A one-time two-factor recovery code; only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SessionStage(StrEnum):
    SECOND_FACTOR = "second_factor"  # the password was right; a code (or enrolment) is due
    SIGNED_IN = "signed_in"


class UserSession(db.Model):
    """A sign-in session. The cookie carries a random id; only its hash is stored, so the
    table cannot be used to take over a session."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        CheckConstraint("stage IN ('second_factor', 'signed_in')", name="stage_known"),
        Index("ix_user_sessions_user_id_ended_at", "user_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    stage: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User", lazy="joined", innerjoin=True)


class SignInFailures(db.Model):
    """Failed sign-ins counted per client address ("address:..."), and per unknown email
    address ("email:<hash>") so an unknown account backs off exactly like a real one. For an
    address, locked_until is when its current wait ends (a slow-down, auth/throttle.py)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_not_negative"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


KEEP_ANSWERS_FOR = timedelta(minutes=30)  # long enough to sign in again and come straight back


class KeptFormAnswers(db.Model):
    """A form's answers, kept when it was posted from the person's own page (its CSRF token
    good) just as their session ran out (resume.py): for them alone, once signed in again in
    the same browser, whose cookie holds the random key (only its hash is here). Deleted once
    shown; offered for 30 minutes at most, and deleted by housekeeping after that."""

    __tablename__ = "kept_form_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(300))
    answers: Mapped[list] = mapped_column(JSON)  # [[name, value], ...] as posted
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime())

