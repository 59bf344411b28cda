"""Error reports (SENTRY_DSN set) leave with the error, the route's name and the user's id, and
without personal data: no request body, query string, cookies or headers, no path, no email,
no local variables, no breadcrumbs, no values a database quoted in its message, and no link's
token or query value even where the error's own message quotes them."""
from __future__ import annotations

import json

import pytest
import sentry_sdk
from flask import request
from flask_login import login_required
from sentry_sdk.transport import Transport
from sqlalchemy.exc import IntegrityError

from homes_app import create_app
from homes_app.extensions import db
from homes_app.staffing.relief import calendar
from tests.conftest import FreshRequestClient, _csrf, sign_in
from tests.factories import Factory
from tests.staffing.support import staff

EMAIL = "amira.khan@council.example"
CHILD = "Jordan Whitfield"


class KeepsWhatWouldBeSent(Transport):
    def __init__(self):
        super().__init__()
        self.sent: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.sent.append(json.loads(item.payload.get_bytes()))


@pytest.fixture
def reported(database_url):
    transport = KeepsWhatWouldBeSent()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x",
                      "DEVELOPMENT": True, "SENTRY_DSN": "https://key@sentry.invalid/1",
                      "SENTRY_TRANSPORT": transport})

    @app.post("/test-only/children/<int:child_id>/boom", endpoint="test_only.boom")
    @login_required
    def boom(child_id: int):
        secret_note = f"{CHILD} at {EMAIL}"  # noqa: F841 (a local a report must not carry)
        raise IntegrityError("INSERT INTO children (name) VALUES (?)",
                             {"name": CHILD}, Exception(f"Key (email)=({EMAIL}) already exists"))

    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app, transport
        db.session.remove()
        db.engine.dispose()
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # no reports from later tests


def test_an_error_report_carries_the_route_and_user_id_but_no_personal_data(reported):
    app, transport = reported
    user = Factory().user("service_director", email=EMAIL)
    client = app.test_client()
    sign_in(client, user)
    response = client.post("/test-only/children/417/boom?name=Jordan",
                           data={"notes": f"{CHILD} was upset", "csrf_token": _csrf(client)},
                           headers={"Referer": "https://homes.example/children/417"})
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = transport.sent
    assert event["transaction"] == "test_only.boom"
    assert event["request"] == {"method": "POST",
                                "url": "/test-only/children/<int:child_id>/boom"}
    assert event["user"] == {"id": str(user.id)}
    assert event["exception"]["values"][-1]["type"] == "IntegrityError"
    assert "Key (email)=(withheld)" in event["exception"]["values"][-1]["value"]
    sent = json.dumps(event)
    for personal in (EMAIL, CHILD, "Jordan", "417", "session=", "Referer", "upset"):
        assert personal not in sent, personal
    assert not any("vars" in frame for value in event["exception"]["values"]
                   for frame in value["stacktrace"]["frames"])
    assert "breadcrumbs" not in event or not event["breadcrumbs"].get("values")


def test_no_reports_are_made_without_a_dsn(database_url):
    create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "DEVELOPMENT": True})
    assert not sentry_sdk.get_client().is_active()


QUERY_TOKEN, QUERY_KEY = "QueryTokenS1", "QueryKeyS2"  # named, so no source line quotes them


def test_an_error_report_names_a_secret_links_route_not_its_token(reported, monkeypatch):
    app, transport = reported
    member = staff(name="Rae Relief")
    token = calendar.token(member, app.config["SECRET_KEY"])

    def failing_feed(*_):
        raise RuntimeError(f"no feed for {request.url}&token={QUERY_TOKEN}")

    monkeypatch.setattr(calendar, "feed", failing_feed)
    response = app.test_client().get(f"/calendar/{member.id}/{token}.ics?key={QUERY_KEY}")
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = transport.sent
    assert event["request"] == {"method": "GET", "url": "/calendar/<int:staff_id>/<token>.ics"}
    assert event["exception"]["values"][-1]["value"] == (
        "no feed for http://localhost/calendar/<int:staff_id>/<token>.ics?key=(withheld)"
        "&token=(withheld)")
    sent = json.dumps(event)
    for secret in (token, QUERY_TOKEN, QUERY_KEY):
        assert secret not in sent, secret
