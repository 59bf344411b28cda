"""Settings: defaults, then instance/settings.py, then the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from .database import normalise_url


def load_config(app: Flask, overrides: dict | None = None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(defaults(instance))
    app.config.from_pyfile("settings.py", silent=True)
    _from_environment(app)
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_url(app.config["SQLALCHEMY_DATABASE_URI"])
    secure = not app.config["DEVELOPMENT"]
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["SECRET_KEY"] = (
        app.config.get("SECRET_KEY") or os.environ.get("SECRET_KEY") or _instance_secret(instance)
    )


def defaults(instance: Path) -> dict:
    """The settings before instance/settings.py and the environment."""
    return dict(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'homes.sqlite3'}",
        # Statement parameters (names, dates of birth) never appear in errors or logs.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Local development serves plain http: no Secure cookies, no HSTS. Off unless asked for.
        DEVELOPMENT=os.environ.get("HOMES_DEVELOPMENT") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        # The CSRF token lives as long as the log-in session, so a long form does not expire.
        WTF_CSRF_TIME_LIMIT=None,
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCKOUT_MINUTES=15,
        # Failed sign-ins from one client address (request.remote_addr: behind a proxy, wrap
        # the app in werkzeug's ProxyFix or every visitor shares the proxy's address).
        ADDRESS_MAX_FAILURES=20,
        ADDRESS_WINDOW_MINUTES=15,
        ADDRESS_LOCKOUT_MINUTES=15,
        # Server-side sessions (homes_app/auth/sessions.py).
        SESSION_IDLE_MINUTES=30,
        SESSION_ABSOLUTE_HOURS=12,
        SESSION_TOUCH_SECONDS=60,  # last_seen_at is written at most this often
        TWO_FACTOR_PENDING_MINUTES=10,  # between a right password and the code
        TWO_FACTOR_ISSUER="Council children's homes",
        # Encrypts TOTP secrets at rest; derived from SECRET_KEY when unset.
        TOTP_ENCRYPTION_KEY=None,
        SET_PASSWORD_LINK_HOURS=72,
        BASE_URL="http://127.0.0.1:5000",
    )


def _from_environment(app: Flask) -> None:
    for name, key in (("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"), ("BASE_URL", "BASE_URL"),
                      ("TOTP_ENCRYPTION_KEY", "TOTP_ENCRYPTION_KEY")):
        if value := os.environ.get(name):
            app.config[key] = value


def _instance_secret(instance: Path) -> str:
    """A secret generated once into instance/ (never committed)."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
