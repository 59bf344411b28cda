"""Server-side sessions: a new session id at every sign-in, a copied cookie useless after
sign-out, idle (30 minutes, a setting) and absolute (12 hours) timeouts on the injected clock,
"sign out everywhere", an administrator ending someone's sessions; a session not tied to the
client's address or browser string (a phone changes network all day)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.auth import services
from homes_app.auth.models import UserSession
from homes_app.extensions import db
from tests.auth.support import signed_in, text
from tests.auth.test_accounts_admin import press
from tests.conftest import FreshRequestClient, sign_in
from tests.helpers import submit


def cookie(client) -> str:
    return client.get_cookie("session").value


def browser_with(app, value: str):
    """Another browser, holding a copy of a session cookie."""
    app.test_client_class = FreshRequestClient
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def later(**delta) -> None:
    clock.freeze(clock.now() + timedelta(**delta))


def rows(user) -> list[UserSession]:
    db.session.expire_all()
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


def test_signing_in_starts_a_new_session_and_ends_the_old_one(app, client, make):
    person = make.user("home_staff", homes=[make.home()])
    client.get("/sign-in")
    before = cookie(client)  # what a fixation attacker could have planted
    sign_in(client, person)
    first = cookie(client)
    assert first != before and not signed_in(browser_with(app, before))
    sign_in(client, person)  # signing in again, in the same browser
    assert cookie(client) != first
    assert not signed_in(browser_with(app, first))
    assert [(r.end_reason, r.ended_at is None) for r in rows(person)] == [
        ("replaced", False), (None, True)]
    assert all(len(r.token_hash) == 64 for r in rows(person))  # only a hash is stored


def test_the_cookie_holds_an_id_not_who_is_signed_in(client, make):
    person = make.user("home_staff", homes=[make.home()])
    sign_in(client, person)
    with client.session_transaction() as session:
        assert set(session) <= {"sid", "_user_id", "_fresh", "_id", "csrf_token", "_flashes"}
        assert session["sid"] not in {r.token_hash for r in rows(person)}


def test_a_cookie_copied_before_sign_out_is_useless_after(app, client, make, login):
    login(make.user("service_director"))
    copied = cookie(client)
    assert signed_in(browser_with(app, copied))
    submit(client, "/sign-out", {}, form_url="/account")
    assert not signed_in(client)
    replay = browser_with(app, copied)
    assert replay.get("/overview").status_code == 302
    assert not signed_in(replay)
    assert rows(db.session.scalars(select(UserSession)).first().user)[0].end_reason == \
        "signed_out"


def test_a_session_idle_for_30_minutes_ends(client, make, login):
    person = login(make.user("home_staff", homes=[make.home()]))
    later(minutes=29)
    assert signed_in(client)  # active: last seen now
    later(minutes=29)
    assert signed_in(client)  # 58 minutes in, but never 30 idle
    later(minutes=30, seconds=1)
    assert not signed_in(client)
    assert rows(person)[0].end_reason == "idle"
    later(minutes=-59)
    assert not signed_in(client)  # ended stays ended


def test_the_idle_timeout_is_a_setting(app, client, make, login):
    app.config["SESSION_IDLE_MINUTES"] = 5
    login(make.user("home_staff", homes=[make.home()]))
    later(minutes=5, seconds=1)
    assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(client, make, login):
    person = login(make.user("home_staff", homes=[make.home()]))
    start = clock.utcnow()
    later(seconds=59)
    signed_in(client)
    assert rows(person)[0].last_seen_at == start
    later(seconds=2)
    signed_in(client)
    assert rows(person)[0].last_seen_at == clock.utcnow()


def test_a_session_ends_12_hours_after_sign_in_however_active(client, make, login):
    person = login(make.user("home_staff", homes=[make.home()]))
    for _ in range(12 * 3):
        later(minutes=20)
        assert signed_in(client)
    later(seconds=1)
    assert not signed_in(client)
    assert rows(person)[0].end_reason == "expired"


def test_sign_out_everywhere_else_then_everywhere(app, make):
    person = make.user("registered_manager", homes=[make.home()])
    app.test_client_class = FreshRequestClient
    browsers = [app.test_client() for _ in range(3)]
    for browser in browsers:
        sign_in(browser, person)
    here, *elsewhere = browsers
    page = text(here.get("/account"))
    assert page.count("govuk-table__row") == 4 and "This session" in page  # header + 3
    done = submit(here, "/account/sessions/end", {"which": "others"}, form_url="/account")
    assert "Signed out of 2 other sessions" in text(here.get(done.headers["Location"]))
    assert signed_in(here) and not any(signed_in(b) for b in elsewhere)
    submit(here, "/account/sessions/end", {"which": "all"}, form_url="/account")
    assert not signed_in(here)
    assert {r.end_reason for r in rows(person)} == {"signed_out_everywhere"}


def test_nothing_ends_without_choosing_which_sessions(client, make, login):
    login(make.user("home_staff", homes=[make.home()]))
    refused = submit(client, "/account/sessions/end", {}, form_url="/account")
    assert refused.status_code == 400 and "Choose which sessions" in text(refused)
    assert signed_in(client)


def test_an_administrator_ends_someones_sessions(app, client, make, login):
    person = make.user("home_staff", homes=[make.home()])
    app.test_client_class = FreshRequestClient
    theirs = app.test_client()
    sign_in(theirs, person)
    admin = login(make.user("administrator"))
    assert "Signed in: 1 session" in text(client.get("/accounts"))
    assert press(client, "end-sessions", person).status_code == 302
    assert not signed_in(theirs)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.sessions_ended")).one()
    assert (event.actor_id, event.subject_id, event.after) == (admin.id, person.id,
                                                               {"sessions": 1})


def test_a_busy_database_never_fails_a_page_over_session_bookkeeping(client, make, login,
                                                                    monkeypatch, caplog):
    """Writing last_seen_at may meet a locked database: the page is served all the same."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    person = login(make.user("home_staff", homes=[make.home()]))
    seen = rows(person)[0].last_seen_at
    later(minutes=2)

    def busy():
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(db.session, "commit", busy)
    page = client.get("/account")
    monkeypatch.undo()
    assert page.status_code == 200 and "Your account" in text(page)
    assert "session bookkeeping skipped: database busy" in caplog.text
    assert rows(person)[0].last_seen_at == seen  # skipped, and nothing else was written
    assert signed_in(client)  # the next request writes it
    assert rows(person)[0].last_seen_at == clock.utcnow()


