"""Two-factor sign-in with TOTP (RFC 6238, 30-second steps, 6 digits): enrolment with a QR code
and a manual key, verification that refuses a replayed code, one-time recovery codes.

Secrets are encrypted at rest (Fernet, key from TOTP_ENCRYPTION_KEY or derived from SECRET_KEY)
and never logged or audited. Codes are checked against homes_app/clock, so tests set the time."""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, or_, update

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from .models import RecoveryCode, Role, User

REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER})
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
CODE_FAILED = "Enter a correct code from your authenticator app, or a recovery code"
ENROL_FAILED = ("That code did not match. Check the time on your phone is right and enter "
                "the code your app shows now")


def required_for(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None


def needed(user: User) -> bool:
    """Whether signing in takes a second step (a code, or enrolment first)."""
    return enrolled(user) or required_for(user)


def _fernet() -> Fernet:
    material = current_app.config.get("TOTP_ENCRYPTION_KEY") or current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"homes_app totp secrets").derive(str(material).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _secret(user: User) -> str | None:
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:  # the key changed: the person must be reset and enrol again
        return None


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is."""
    totp = pyotp.TOTP(secret)
    current = step_at(now)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _clean(code: str) -> str:
    return "".join((code or "").split()).lower()


def begin_enrolment(user: User) -> str:
    """A new secret for a person not yet enrolled (kept while they enrol: a reload shows the
    same QR code). Returns it in clear, to show once."""
    if enrolled(user):
        raise DomainError("Two-factor authentication is already set up", "code")
    secret = _secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        user.totp_secret = encrypt_secret(secret)
        db.session.flush()
    return secret


def provisioning(user: User, secret: str) -> dict:
    """What the enrolment page shows: the QR code as an SVG data URI (CSP allows data: images)
    and the manual key in groups of four."""
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])
    qr = segno.make(uri, error="m")
    return {"qr": qr.svg_data_uri(scale=5, border=2),
            "key": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}


def confirm_enrolment(user: User, code: str, now: datetime, count_failure) -> list[str]:
    """The first code confirms the person's app holds the secret; returns recovery codes, in
    clear this once (only their hashes are kept)."""
    secret = _secret(user)
    step = _matching_step(secret, _clean(code), now) if secret else None
    if step is None:
        count_failure(user)
        raise DomainError(ENROL_FAILED, "code")
    user.totp_confirmed_at = now
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    record(user, "user.two_factor_on", user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in
             range(RECOVERY_CODE_COUNT)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    db.session.flush()
    return codes


def _digest(code: str) -> str:
    return hashlib.sha256(_clean(code).replace("-", "").encode()).hexdigest()


def verify(user: User, code: str, now: datetime, count_failure) -> str:
    """Accept a TOTP code of a later time step than the last one accepted, or an unused
    recovery code; returns "totp" or "recovery". Each is claimed with one conditional UPDATE,
    so two racing requests cannot both use one code. A failure counts toward the lockout."""
    code = _clean(code)
    secret = _secret(user)
    if code.isdigit() and len(code) == 6 and secret:
        step = _matching_step(secret, code, now)
        if step is not None and _claim_step(user, step):
            return "totp"
    elif len(code.replace("-", "")) == 10:
        claimed = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
                   RecoveryCode.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            record(user, "user.recovery_code_used", user)
            return "recovery"
    count_failure(user)
    raise DomainError(CODE_FAILED, "code")


def _claim_step(user: User, step: int) -> bool:
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id,
               or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if claimed == 1:
        db.session.expire(user, ["totp_last_step"])
    return claimed == 1


def recovery_codes_left(user: User) -> int:
    from sqlalchemy import func, select

    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def turn_off(user: User, code: str, now: datetime, count_failure) -> None:
    """Someone whose role does not require it may turn two-factor off, with a current code."""
    if required_for(user):
        raise DomainError(f"Two-factor authentication is required for {user.role_enum.label.lower()}s", "code")
    verify(user, code, now, count_failure)
    _clear(user)
    record(user, "user.two_factor_off", user)


def reset(user: User, *, actor) -> None:
    """An administrator clears a person's two-factor set-up (a lost phone): they enrol again at
    their next sign-in (if their role requires it). The caller ends their sessions."""
    was = enrolled(user)
    _clear(user)
    record(actor, "user.two_factor_reset", user, before={"enrolled": was},
           after={"enrolled": False})


def _clear(user: User) -> None:
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
