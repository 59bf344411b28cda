"""Outside local development the app refuses settings that would be unsafe there, naming each
one; behind proxies it trusts exactly as many forwarded hops as TRUSTED_PROXIES says."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import request

from homes_app import ROOT, create_app
from homes_app.auth.models import SignInFailures
from homes_app.config import UnsafeSettings
from homes_app.extensions import db

SECRET = "k" * 32
SAFE = {"SECRET_KEY": SECRET, "BASE_URL": "https://homes.council.example",
        "DEVELOPMENT": False}


@pytest.fixture
def production(monkeypatch):
    """No HOMES_DEVELOPMENT, no settings from this machine's environment."""
    for name in ("HOMES_DEVELOPMENT", "DATABASE_URL", "SECRET_KEY", "BASE_URL",
                 "HOMES_SQLITE_OK", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)


def refusal(config: dict) -> list[str]:
    with pytest.raises(UnsafeSettings) as refused:
        create_app(config)
    return refused.value.problems


def test_production_with_nothing_set_names_every_missing_setting(production):
    problems = refusal({"DEVELOPMENT": False})
    assert [p.split(" ", 1)[0] for p in problems] == ["SECRET_KEY", "BASE_URL", "DATABASE_URL"]
    assert "SQLite is fine on one host" in problems[2] and "HOMES_SQLITE_OK=1" in problems[2]


def test_a_secret_key_shorter_than_32_bytes_is_refused(production, database_url):
    problems = refusal({**SAFE, "SQLALCHEMY_DATABASE_URI": database_url,
                        "SECRET_KEY": "k" * 31})
    assert problems == [problems[0]] and problems[0].startswith("SECRET_KEY must be set, at "
                                                                "least 32 bytes")
    create_app({**SAFE, "SQLALCHEMY_DATABASE_URI": database_url})  # 32 bytes: starts


@pytest.mark.parametrize("base_url", ["http://homes.council.example", "homes.council.example",
                                      "https://"])
def test_base_url_must_be_an_https_address(production, database_url, base_url):
    problems = refusal({**SAFE, "SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": base_url})
    assert len(problems) == 1 and problems[0].startswith("BASE_URL must be the https address")


@pytest.mark.parametrize("setting", [{"SESSION_COOKIE_DOMAIN": "council.example"},
                                     {"SESSION_COOKIE_PATH": "/homes"}])
def test_a_host_only_session_cookie_refuses_a_domain_or_a_path(production, database_url,
                                                             setting):
    """Browsers drop a __Host- cookie with a Domain or a Path other than /: nobody could sign
    in, so the app says why instead of starting."""
    problems = refusal({**SAFE, "SQLALCHEMY_DATABASE_URI": database_url, **setting})
    assert len(problems) == 1 and problems[0].startswith(
        "SESSION_COOKIE_DOMAIN must be unset and SESSION_COOKIE_PATH '/'")


def test_sqlite_without_database_url_needs_the_operator_to_say_so(production, monkeypatch):
    assert refusal(SAFE)[0].startswith("DATABASE_URL is not set")
    monkeypatch.setenv("HOMES_SQLITE_OK", "1")
    app = create_app(SAFE)
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/homes.sqlite3")


def test_database_url_from_the_environment_counts_as_set(production, monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert create_app(SAFE).config["SQLALCHEMY_DATABASE_URI"] == database_url


def test_bad_smtp_settings_are_listed_with_the_others(production):
    problems = refusal({"DEVELOPMENT": False, "SMTP_HOST": "mail.council.example"})
    assert problems[0].startswith("SMTP_FROM is required") and len(problems) == 4


def test_a_number_setting_that_is_not_a_number_is_named(production, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "one")
    assert refusal(SAFE) == ["TRUSTED_PROXIES must be a whole number (not 'one')"]


def test_local_development_starts_on_the_defaults_with_a_secret_kept_in_instance(monkeypatch):
    monkeypatch.setenv("HOMES_DEVELOPMENT", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == (ROOT / "instance" / "secret_key").read_text().strip()
    assert not app.config["SESSION_COOKIE_SECURE"]


def test_wsgi_stops_with_the_problems_and_no_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOMES_DEVELOPMENT", "SECRET_KEY", "BASE_URL", "DATABASE_URL")}
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("homes_app will not start with these settings:\n- SECRET_KEY")
    assert "Traceback" not in done.stderr


def _where_from(app):
    @app.route("/_where")
    def where():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host}


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "homes.council.example"}


@pytest.mark.parametrize(("proxies", "seen"), [
    (0, {"address": "10.0.0.2", "scheme": "http", "host": "localhost"}),
    (1, {"address": "203.0.113.9", "scheme": "https", "host": "homes.council.example"}),
])
def test_forwarded_headers_count_only_from_trusted_proxies(database_url, proxies, seen):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
                      "TRUSTED_PROXIES": proxies})
    _where_from(app)
    answer = app.test_client().get("/_where", headers=FORWARDED,
                                   environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert answer.json == seen


def test_with_two_proxies_a_client_cannot_forge_its_address(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
                      "TRUSTED_PROXIES": 2})
    _where_from(app)
    # The client wrote 198.51.100.1 itself; the outer proxy appended the address it saw.
    answer = app.test_client().get("/_where", headers={
        "X-Forwarded-For": "198.51.100.1, 203.0.113.9, 10.0.0.1"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert answer.json["address"] == "203.0.113.9"


def test_sign_in_failures_are_counted_against_the_forwarded_address(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
                      "TRUSTED_PROXIES": 1, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        app.test_client().post("/sign-in", data={"email": "nobody@council.example",
                                                 "password": "wrong password here"},
                               headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        keys = {row.key for row in db.session.query(SignInFailures)}
        db.session.remove()
        db.engine.dispose()
    assert "address:203.0.113.9" in keys and "address:10.0.0.2" not in keys


def test_check_config_lists_the_refusals_without_starting_and_fails(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOMES_DEVELOPMENT", "SECRET_KEY", "BASE_URL", "DATABASE_URL")}
    env["HOMES_INSTANCE_PATH"] = str(tmp_path / "instance")  # no database there yet
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    refused = subprocess.run([flask, "check-config"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "mode: production" in refused.stdout
    assert [line.split(" ", 2)[1] for line in refused.stderr.splitlines()] == \
        ["SECRET_KEY", "BASE_URL", "DATABASE_URL", "database:"]
    env.update(SECRET_KEY=SECRET, BASE_URL="https://homes.council.example",
               DATABASE_URL=database_url)
    fine = subprocess.run([flask, "check-config"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (fine.returncode, fine.stderr) == (0, "") and "settings: ok" in fine.stdout
    assert "migrations: at head" in fine.stdout
    # Before the scheduler first runs its heartbeat is shown, not counted as a problem.
    assert "scheduler: no heartbeat yet" in fine.stdout
