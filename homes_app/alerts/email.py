"""Email by SMTP: settings from the environment (or instance/settings.py), checked at start-up,
and the outbox: every email is stored first and sent by a job, so a failed send is tried again
later and nothing is lost while the mail server is down."""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db
from .models import OutboxEmail

log = logging.getLogger(__name__)
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
NAMES = ("SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_SECURITY",
         "SMTP_FROM", "SMTP_TIMEOUT")
BATCH = 200


class SmtpSettingsError(ValueError):
    """The SMTP settings cannot work; the message says which and how to fix it."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def read_settings(raw: dict) -> SmtpSettings | None:
    """Settings from raw strings; None when no host is set (email off). Raises
    SmtpSettingsError naming the setting for anything that cannot work."""
    host = (raw.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    security = (raw.get("SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY:
        raise SmtpSettingsError(f"SMTP_SECURITY must be one of {', '.join(SECURITY)} "
                                f"(not {security!r})")
    port = _number(raw.get("SMTP_PORT"), "SMTP_PORT", DEFAULT_PORTS[security], 1, 65535)
    timeout = _number(raw.get("SMTP_TIMEOUT"), "SMTP_TIMEOUT", 10, 1, 300)
    sender = (raw.get("SMTP_FROM") or "").strip()
    if not sender:
        raise SmtpSettingsError("SMTP_FROM is required when SMTP_HOST is set: the address "
                                "alert emails come from")
    try:
        validate_email(sender, check_deliverability=False)
    except EmailNotValidError:
        raise SmtpSettingsError(f"SMTP_FROM is not an email address: {sender!r}") from None
    username, password = raw.get("SMTP_USERNAME") or None, raw.get("SMTP_PASSWORD") or None
    if bool(username) != bool(password):
        raise SmtpSettingsError("Set both SMTP_USERNAME and SMTP_PASSWORD, or neither")
    if username and security == "none":
        raise SmtpSettingsError("SMTP_SECURITY=none would send the SMTP password in clear: "
                                "use starttls or ssl")
    return SmtpSettings(host, port, security, sender, username, password, float(timeout))


def _number(raw, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise SmtpSettingsError(f"{name} must be a whole number (not {raw!r})") from None
    if not low <= value <= high:
        raise SmtpSettingsError(f"{name} must be between {low} and {high} (not {value})")
    return value


def init_app(app: Flask) -> None:
    """Read the SMTP settings at start-up. load_config has refused bad ones already, unless
    `flask check-config` asked it not to so as to list them: then email is off."""
    try:
        app.extensions["smtp"] = read_settings({name: app.config.get(name) for name in NAMES})
    except SmtpSettingsError:
        app.extensions["smtp"] = None


def settings() -> SmtpSettings | None:
    return current_app.extensions.get("smtp")


def queue(*, to: str, subject: str, body: str, purpose: str, user_id: int | None,
          now: datetime) -> OutboxEmail:
    message = OutboxEmail(to_address=to, subject=subject[:200], body=body, purpose=purpose,
                          user_id=user_id, created_at=now, attempts=0, next_attempt_at=now)
    db.session.add(message)
    return message


def _connect(s: SmtpSettings) -> smtplib.SMTP:
    if s.security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                              context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.security == "starttls":
            conn.starttls(context=ssl.create_default_context())
    if s.username:
        conn.login(s.username, s.password or "")
    return conn


def _retry_after(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes, at most an hour apart: a mail server back up is used soon."""
    return timedelta(minutes=min(2 ** attempts, 60))


def deliver(now: datetime) -> str:
    """Send what is due in the outbox over one connection. A failure (server down, refused)
    is recorded on each message with its next attempt; the messages stay in the outbox."""
    s = settings()
    if s is None:
        return "email is off (no SMTP_HOST)"
    pending = db.session.scalars(select(OutboxEmail).where(
        OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id).limit(BATCH)).all()
    if not pending:
        return "nothing to send"
    sent = 0
    try:
        conn = _connect(s)
    except (OSError, smtplib.SMTPException) as error:
        for m in pending:
            _failed(m, error, now)
        log.warning("alert email: cannot reach the mail server: %s", error)
        return f"mail server unreachable; {len(pending)} kept for retry"
    try:
        for m in pending:
            try:
                conn.send_message(_message(m, s.sender))
            except (OSError, smtplib.SMTPException) as error:
                _failed(m, error, now)
                continue
            m.sent_at, m.attempts = now, m.attempts + 1
            sent += 1
    finally:
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            pass
    db.session.flush()
    return f"{sent} sent, {len(pending) - sent} kept for retry"


def _failed(m: OutboxEmail, error: Exception, now: datetime) -> None:
    m.attempts += 1
    m.last_error = f"{type(error).__name__}: {error}"[:1000]
    m.next_attempt_at = now + _retry_after(m.attempts)


def _message(m: OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, m.to_address, m.subject
    message.set_content(m.body)
    return message
