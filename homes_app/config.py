"""Settings: defaults, then instance/settings.py, then the environment, then the caller's.

Outside local development (HOMES_DEVELOPMENT unset) the app refuses to start on settings that
would be unsafe there: `problems` names each one, and `flask check-config` prints them."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Config, Flask

from .alerts.email import NAMES as SMTP_NAMES
from .alerts.email import SmtpSettingsError, read_settings
from .database import normalise_url

MIN_SECRET_BYTES = 32
HOST_COOKIE = "__Host-session"  # the session cookie's name outside local development
# Settings the environment may set, by the same name, typed as their default is.
FROM_ENVIRONMENT = (
    "BASE_URL", "TOTP_ENCRYPTION_KEY", "SECRET_KEY", "TRUSTED_PROXIES", "SQLITE_OK",
    "METRICS_TOKEN", "SENTRY_DSN", "SENTRY_ENVIRONMENT", "READY_SCHEDULER_MAX_AGE_SECONDS",
    "USED_FORM_KEEP_DAYS", "JOB_RUN_KEEP_DAYS", "SENT_EMAIL_KEEP_DAYS",
    "ENDED_SESSION_KEEP_DAYS", "HOUSEKEEPING_BATCH",
    "BACKUP_DIR", "BACKUP_KEEP_DAILY", "BACKUP_KEEP_WEEKLY",
)
RENAMED = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "HOMES_SQLITE_OK": "SQLITE_OK",
           "HOMES_DEVELOPMENT": "DEVELOPMENT"}


class UnsafeSettings(RuntimeError):
    """Settings the app will not start with; the message names every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("homes_app will not start with these settings:\n"
                         + "\n".join(f"- {p}" for p in problems))


def load_config(app: Flask, overrides: dict | None = None, *, refuse_unsafe: bool = True) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    default = defaults(instance)
    given = {**_settings_file(app), **_environment(default), **(overrides or {})}
    app.config.update(default)
    app.config.update(given)
    app.config["SETTINGS_GIVEN"] = frozenset(given)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_url(app.config["SQLALCHEMY_DATABASE_URI"])
    _cookies(app.config, given)
    found = problems(app.config)
    if found and refuse_unsafe:
        raise UnsafeSettings(found)
    if not app.config.get("SECRET_KEY") and app.config["DEVELOPMENT"]:
        app.config["SECRET_KEY"] = _instance_secret(instance)


def _cookies(config, given: dict) -> None:
    """Outside local development the session cookie is Secure and named `__Host-session`:
    the browser then keeps it only if it came over https for this exact host (Path=/, no
    Domain), so no sibling site of the council's domain can set or overwrite it. Remember-me
    is never offered (login_user without remember); should Flask-Login ever set its cookie,
    it carries the session cookie's flags."""
    secure = not config["DEVELOPMENT"]
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = secure
    if secure and "SESSION_COOKIE_NAME" not in given:
        config["SESSION_COOKIE_NAME"] = HOST_COOKIE
    config["REMEMBER_COOKIE_HTTPONLY"] = config["SESSION_COOKIE_HTTPONLY"]
    config["REMEMBER_COOKIE_SAMESITE"] = config["SESSION_COOKIE_SAMESITE"]


def defaults(instance: Path) -> dict:
    """The settings before instance/settings.py and the environment."""
    return dict(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'homes.sqlite3'}",
        # Statement parameters (names, dates of birth) never appear in errors or logs.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True},
        SECRET_KEY=None,
        # "1" when DATABASE_URL is unset on purpose: SQLite in instance/ on a single host.
        SQLITE_OK=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Local development serves plain http: no Secure cookies, no HSTS, and the production
        # refusals below are off. Off unless asked for.
        DEVELOPMENT=False,
        # The CSRF token lives as long as the log-in session, so a long form does not expire.
        WTF_CSRF_TIME_LIMIT=None,
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCKOUT_MINUTES=15,
        # Failed sign-ins from one client address (request.remote_addr, which is the proxy's
        # address unless TRUSTED_PROXIES says how many proxies stand in front): past this
        # many, each further attempt waits 1 second, doubling, at most the longest delay; never
        # a lockout, since many people may share the address (auth/throttle.py).
        ADDRESS_MAX_FAILURES=20,
        ADDRESS_WINDOW_MINUTES=15,
        ADDRESS_MAX_DELAY_SECONDS=30,
        # How many proxies (load balancer, nginx) set X-Forwarded-For/-Proto/-Host in front of
        # the app; 0 ignores those headers, which a client could otherwise forge.
        TRUSTED_PROXIES=0,
        # Server-side sessions (homes_app/auth/sessions.py).
        SESSION_IDLE_MINUTES=30,
        SESSION_ABSOLUTE_HOURS=12,
        SESSION_TOUCH_SECONDS=60,  # last_seen_at is written at most this often
        TWO_FACTOR_PENDING_MINUTES=10,  # between a right password and the code
        TWO_FACTOR_ISSUER="Council children's homes",
        # Encrypts TOTP secrets at rest; derived from SECRET_KEY when unset.
        TOTP_ENCRYPTION_KEY=None,
        SET_PASSWORD_LINK_HOURS=72,
        # Where emailed links point; required (https) outside development.
        BASE_URL="http://127.0.0.1:5000",
        # /readyz: the scheduler's lease must have been renewed within this many seconds.
        READY_SCHEDULER_MAX_AGE_SECONDS=120,
        # /metrics answers only a request bearing this token; unset, it is not served at all.
        METRICS_TOKEN=None,
        SENTRY_DSN=None,
        SENTRY_ENVIRONMENT="production",
        # Housekeeping (docs/retention.md): how long spent rows are kept, in days.
        USED_FORM_KEEP_DAYS=2,
        JOB_RUN_KEEP_DAYS=90,
        SENT_EMAIL_KEEP_DAYS=30,
        ENDED_SESSION_KEEP_DAYS=365,
        HOUSEKEEPING_BATCH=1000,
        # `flask backup` with no file: a rotation of daily and weekly copies in BACKUP_DIR.
        BACKUP_DIR=str(instance / "backups"),
        BACKUP_KEEP_DAILY=7,
        BACKUP_KEEP_WEEKLY=5,
    )


