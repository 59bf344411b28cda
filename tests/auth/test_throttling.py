"""Failed sign-ins are counted per client address as well as per account, in the database. An
address is slowed down, never locked out (everyone behind a council's proxy shares one); an
account is locked out. The answers never tell whether an account exists, and say when to try
again."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from homes_app import clock
from homes_app.auth.models import SignInFailures
from homes_app.auth.throttle import address_delay
from homes_app.extensions import db
from tests.auth.support import text
from tests.conftest import sign_in
from tests.helpers import submit

FAILED = "Enter a correct email address and password"
SLOWED = "Too many failed sign-ins from your network. Wait"
WRONG = "not the password at all"
PROXY = "192.0.2.10"  # the council's proxy: everyone's sign-ins come from it


def attempt(client, email, password=WRONG, address=PROXY):
    client.environ_base["REMOTE_ADDR"] = address
    return submit(client, "/sign-in", {"email": email, "password": password})


def later(**delta) -> None:
    clock.freeze(clock.now() + timedelta(**delta))


def guesses(client, n: int, address=PROXY) -> None:
    for i in range(n):
        assert FAILED in text(attempt(client, f"guess{i}@council.example", address=address))


def test_past_20_failures_each_attempt_waits_a_second_then_twice_as_long(client, make):
    guesses(client, 20)  # many accounts guessed through one proxy: each answered as usual
    for n, wait in enumerate((1, 2, 4, 8, 16, 30, 30)):  # at most ADDRESS_MAX_DELAY_SECONDS
        refused = attempt(client, f"again{n}@council.example")
        plural = "s" if wait != 1 else ""
        assert f"{SLOWED} {wait} second{plural}, then try again." in text(refused)
        later(seconds=wait - 0.5)
        assert f"{SLOWED} 1 second," in text(attempt(client, f"again{n}@council.example"))
        later(seconds=0.5)
        assert FAILED in text(attempt(client, f"again{n}@council.example"))  # checked


def test_the_right_password_signs_in_after_a_short_wait_not_a_lockout(client, make):
    """20 bad sign-ins from the proxy no longer lock out everyone behind it."""
    person = make.user("home_staff", homes=[make.home()])
    guesses(client, 20)
    assert SLOWED in text(attempt(client, person.email, make.PASSWORD))
    later(seconds=1)
    assert attempt(client, person.email, make.PASSWORD).status_code == 302


def test_attempts_refused_during_the_wait_do_not_make_it_longer(client, make):
    person = make.user("home_staff", homes=[make.home()])
    guesses(client, 20)
    for n in range(20):  # someone hammering the form meanwhile
        attempt(client, f"again{n}@council.example")
        later(seconds=0.04)
    later(seconds=1)
    assert attempt(client, person.email, make.PASSWORD).status_code == 302


def test_another_address_is_not_slowed(client, make):
    person = make.user("home_staff", homes=[make.home()])
    guesses(client, 20)
    assert attempt(client, person.email, make.PASSWORD, address="198.51.100.7"
                   ).status_code == 302


def test_the_wait_is_counted_in_the_database_and_never_a_lockout(client, make):
    guesses(client, 20)
    later(seconds=1)
    guesses(client, 1)  # the 21st
    row = db.session.scalars(select(SignInFailures).where(
        SignInFailures.key == f"address:{PROXY}")).one()
    assert row.failures == 21
    assert row.locked_until == clock.utcnow() + timedelta(seconds=2)
    assert [address_delay(n, 20, 30) for n in (19, 20, 21, 24, 25, 1000)] == [
        None, *(timedelta(seconds=s) for s in (1, 2, 16, 30, 30))]


def test_failures_older_than_the_window_are_not_counted(client, make):
    guesses(client, 19)
    clock.freeze(datetime(2026, 11, 22, 10, 15))
    guesses(client, 19)  # a new window: none slowed


def test_a_steady_attacker_stays_slowed_until_15_quiet_minutes_pass(client, make):
    guesses(client, 20)
    for n in range(17):  # a guess a minute for 17 minutes: the count never starts again
        later(minutes=1)
        assert FAILED in text(attempt(client, f"again{n}@council.example"))
    assert SLOWED in text(attempt(client, "one.more@council.example"))
    later(minutes=15, seconds=30)  # the last wait (30 s) ended 15 minutes ago
    guesses(client, 19)  # counted afresh: none slowed


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


def test_the_account_lockout_stays_whatever_the_address(client, make):
    person = make.user("home_staff", homes=[make.home()])
    for n in range(5):
        attempt(client, person.email, address=f"198.51.100.{n}")
    refused = attempt(client, person.email, make.PASSWORD, address="203.0.113.5")
    assert "Too many failed attempts. Try again after 10:15" in text(refused)


def test_a_slowed_address_does_not_stop_someone_already_signed_in(client, make):
    person = make.user("home_staff", homes=[make.home()])
    sign_in(client, person)
    for n in range(21):
        attempt(client, f"guess{n}@council.example", address="127.0.0.1")
    assert client.get("/account").status_code == 200