def moves(client, n: int) -> None:
    """The phone joins another network (TRUSTED_PROXIES is 0 in tests, so the address is
    REMOTE_ADDR) and its browser reports itself differently."""
    client.environ_base.update(REMOTE_ADDR=f"198.51.100.{n}",
                               HTTP_USER_AGENT=f"Mozilla/5.0 (Linux; Android 14) Phone/{n}")


def test_a_session_carries_on_when_the_phone_changes_address_and_browser_string(client, make,
                                                                              login):
    person = login(make.user("relief_staff"))
    for n in range(1, 4):  # Wi-Fi, mobile data, another Wi-Fi
        moves(client, n)
        later(minutes=10)
        assert signed_in(client)
    assert [(r.ended_at, r.end_reason) for r in rows(person)] == [(None, None)]


def _sign_out(client, make, person):
    submit(client, "/sign-out", {}, form_url="/account")


def _idle(client, make, person):
    later(minutes=30, seconds=1)


def _twelve_hours(client, make, person):
    for _ in range(12 * 3):  # active all day, from one network then another
        later(minutes=20)
        moves(client, 8)
        signed_in(client)
    later(seconds=1)


def _ended_by_an_administrator(client, make, person):
    services.end_sessions(person, actor=make.user("administrator"))
    db.session.commit()


@pytest.mark.parametrize("ending, reason", [
    (_sign_out, "signed_out"), (_idle, "idle"), (_twelve_hours, "expired"),
    (_ended_by_an_administrator, "ended_by_administrator")])
def test_a_session_that_moved_still_ends_as_any_other(client, make, login, ending, reason):
    person = login(make.user("relief_staff"))
    moves(client, 7)
    assert signed_in(client)
    ending(client, make, person)
    assert not signed_in(client)
    assert rows(person)[0].end_reason == reason
