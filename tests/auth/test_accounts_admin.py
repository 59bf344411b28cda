"""Administrators manage accounts: invite with a one-time link, unlock, deactivate (sessions
end at once) and reactivate; every change audited; nobody else may."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.auth.models import User, UserSession
from homes_app.extensions import db
from tests.conftest import sign_in
from tests.helpers import hidden_fields, submit


def press(client, button: str, user: User):
    """Press a row's button on the accounts page, as a browser would."""
    page = client.get("/accounts").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/accounts/{user.id}/{button}".*?</form>',
                     page, re.S).group(0)
    return client.post(f"/accounts/{user.id}/{button}", data=hidden_fields(form))


def actions(name: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)).all()


def test_an_administrator_invites_someone_who_then_sets_a_password(client, make, login):
    home = make.home(name="Alder House")
    login(make.user("administrator"))
    page = submit(client, "/accounts/new", {"email": "New.Person@Council.example",
                                            "display_name": "Ola Nowak",
                                            "role": "home_staff", "homes": [str(home.id)]})
    link = re.search(r'data-test="set-password-link">([^<]+)<', page.get_data(as_text=True))
    person = db.session.scalars(select(User).where(
        User.email == "new.person@council.example")).one()
    assert [h.name for h in person.homes] == ["Alder House"] and person.password_hash is None
    assert actions("user.create")[0].after["role"] == "home_staff"
    path = link.group(1).removeprefix(client.application.config["BASE_URL"])
    other = client.application.test_client()  # the invitee, in their own browser
    done = submit(other, path, {"password": "quiet meadow teapot", "confirm":
                                "quiet meadow teapot"})
    assert done.status_code == 302


def test_an_invite_for_a_manager_without_homes_is_refused(client, make, login):
    login(make.user("administrator"))
    page = submit(client, "/accounts/new", {"email": "rm@council.example",
                                            "display_name": "R M", "role": "registered_manager"})
    assert "need at least one home" in page.get_data(as_text=True)
    assert db.session.scalars(select(User).where(User.email == "rm@council.example")).first() \
        is None


def test_an_administrator_unlocks_a_locked_account(client, make, login):
    locked = make.user("service_director", failed_logins=7,
                       locked_until=clock.utcnow() + timedelta(hours=1))
    login(make.user("administrator"))
    assert press(client, "unlock", locked).status_code == 302
    db.session.expire_all()
    assert (locked.failed_logins, locked.locked_until) == (0, None)
    assert actions("user.unlock")[0].before["failed_logins"] == 7


def test_deactivating_ends_the_persons_sessions_at_once(app, client, make, login):
    person = make.user("service_director")
    their_browser = app.test_client()
    sign_in(their_browser, person)
    assert their_browser.get("/overview").status_code == 200
    login(make.user("administrator"))
    press(client, "deactivate", person)
    assert their_browser.get("/overview").status_code == 302  # signed out, back to sign-in
    assert [(s.ended_at, s.end_reason) for s in db.session.scalars(
        select(UserSession).where(UserSession.user_id == person.id))] == [
        (clock.utcnow(), "deactivated")]  # ended in the table too, not only refused
    press(client, "reactivate", person)
    db.session.expire_all()
    assert person.active and [e.action for e in actions("user.deactivate")] == \
        ["user.deactivate"]


def test_a_replayed_button_press_is_refused(client, make, login):
    person = make.user("service_director")
    login(make.user("administrator"))
    page = client.get("/accounts").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/accounts/{person.id}/deactivate".*?</form>',
                     page, re.S).group(0)
    client.post(f"/accounts/{person.id}/deactivate", data=hidden_fields(form))
    press(client, "reactivate", person)
    client.post(f"/accounts/{person.id}/deactivate", data=hidden_fields(form))  # replayed
    db.session.expire_all()
    assert person.active and len(actions("user.deactivate")) == 1


@pytest.mark.parametrize("role", ["service_director", "registered_manager", "home_staff",
                                  "relief_staff"])
def test_only_administrators_manage_accounts(client, make, login, role):
    home = make.home()
    target = make.user("service_director")
    login(make.user(role, homes=[home] if role in ("registered_manager", "home_staff") else []))
    assert client.get("/accounts").status_code == 403
    assert client.post(f"/accounts/{target.id}/deactivate",
                       data=hidden_fields(client.get("/sign-in").get_data(as_text=True))
                       ).status_code == 403
    db.session.expire_all()
    assert target.active
