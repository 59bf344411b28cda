"""Alert email through a real local SMTP server (aiosmtpd): each person's digest at their time,
urgent email for high-severity alerts, and nothing lost while the mail server is down."""
from __future__ import annotations

import socket
from datetime import datetime, time, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from homes_app import clock, create_app
from homes_app.alerts import email
from homes_app.alerts.jobs import digest_job, outbox_job, sweep_job
from homes_app.alerts.models import NotificationPreference, OutboxEmail
from homes_app.config import UnsafeSettings
from homes_app.extensions import db
from tests.staffing.support import shift, shift_type

from .support import make_alert

MONDAY = datetime(2026, 11, 23, 7, 30, tzinfo=clock.LONDON)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def smtp_on(app, port):
    """The app configured for a local mail server on `port` (plain SMTP, loopback only)."""
    app.extensions["smtp"] = email.read_settings({
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_SECURITY": "none",
        "SMTP_FROM": "alerts@council.example", "SMTP_TIMEOUT": "5"})
    return port


@pytest.fixture
def inbox(smtp_on):
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_on)
    controller.start()
    yield box
    controller.stop()


def test_the_digest_arrives_at_the_persons_time_with_their_alerts(make, inbox):
    home, other = make.home(name="Ash House"), make.home(name="Elm House")
    manager = make.user("registered_manager", homes=[home], email="rm@council.example")
    mine = make_alert(home.id, message="Ash House has no bed available tonight")
    make_alert(other.id, message="Elm House has no bed available tonight")
    db.session.commit()
    clock.freeze(MONDAY - timedelta(minutes=1))
    digest_job()
    assert db.session.scalars(select(OutboxEmail)).all() == []
    clock.freeze(MONDAY)
    assert digest_job() == "1 digests queued"
    assert outbox_job() == "1 sent, 0 kept for retry"
    [(to, message)] = inbox.messages
    assert to == ["rm@council.example"]
    assert message["Subject"] == "1 open alert for 23 Nov 2026"
    assert message["From"] == "alerts@council.example"
    body = message.get_payload(decode=True).decode()
    assert mine.message in body and "Elm House" not in body
    assert f"http://127.0.0.1:5000/homes/{home.id}" in body
    clock.freeze(MONDAY + timedelta(hours=3))
    assert digest_job() == "0 digests queued"  # once a day
    assert db.session.get(NotificationPreference, manager.id).last_digest_on == MONDAY.date()


def test_no_digest_on_a_day_the_person_did_not_choose(make, inbox):
    home = make.home()
    make.user("registered_manager", homes=[home])
    make_alert(home.id)
    db.session.commit()
    clock.freeze(MONDAY - timedelta(days=2))  # Saturday 07:30
    assert digest_job() == "0 digests queued"


def test_a_chosen_time_and_day_are_kept(make, inbox):
    home = make.home()
    user = make.user("registered_manager", homes=[home])
    db.session.add(NotificationPreference(user_id=user.id, digest_enabled=True,
                                          digest_at=time(18, 0), digest_days=1 << 5,
                                          immediate_high=True))
    make_alert(home.id)
    db.session.commit()
    clock.freeze(MONDAY - timedelta(days=2) + timedelta(hours=10, minutes=30))  # Sat 18:00
    assert digest_job() == "1 digests queued"


def test_a_high_alert_is_emailed_at_once_to_the_manager_who_must_act(make, inbox):
    home = make.home(name="Ash House")
    make.user("registered_manager", homes=[home], email="rm@council.example")
    make.user("registered_manager", homes=[make.home()], email="other@council.example")
    make.user("service_director", email="director@council.example")
    shift(home, shift_type(home, name="Sleep-in", starts=time(21), ends=time(9)),
          clock.today())
    assert "urgent emails queued" in sweep_job()
    outbox_job()
    urgent = [(to, m) for to, m in inbox.messages if m["Subject"].startswith("Urgent")]
    assert [to for to, _ in urgent] == [["rm@council.example"]]
    assert "Sleep-in shift starting Sun 22 Nov 2026 21:00 has nobody on it" in \
        urgent[0][1].get_payload(decode=True).decode()
    sweep_job()
    outbox_job()
    assert len([m for _, m in inbox.messages if m["Subject"].startswith("Urgent")]) == 1


def test_email_down_keeps_the_message_and_the_next_run_delivers_it(make, smtp_on):
    home = make.home()
    make.user("registered_manager", homes=[home], email="rm@council.example")
    make_alert(home.id, message="Kept while the mail server was down")
    db.session.commit()
    clock.freeze(MONDAY)
    digest_job()
    assert "unreachable; 1 kept for retry" in outbox_job()
    [kept] = db.session.scalars(select(OutboxEmail)).all()
    assert (kept.sent_at, kept.attempts) == (None, 1)
    assert "ConnectionRefusedError" in kept.last_error
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_on)
    controller.start()
    try:
        assert outbox_job() == "nothing to send"  # not before its retry time
        clock.freeze(MONDAY + timedelta(minutes=2))
        assert outbox_job() == "1 sent, 0 kept for retry"
    finally:
        controller.stop()
    [(to, message)] = box.messages
    assert "Kept while the mail server was down" in message.get_payload(decode=True).decode()
    db.session.expire_all()
    assert db.session.get(OutboxEmail, kept.id).sent_at is not None


@pytest.mark.parametrize(("settings", "message"), [
    ({"SMTP_PORT": "smtp"}, "SMTP_PORT must be a whole number"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT must be between 1 and 65535"),
    ({"SMTP_SECURITY": "tls1"}, "SMTP_SECURITY must be one of starttls, ssl, none"),
    ({"SMTP_FROM": ""}, "SMTP_FROM is required"),
    ({"SMTP_FROM": "not an address"}, "SMTP_FROM is not an email address"),
    ({"SMTP_USERNAME": "alerts"}, "Set both SMTP_USERNAME and SMTP_PASSWORD"),
    ({"SMTP_SECURITY": "none", "SMTP_USERNAME": "a", "SMTP_PASSWORD": "b"},
     "would send the SMTP password in clear"),
])
def test_bad_smtp_settings_stop_the_app_starting_with_a_clear_message(database_url, settings,
                                                                      message):
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "x",
              "SMTP_HOST": "mail.council.example", "SMTP_FROM": "alerts@council.example",
              **settings}
    with pytest.raises(UnsafeSettings, match=message):
        create_app(config)


def test_no_smtp_host_means_email_off_and_nothing_queued(make, app):
    app.extensions["smtp"] = None
    home = make.home()
    make.user("registered_manager", homes=[home])
    make_alert(home.id)
    db.session.commit()
    clock.freeze(MONDAY)
    assert digest_job() == "0 digests queued"
    assert outbox_job() == "email is off (no SMTP_HOST)"
