"""Logs are JSON lines with a request id, and never carry a child's name, case reference or
date of birth: not for a normal journey, a refused form, nor a database error; nor the token of
a set-password link or calendar feed, nor a query's values, nor a path no route knows."""
from __future__ import annotations

import io
import json
import logging
import threading
import time
from datetime import UTC, date, datetime
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from flask import request
from sqlalchemy import text
from werkzeug.serving import make_server

from homes_app import clock
from homes_app.auth.password_links import issue_set_password_token
from homes_app.extensions import db
from homes_app.logs import LOGGER, json_handler
from homes_app.staffing.relief import calendar
from tests.helpers import submit
from tests.staffing.support import staff

NAME, CASE_REF, DOB = "Zephyrine", "LCS-ZX-998877", date(2012, 4, 3)
SECRETS = [NAME, CASE_REF, DOB.isoformat(), "03/04/2012", "3 April 2012", "2012-04-03"]


@pytest.fixture
def log_lines():
    """Everything the app logs (its own logger, SQLAlchemy's and Werkzeug's), as text."""
    stream = io.StringIO()
    handler = json_handler(stream)
    loggers = [logging.getLogger(n) for n in (LOGGER, "sqlalchemy", "werkzeug")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield stream
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_each_request_is_one_json_line_with_its_request_id(client, log_lines):
    response = client.get("/sign-in", headers={"X-Request-Id": "abc12345-trace"})
    assert response.headers["X-Request-Id"] == "abc12345-trace"
    records = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    request = next(r for r in records if r["message"] == "request")
    assert (request["route"], request["endpoint"], request["status"], request["request_id"]) == \
        ("/sign-in", "auth.login", 200, "abc12345-trace")
    assert request["level"] == "INFO" and request["logger"] == "homes_app"
    assert client.get("/sign-in", headers={"X-Request-Id": "bad id <script>"}).headers[
        "X-Request-Id"] != "bad id <script>"


def test_a_request_is_logged_by_its_route_and_user_id_never_its_path_or_email(
        client, make, login, log_lines):
    home = make.home(beds=1)
    manager = make.user("registered_manager", homes=[home], email="pat.jones@council.example")
    login(manager)
    client.get(f"/homes/{home.id}?postcode=ZZ99+9ZZ")
    records = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    line = next(r for r in records if r["message"] == "request" and r["status"] == 200
                and r["endpoint"] == "homes.show")
    assert line["route"] == "/homes/<int:home_id>" and line["user_id"] == manager.id
    assert "path" not in line and isinstance(line["ms"], float)
    assert "ZZ99" not in log_lines.getvalue() and "pat.jones" not in log_lines.getvalue()


def test_log_times_are_iso_8601_utc_whatever_the_host_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        stream = io.StringIO()
        record = logging.LogRecord("homes_app", logging.INFO, __file__, 1, "hello", None, None)
        record.created = datetime(2026, 3, 29, 0, 59, 30, 250000, tzinfo=UTC).timestamp()
        json_handler(stream).handle(record)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert json.loads(stream.getvalue())["time"] == "2026-03-29T00:59:30.250Z"


def test_no_child_details_reach_the_logs(app, client, make, login, log_lines):
    @app.route("/explode")
    def explode():  # a database error carrying the child's details in its parameters
        db.session.execute(text("INSERT INTO children (case_reference, preferred_name, "
                                "date_of_birth, sex, legal_status, home_postcode, uasc, needs) "
                                "VALUES (:c, :n, :d, 'female', 'C2', '', false, '')"),
                           {"c": CASE_REF, "n": NAME, "d": DOB})
        return "unreachable"

    home = make.home(beds=1)
    login(make.user("registered_manager", homes=[home]))
    created = submit(client, f"/children/new?home_id={home.id}", {
        "case_reference": CASE_REF, "preferred_name": NAME,
        "date_of_birth": [str(DOB.day), str(DOB.month), str(DOB.year)], "sex": "female",
        "legal_status": "C2", "needs": ["ebd"]})
    assert created.status_code == 302
    child_id = int(created.headers["Location"].rsplit("=", 1)[1])
    assert NAME in client.get(f"/children/{child_id}").get_data(as_text=True)
    duplicate = submit(client, "/children/new", {
        "case_reference": CASE_REF, "preferred_name": NAME,
        "date_of_birth": [str(DOB.day), str(DOB.month), str(DOB.year)], "sex": "female",
        "legal_status": "C2"})
    assert "already has a record" in duplicate.get_data(as_text=True)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    error = client.get("/explode")
    assert error.status_code == 500
    assert NAME not in error.get_data(as_text=True)
    logged = log_lines.getvalue()
    assert "IntegrityError" in logged  # the error was logged ...
    for secret in SECRETS:
        assert secret not in logged  # ... without the details


# A set-password link, a calendar feed's link and a query's values are credentials: none may
# be written to a log, by the app, Flask, the development server or gunicorn (test_serving.py).
QUERY_SECRETS = {"token": "QueryTokenZ1", "code": "QueryCodeZ2", "key": "QueryKeyZ3",
                 "password": "QueryPasswordZ4", "nonce": "QueryNonceZ5"}


def links(app, make) -> dict[str, str]:
    """A real set-password link and a real calendar feed, with the secret of each."""
    home = make.home(beds=1)
    person = make.user("home_staff", homes=[home])
    set_password = issue_set_password_token(person, clock.utcnow(), hours=1)
    member = staff(home, user=person, name="Hal Home")
    feed = calendar.token(member, app.config["SECRET_KEY"])
    db.session.commit()
    return {set_password: f"/set-password/{set_password}",
            feed: f"/calendar/{member.id}/{feed}.ics"}


def test_link_tokens_and_query_values_never_reach_the_logs(app, client, make, log_lines,
                                                           monkeypatch):
    secrets = links(app, make)
    for path in secrets.values():
        assert client.get(path).status_code == 200
    assert client.get("/sign-in", query_string=QUERY_SECRETS).status_code == 200
    assert client.get("/no-such-page/UnknownPathZ6").status_code == 404
    # An error on the feed, whose message quotes the link it was asked for.
    monkeypatch.setattr(calendar, "feed", lambda *_: (_ for _ in ()).throw(
        RuntimeError(f"no feed for {request.url}?token={QUERY_SECRETS['token']}")))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    feed = next(p for p in secrets.values() if p.startswith("/calendar/"))
    assert client.get(feed).status_code == 500
    logged = log_lines.getvalue()
    assert "RuntimeError: no feed for http://localhost/calendar/<int:staff_id>/<token>.ics" \
        in logged  # the error is logged, with the route's pattern for its link
    for secret in [*secrets, *QUERY_SECRETS.values(), "UnknownPathZ6"]:
        assert secret not in logged, secret
    records = [json.loads(line) for line in logged.splitlines()]
    routes = [r["route"] for r in records if r["message"] == "request"]
    assert routes == ["/set-password/<token>", "/calendar/<int:staff_id>/<token>.ics",
                      "/sign-in", "unmatched", "/calendar/<int:staff_id>/<token>.ics"]
    assert any(r["message"] == "Exception on /calendar/<int:staff_id>/<token>.ics [GET]"
               for r in records)


def test_the_development_servers_request_lines_name_the_route(app, make, log_lines):
    """`make run` serves with Werkzeug, which logs each request line itself."""
    secrets = links(app, make)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in [*secrets.values(), "/sign-in?" + urlencode(QUERY_SECRETS),
                     "/no-such-page/UnknownPathZ6"]:
            try:
                urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=10).close()  # noqa: S310
            except HTTPError as refused:
                assert refused.code == 404
    finally:
        server.shutdown()
        thread.join()
    logged = log_lines.getvalue()
    for secret in [*secrets, *QUERY_SECRETS.values(), "UnknownPathZ6"]:
        assert secret not in logged, secret
    lines = [json.loads(line)["message"] for line in logged.splitlines()
             if json.loads(line)["logger"] == "werkzeug"]
    for route in ("/set-password/<token>", "/calendar/<int:staff_id>/<token>.ics",
                  "/sign-in", "unmatched"):
        assert any(f'"GET {route} HTTP/1.1"' in line for line in lines), (route, lines)
