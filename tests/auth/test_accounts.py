"""Accounts: invited with a one-time link, a generic message for a failed sign-in, and a lockout
held in the database that backs off."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import select

from homes_app import clock
from homes_app.auth import services
from homes_app.auth.models import User
from homes_app.extensions import db
from tests.conftest import sign_in as full_sign_in
from tests.helpers import submit

FAILED = "Enter a correct email address and password"


def sign_in(client, email, password):
    return submit(client, "/sign-in", {"email": email, "password": password})


def test_create_user_prints_a_one_time_link_that_sets_a_password(app, client, make):
    home = make.home(name="Birch House")
    result = app.test_cli_runner().invoke(args=[
        "create-user", "New.Manager@Council.example", "--role", "registered_manager",
        "--home", "Birch House", "--name", "Nia Patel"])
    assert result.exit_code == 0, result.output
    link = re.search(r"(/set-password/\S+)", result.output).group(1)
    user = db.session.scalars(select(User).where(User.email == "new.manager@council.example")).one()
    assert user.password_hash is None and [h.id for h in user.homes] == [home.id]

    short = submit(client, link, {"password": "too short", "confirm": "too short"})
    assert "Password must be 12 to 128 characters" in short.get_data(as_text=True)
    done = submit(client, link, {"password": "a long enough passphrase", "confirm":
                                 "a long enough passphrase"})
    assert done.status_code == 302
    assert client.get(link).status_code == 410  # used once, never again
    assert sign_in(client, "new.manager@council.example", "a long enough passphrase"
                   ).status_code == 302


def test_create_user_refuses_unknown_homes_and_duplicates(app, make):
    make.user("administrator", email="admin@council.example")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "x@council.example", "--role",
                                 "registered_manager", "--home", "Nowhere"])
    assert result.exit_code != 0 and "No home called Nowhere" in result.output
    result = runner.invoke(args=["create-user", "ADMIN@council.example", "--role", "administrator"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_an_expired_link_is_refused(app, client, make):
    user = make.user("home_staff", homes=[make.home()])
    from homes_app.auth.password_links import issue_set_password_token

    token = issue_set_password_token(user, clock.utcnow(), hours=1)
    db.session.commit()
    clock.freeze(clock.now() + timedelta(hours=1, seconds=1))
    assert client.get(f"/set-password/{token}").status_code == 410


def test_a_failed_sign_in_does_not_say_whether_the_account_exists(client, make):
    make.user("administrator", email="admin@council.example")
    wrong_password = sign_in(client, "admin@council.example", "not the password at all")
    no_account = sign_in(client, "nobody@council.example", "not the password at all")
    for response in (wrong_password, no_account):
        assert response.status_code == 200 and FAILED in response.get_data(as_text=True)


def test_every_failed_sign_in_verifies_one_password_hash_whatever_the_account(client, make,
                                                                           monkeypatch):
    """A failed sign-in's work, and so its time, is one hash verification made with the same
    parameters for a real account as for an unknown, inactive or not yet set-up one, locked
    or not: how long the answer takes cannot tell which addresses have accounts."""
    home = make.home()
    real = make.user("home_staff", homes=[home], email="real@council.example")
    make.user("home_staff", homes=[home], email="gone@council.example", active=False)
    make.user("home_staff", homes=[home], email="invited@council.example", password_hash=None)
    verified, verify = [], PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda self, hash_, password: verified.append(hash_) or
                        verify(self, hash_, password))
    for n, email in enumerate((real.email, "nobody@council.example", "gone@council.example",
                               "invited@council.example")):
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"  # no address slow-down
        for attempt in range(7):  # locked from the sixth on
            before = len(verified)
            answer = sign_in(client, email, "not the password at all").get_data(as_text=True)
            assert len(verified) == before + 1, (email, attempt)
            assert (FAILED if attempt < 5 else "Too many failed attempts") in answer
    parameters = {hash_.rsplit("$", 2)[0] for hash_ in verified}
    assert parameters == {real.password_hash.rsplit("$", 2)[0]}
    assert parameters.pop().endswith(
        f"m={services.hasher.memory_cost},t={services.hasher.time_cost},p=1")


def test_five_failures_lock_the_account_then_it_backs_off(client, make):
    user = make.user("administrator", email="admin@council.example")
    for _ in range(5):
        sign_in(client, user.email, "wrong password here")
    locked = sign_in(client, user.email, make.PASSWORD)  # even the right password
    assert "Too many failed attempts. Try again after 10:15 on 22 November 2026" in \
        locked.get_data(as_text=True)
    clock.freeze(datetime(2026, 11, 22, 10, 15, 1))
    sign_in(client, user.email, "wrong again")  # sixth failure: the wait doubles
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until.astimezone(clock.LONDON).strftime(
        "%H:%M:%S") == "10:45:01"
    clock.freeze(datetime(2026, 11, 22, 10, 46))
    full_sign_in(client, user)  # the password, then the second factor
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_logins == 0


def test_a_deactivated_account_cannot_sign_in(client, make):
    user = make.user("service_director", active=False)
    assert FAILED in sign_in(client, user.email, make.PASSWORD).get_data(as_text=True)


def test_sign_in_only_redirects_within_the_site(client, make):
    user = make.user("service_director")
    page = client.get("/sign-in?next=https://evil.example/")
    from tests.helpers import hidden_fields

    response = client.post("/sign-in?next=https://evil.example/", data={
        **hidden_fields(page.get_data(as_text=True)), "email": user.email,
        "password": make.PASSWORD})
    step = response.headers["Location"]
    assert step.startswith("/sign-in/two-factor")  # the address is only passed along
    from tests.conftest import next_code

    response = submit(client, step, {"code": next_code(user)})
    assert response.headers["Location"] == "/"


def test_a_form_without_its_csrf_token_is_refused(client, make):
    user = make.user("service_director")
    response = client.post("/sign-in", data={"email": user.email, "password": make.PASSWORD})
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert client.get("/overview").status_code == 302  # not signed in


def test_a_commonly_breached_password_is_refused_whatever_its_case(app, client, make):
    from homes_app.auth.password_links import issue_set_password_token
    from homes_app.auth.passwords import common_passwords

    assert len(common_passwords()) >= 10_000
    assert "christopher1" in common_passwords()
    user = make.user("home_staff", homes=[make.home()])
    token = issue_set_password_token(user, clock.utcnow(), hours=1)
    db.session.commit()
    hash_before = user.password_hash
    refused = submit(client, f"/set-password/{token}",
                     {"password": "Christopher1", "confirm": "Christopher1"})
    assert "on a list of the most common breached passwords" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == hash_before  # unchanged
    accepted = submit(client, f"/set-password/{token}",
                      {"password": "kettle orbit lantern", "confirm": "kettle orbit lantern"})
    assert accepted.status_code == 302
