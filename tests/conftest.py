"""Fixtures: the whole suite runs on SQLite (default) or PostgreSQL (--db=postgresql).

The schema is made once per run by the migrations; each test gets an empty database
(a copy of the migrated SQLite file, or a TRUNCATE on PostgreSQL).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from homes_app import clock, create_app
from homes_app.extensions import db

from .factories import Factory

# Tests run as local development does (plain http, no production refusals) unless a test says
# otherwise: tests/test_config.py checks what production refuses.
os.environ["HOMES_DEVELOPMENT"] = "1"


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("HOMES_TEST_DB", "sqlite"),
                     choices=["sqlite", "postgresql"], help="database to run the suite on")


def _migrate(url: str, tmp_root) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "SECRET_KEY": "migrate"})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


@pytest.fixture(scope="session")
def database(request, tmp_path_factory):
    """The migrated database for this run: ("sqlite", template file) or ("postgresql", url)."""
    kind = request.config.getoption("--db")
    root = tmp_path_factory.mktemp("db")
    if kind == "sqlite":
        template = root / "template.sqlite3"
        _migrate(f"sqlite:///{template}", root)
        conn = sqlite3.connect(template, isolation_level=None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the file we copy
        conn.close()
        yield kind, template
        return
    url = os.environ.get("TEST_DATABASE_URL")
    server = None
    if not url:
        from .pg import TemporaryPostgres

        server = TemporaryPostgres()
        url = server.start()
    try:
        _migrate(url, root)
        yield kind, url
    finally:
        if server:
            server.stop()


@pytest.fixture
def database_url(database, tmp_path):
    kind, where = database
    if kind == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(where, path)
        return f"sqlite:///{path}"
    empty_postgres(where)
    return where


def empty_postgres(url: str) -> None:
    """Every table emptied and its ids restarted (TRUNCATE skips the audit log's row triggers)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'alembic_version'")).scalar()
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    # Served over plain http here, as in local development; tests/test_security.py checks the
    # production headers and cookie flags.
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test-secret", "SERVER_NAME": None, "DEVELOPMENT": True})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def frozen_clock():
    """Tests run at a fixed moment unless they move the clock themselves."""
    clock.freeze(datetime(2026, 11, 22, 10, 0))
    yield clock
    clock.freeze(None)


@pytest.fixture
def make(app) -> Factory:
    return Factory()


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty `g`, as in production.

    The test's app context stays pushed and Flask reuses it for the client's requests, so what
    extensions cache in `g` (Flask-Login's user, Flask-WTF's CSRF token) would otherwise leak
    from one request into the next and hide a session that has ended."""

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshRequestClient
    return app.test_client()


@pytest.fixture
def login(client, make):
    """Sign a user in through the real form (and the two-factor step); returns the user."""

    def go(user):
        sign_in(client, user)
        return user

    return go


def sign_in(client, user, password: str | None = None):
    """Sign in through the real pages: the password, then a code if two-factor is on. Returns
    the last response (a redirect into the app)."""
    from .factories import Factory

    client.get("/sign-in")
    response = client.post("/sign-in", data={
        "email": user.email, "password": password or Factory.PASSWORD,
        "csrf_token": _csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    if "/sign-in/two-factor" in response.headers["Location"]:
        step = response.headers["Location"]
        response = client.post(step, data={"code": next_code(user), "csrf_token": _csrf(client, step)})
        assert response.status_code == 302, response.get_data(as_text=True)
    return response


def next_code(user) -> str:
    """A code the app would accept now: the earliest step of the three accepted (now and one
    either side) later than the last one this person used, since a used step is refused. A
    fourth sign-in within one frozen moment moves the clock on one step, deliberately."""
    import pyotp

    from homes_app.auth.models import User
    from homes_app.auth.two_factor import STEP_SECONDS, step_at

    from .factories import Factory

    last = db.session.scalar(select(User.totp_last_step).where(User.id == user.id))
    current = step_at(clock.utcnow())
    if last is not None and last >= current + 1:
        clock.freeze(clock.now() + timedelta(seconds=STEP_SECONDS * (last - current)))
        current = step_at(clock.utcnow())
    step = current - 1 if last is None or last < current - 1 else last + 1
    return pyotp.TOTP(Factory.TOTP_SECRET).at(step * STEP_SECONDS)


def _csrf(client, url: str = "/sign-in") -> str:
    import re

    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
