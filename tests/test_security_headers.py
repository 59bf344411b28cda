"""Security headers on every response, error pages included, and cookie flags outside local
development."""
from __future__ import annotations

import re

import pytest

from homes_app import create_app


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


def test_outside_development_cookies_are_secure_and_hsts_is_sent(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "s" * 32,
                      "BASE_URL": "https://homes.council.example", "DEVELOPMENT": False})
    response = app.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_local_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
