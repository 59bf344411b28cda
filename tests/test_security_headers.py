"""Security headers on every response, error pages included, and cookie flags outside local
development."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from homes_app import create_app
from tests.conftest import sign_in
from tests.helpers import submit


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split("; ")}


@pytest.mark.parametrize("path, status", [("/sign-in", 200), ("/no-such-page", 404)])
def test_every_page_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    policy = csp(response)
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and "unsafe-inline" not in str(policy)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_only_inline_script_carries_this_responses_nonce(client):
    first, second = client.get("/sign-in"), client.get("/sign-in")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    html = first.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [f' nonce="{nonce}"']
    assert nonce not in second.headers["Content-Security-Policy"]  # new for every response


def test_a_server_error_page_carries_the_headers_too(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def production(database_url, **settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "s" * 32,
                       "BASE_URL": "https://homes.council.example", "DEVELOPMENT": False,
                       **settings})


def set_cookies(response) -> dict[str, set[str]]:
    """Each cookie the response sets, by name, with its attributes."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = header.split("; ")
        found[name_value.split("=", 1)[0]] = set(attributes)
    return found


def test_outside_development_cookies_are_secure_and_hsts_is_sent(database_url):
    response = production(database_url).test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = set_cookies(response)["__Host-session"]
    assert {"Secure", "HttpOnly", "SameSite=Lax", "Path=/"} <= cookie
    assert not any(a.startswith("Domain=") for a in cookie)  # as __Host- requires


def test_the_session_cookie_keeps_its_plain_name_in_development_or_when_named(client,
                                                                           database_url):
    assert "session" in set_cookies(client.get("/sign-in"))
    named = production(database_url, SESSION_COOKIE_NAME="homes_session")
    assert set(set_cookies(named.test_client().get("/sign-in"))) == {"homes_session"}


class Recording(FlaskClient):
    """A browser that notes every Set-Cookie and Server header it is sent."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        self.seen.extend(set_cookies(response))
        self.servers.extend(response.headers.getlist("Server"))
        return response


def test_the_session_cookie_is_the_only_cookie_ever_set_and_no_server_is_named(database_url,
                                                                            make):
    """No remember-me cookie, or any other, from signing in with both factors, pages, a change
    of network and signing out."""
    app = production(database_url, TOTP_ENCRYPTION_KEY="test-secret")  # reads make's secrets
    app.test_client_class = Recording
    browser = app.test_client()
    browser.seen, browser.servers = [], []
    person = make.user("registered_manager", homes=[make.home()])
    sign_in(browser, person)
    browser.get("/account")
    browser.environ_base.update(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Another phone")
    assert browser.get("/account").status_code == 200
    submit(browser, "/sign-out", {}, form_url="/account")
    browser.get("/no-such-page")
    assert set(browser.seen) == {"__Host-session"} and browser.servers == []


def test_local_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
