"""Failed sign-ins are counted per client address as well as per account, in the database; the
answers never tell whether an account exists, and say when to try again."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from homes_app import clock
from homes_app.auth.models import SignInFailures
from homes_app.extensions import db
from tests.auth.support import text
from tests.conftest import sign_in
from tests.helpers import submit

FAILED = "Enter a correct email address and password"
ADDRESS_LOCKED = ("Too many failed sign-ins from your network. Try again after 10:15 on "
                  "22 November 2026.")


WRONG = "not the password at all"


def attempt(client, email, password=WRONG, address="192.0.2.10"):
    client.environ_base["REMOTE_ADDR"] = address
    return submit(client, "/sign-in", {"email": email, "password": password})


def test_too_many_failures_from_one_address_lock_that_address_for_a_while(client, make):
    person = make.user("home_staff", homes=[make.home()])
    for n in range(20):  # many accounts guessed from one place
        assert FAILED in text(attempt(client, f"guess{n}@council.example"))
    refused = attempt(client, person.email, make.PASSWORD)  # even the right password
    assert refused.status_code == 200 and ADDRESS_LOCKED in text(refused)
    assert attempt(client, person.email, make.PASSWORD, address="198.51.100.7"
                   ).status_code == 302  # another address is not held up
    row = db.session.scalars(select(SignInFailures).where(
        SignInFailures.key == "address:192.0.2.10")).one()
    assert row.locked_until == datetime(2026, 11, 22, 10, 15, tzinfo=clock.LONDON)
    clock.freeze(datetime(2026, 11, 22, 10, 15, 1))
    assert attempt(client, person.email, make.PASSWORD).status_code == 302


def test_failures_older_than_the_window_are_not_counted(client, make):
    for n in range(19):
        attempt(client, f"guess{n}@council.example")
    clock.freeze(datetime(2026, 11, 22, 10, 15))
    for n in range(19):
        assert ADDRESS_LOCKED.split(".")[0] not in text(
            attempt(client, f"again{n}@council.example"))


def test_unknown_and_known_accounts_get_the_same_answers_and_lockout(client, make):
    known = make.user("administrator", email="admin@council.example")
    answers = {}
    for email, address in ((known.email, "192.0.2.1"), ("nobody@council.example",
                                                          "192.0.2.2")):
        answers[email] = [(r.status_code, text(r).count(FAILED),
                           "Too many failed attempts. Try again after 10:15 on 22 November "
                           "2026" in text(r))
                          for r in (attempt(client, email, address=address) for _ in range(7))]
    assert answers[known.email] == answers["nobody@council.example"]
    assert answers[known.email][-1] == (200, 0, True)  # locked, and told when to try again


def test_a_locked_out_address_does_not_stop_someone_already_signed_in(client, make):
    person = make.user("home_staff", homes=[make.home()])
    sign_in(client, person)
    for n in range(20):
        attempt(client, f"guess{n}@council.example", address="127.0.0.1")
    assert client.get("/account").status_code == 200