def problems(config) -> list[str]:
    """Every reason these settings cannot be used here, in words an operator can act on."""
    found = _smtp_problems(config)
    if config["DEVELOPMENT"]:
        return found
    given = config.get("SETTINGS_GIVEN", frozenset())
    secret = config.get("SECRET_KEY") or ""
    if len(secret.encode() if isinstance(secret, str) else secret) < MIN_SECRET_BYTES:
        found.append(f"SECRET_KEY must be set, at least {MIN_SECRET_BYTES} bytes, and the same "
                     "on every host (sessions signed on one host are read on another): e.g. "
                     "python3 -c 'import secrets; print(secrets.token_hex(32))'")
    base_url = config.get("BASE_URL") if "BASE_URL" in given else None
    if not base_url or urlsplit(base_url).scheme != "https" or not urlsplit(base_url).netloc:
        found.append("BASE_URL must be the https address people use to reach homes_app "
                     "(e.g. https://homes.council.gov.uk): emailed links are built from it")
    if "SQLALCHEMY_DATABASE_URI" not in given and not config.get("SQLITE_OK"):
        found.append("DATABASE_URL is not set, so homes_app would keep its data in SQLite "
                     "(instance/homes.sqlite3). SQLite is fine on one host: say so with "
                     "HOMES_SQLITE_OK=1. For several hosts set DATABASE_URL=postgresql://...")
    if str(config.get("SESSION_COOKIE_NAME")).startswith("__Host-") and (
            config.get("SESSION_COOKIE_DOMAIN") or _cookie_path(config) != "/"):
        found.append("SESSION_COOKIE_DOMAIN must be unset and SESSION_COOKIE_PATH '/': "
                     "browsers refuse a __Host- cookie with either")
    if int(config.get("TRUSTED_PROXIES") or 0) < 0:
        found.append("TRUSTED_PROXIES must be 0 or more: the number of proxies in front")
    return found


def _cookie_path(config) -> str:
    """The session cookie's Path as Flask sets it (APPLICATION_ROOT unless named)."""
    return config.get("SESSION_COOKIE_PATH") or config.get("APPLICATION_ROOT") or "/"


def _smtp_problems(config) -> list[str]:
    try:
        read_settings({name: config.get(name) for name in SMTP_NAMES})
    except SmtpSettingsError as error:
        return [str(error)]
    return []


def _settings_file(app: Flask) -> dict:
    found = Config(app.instance_path)
    found.from_pyfile("settings.py", silent=True)
    return dict(found)


def _environment(default: dict) -> dict:
    """Settings from the environment (SMTP's by the same names), typed as their defaults."""
    found = {}
    for env_name in (*FROM_ENVIRONMENT, *SMTP_NAMES, *RENAMED):
        if (value := os.environ.get(env_name)) not in (None, ""):
            name = RENAMED.get(env_name, env_name)
            found[name] = _typed(env_name, value, default.get(name))
    return found


def _typed(env_name: str, value: str, default):
    if isinstance(default, bool):
        return value.strip() == "1"
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise UnsafeSettings([f"{env_name} must be a whole number (not {value!r})"]) from None
    return value


def _instance_secret(instance: Path) -> str:
    """Local development's secret, generated once into instance/ (never committed)."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
