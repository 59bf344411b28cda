"""Set-password links (issue 20, F3, F4, F9): only the newest link of an account works, every
link dies once the password is set or the account is deactivated, a link works once and
expires; issuing one is audited (who, for whom) and the account's owner is told by email,
without the link; the password it sets is audited naming the administrator who issued it; and
the link is built from BASE_URL, never from the Host header the request came with."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from homes_app import clock
from homes_app.alerts import email
from homes_app.alerts.models import OutboxEmail
from homes_app.auth.models import SetPasswordToken, User
from homes_app.extensions import db
from tests.auth.test_accounts_admin import actions
from tests.helpers import hidden_fields, submit

BASE_URL = "http://127.0.0.1:5000"  # the setting's default, as the tests run
NEW = "lantern orchard pebble"
DEAD = "This link has expired or has been used"


@pytest.fixture
def admin(make, login):
    return login(make.user("administrator", display_name="Priya Shah"))


@pytest.fixture
def person(make):
    return make.user("home_staff", homes=[make.home()], email="sam.jones@council.example",
                     display_name="Sam Jones")


def press(client, button: str, user: User, headers=None):
    """Press a row's button on the accounts page, as a browser would (sending `headers`)."""
    page = client.get("/accounts", headers=headers).get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/accounts/{user.id}/{button}".*?</form>',
                     page, re.S).group(0)
    return client.post(f"/accounts/{user.id}/{button}", data=hidden_fields(form),
                       headers=headers)


def shown_link(page) -> str:
    return re.search(r'data-test="set-password-link">([^<]+)<',
                     page.get_data(as_text=True)).group(1)


def new_link(client, person: User, headers=None) -> str:
    """The administrator presses "New set-password link"; the link their page shows."""
    return shown_link(press(client, "link", person, headers))


def use(app, link: str, password: str = NEW):
    """Someone opens the link in their own browser and sets a password with it."""
    return submit(app.test_client(), link.removeprefix(BASE_URL),
                  {"password": password, "confirm": password})


def password_hash(user: User) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def dead(app, link: str, user: User) -> bool:
    """The link shows the expired page, and posting a password with it (with this browser's
    CSRF token, from a page that has a form) changes nothing."""
    browser = app.test_client()
    page = browser.get(link.removeprefix(BASE_URL))
    before = password_hash(user)
    posted = browser.post(link.removeprefix(BASE_URL), data={
        **hidden_fields(browser.get("/sign-in").get_data(as_text=True)),
        "password": "another fresh passphrase", "confirm": "another fresh passphrase"})
    return page.status_code == posted.status_code == 410 and DEAD in page.get_data(
        as_text=True) and password_hash(user) == before


def test_an_older_link_stops_working_when_a_newer_one_is_issued(app, client, admin, person):
    older = new_link(client, person)
    newer = new_link(client, person)
    assert dead(app, older, person)
    before = password_hash(person)
    assert use(app, newer).status_code == 302
    assert password_hash(person) != before


def test_once_the_password_is_set_no_link_works_not_even_the_one_used(app, client, admin,
                                                                      person):
    older, link = new_link(client, person), new_link(client, person)
    assert use(app, link).status_code == 302
    assert dead(app, link, person) and dead(app, older, person)
    assert db.session.scalars(select(SetPasswordToken).where(
        SetPasswordToken.user_id == person.id, SetPasswordToken.used_at.is_(None),
        SetPasswordToken.expires_at > clock.utcnow())).all() == []


def test_only_the_tokens_hash_is_stored(client, admin, person):
    token = new_link(client, person).rsplit("/", 1)[1]
    [row] = db.session.scalars(select(SetPasswordToken)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


def test_deactivating_an_account_kills_its_links_for_good(app, client, admin, person):
    link = new_link(client, person)
    press(client, "deactivate", person)
    assert dead(app, link, person)
    press(client, "reactivate", person)
    assert dead(app, link, person)  # reactivating revives no link


def test_a_link_expires_after_the_set_hours(app, client, admin, person):
    link = new_link(client, person)
    clock.freeze(clock.now() + timedelta(hours=app.config["SET_PASSWORD_LINK_HOURS"]))
    assert dead(app, link, person)


def test_issuing_a_link_is_audited_with_who_issued_it_for_whom(client, admin, person):
    new_link(client, person)
    new_link(client, person)
    issued = actions("user.set_password_link")
    assert [(e.actor_id, e.subject_type, e.subject_id) for e in issued] == [
        (admin.id, "users", person.id)] * 2
    assert [e.after["earlier_links_revoked"] for e in issued] == [0, 1]


def test_the_password_set_with_an_administrators_link_names_that_administrator(
        app, client, admin, person):
    use(app, new_link(client, person))
    [event] = actions("user.set_password")
    assert (event.actor_id, event.subject_id, event.after) == (
        admin.id, person.id, {"link_issued_by": admin.id})


def test_the_owner_is_emailed_that_a_link_was_issued_without_the_link(app, client, admin,
                                                                      person):
    app.extensions["smtp"] = email.read_settings({
        "SMTP_HOST": "127.0.0.1", "SMTP_SECURITY": "none", "SMTP_FROM": "homes@council.example"})
    link = new_link(client, person)
    [notice] = db.session.scalars(select(OutboxEmail)).all()
    assert (notice.to_address, notice.user_id, notice.purpose) == (
        person.email, person.id, "account")
    assert notice.subject == "A set-password link was issued for your account"
    assert "Priya Shah, an administrator, issued a link to set the password of your account " \
        "(sam.jones@council.example) at 10:00 on 22 November 2026." in notice.body
    token = link.rsplit("/", 1)[1]
    assert token not in notice.body and "/set-password/" not in notice.body


def test_the_link_is_built_from_base_url_whatever_host_the_request_names(app, client, admin,
                                                                          person):
    hostile = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    name = app.config["SESSION_COOKIE_NAME"]  # the browser sends its cookie to that host too
    client.set_cookie(name, client.get_cookie(name).value, domain="evil.example")
    assert new_link(client, person, hostile).startswith(f"{BASE_URL}/set-password/")
    form = client.get("/accounts/new", headers=hostile).get_data(as_text=True)
    invited = client.post("/accounts/new", headers=hostile, data={
        **hidden_fields(form), "email": "new.starter@council.example",
        "display_name": "New Starter", "role": "service_director"})
    assert shown_link(invited).startswith(f"{BASE_URL}/set-password/")
