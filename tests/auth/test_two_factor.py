"""Two-factor sign-in: enrolment (QR code, manual key, a first code, recovery codes shown
once), required for administrators, service directors and registered managers before any other
page, optional for others; a code is accepted one step either side and never twice; a recovery
code works once; wrong codes count toward the lockout; neither a set-password link nor a
password alone gets past it; an administrator resets a lost authenticator."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.auth import password_links, services, two_factor
from homes_app.auth.models import RecoveryCode, User, UserSession
from homes_app.auth.views import PUBLIC_ENDPOINTS
from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.ops.blueprint import OPERATOR_ENDPOINTS
from tests.auth.support import (
    CODE_REFUSED,
    code,
    manual_key,
    password,
    recovery_codes,
    second_factor,
    signed_in,
    text,
)
from tests.auth.test_accounts_admin import press
from tests.conftest import sign_in
from tests.test_access import concrete


def fresh(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def enrol(client, user) -> tuple[str, list[str]]:
    """Password, then the set-up page: returns the manual key and the recovery codes."""
    assert password(client, user).headers["Location"] == "/sign-in/set-up-two-factor"
    key = manual_key(text(client.get("/sign-in/set-up-two-factor")))
    done = second_factor(client, code(secret=key), "/sign-in/set-up-two-factor")
    return key, recovery_codes(text(done))


def test_enrolment_shows_a_qr_code_and_key_then_recovery_codes_once(client, make):
    home = make.home()
    manager = make.user("registered_manager", homes=[home], two_factor=False)
    assert password(client, manager).headers["Location"] == "/sign-in/set-up-two-factor"
    page = text(client.get("/sign-in/set-up-two-factor"))
    assert '<img src="data:image/svg+xml' in page  # served inline: the CSP allows data: images
    key = manual_key(page)
    assert manual_key(text(client.get("/sign-in/set-up-two-factor"))) == key  # a reload
    stored = fresh(manager.id).totp_secret
    assert key not in stored and two_factor._fernet().decrypt(stored.encode()).decode() == key

    wrong = second_factor(client, "000000", "/sign-in/set-up-two-factor")
    assert "That code did not match" in text(wrong)
    assert not signed_in(client)
    assert fresh(manager.id).totp_confirmed_at is None
    assert fresh(manager.id).failed_logins == 1

    done = second_factor(client, code(secret=key), "/sign-in/set-up-two-factor")
    codes = recovery_codes(text(done))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert done.headers["Cache-Control"] == "no-store"
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)  # only hashes are stored
    assert client.get(f"/homes/{home.id}").status_code == 200
    assert fresh(manager.id).failed_logins == 0
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.two_factor_on")).one()
    assert key not in str((event.before, event.after))
    assert "Your recovery codes" not in text(client.get("/account"))  # shown that once


@pytest.mark.parametrize("role", sorted(two_factor.REQUIRED_ROLES))
def test_required_roles_reach_no_page_before_enrolling(app, client, make, role):
    home = make.home()
    person = make.user(role, homes=[home], two_factor=False)
    password(client, person)
    skip = PUBLIC_ENDPOINTS | OPERATOR_ENDPOINTS | {
        "auth.two_factor", "auth.two_factor_setup", "staffing.calendar_feed"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in skip:
            continue
        response = client.get(concrete(rule)) if "GET" in rule.methods else None
        if response is None:
            continue
        assert response.status_code == 302, (rule.rule, response.status_code)
        assert response.headers["Location"].startswith("/sign-in/set-up-two-factor"), rule.rule
        checked += 1
    assert checked >= 20
    assert fresh(person.id).totp_confirmed_at is None


def test_a_code_signs_in_once_and_never_again(client, make):
    admin = make.user("administrator")
    password(client, admin)
    assert second_factor(client, code()).headers["Location"] == "/"
    assert signed_in(client)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    password(client, admin)
    replay = second_factor(client, code())
    assert replay.status_code == 200 and CODE_REFUSED in text(replay)
    assert not signed_in(client)
    assert fresh(admin.id).failed_logins == 1
    assert second_factor(client, code(+1)).status_code == 302  # the next step's code
    assert signed_in(client)


def _csrf(client) -> str:
    from tests.conftest import _csrf

    return _csrf(client, "/account")


@pytest.mark.parametrize("offset, accepted", [(-2, False), (-1, True), (0, True), (1, True),
                                              (2, False)])
def test_a_code_one_step_either_side_is_accepted(client, make, offset, accepted):
    director = make.user("service_director")
    password(client, director)
    response = second_factor(client, code(offset))
    assert (response.status_code == 302) is accepted
    assert signed_in(client) is accepted


def test_a_code_sent_twice_at_once_is_accepted_once(app, make):
    """Two requests racing with one code: the conditional UPDATE lets exactly one through."""
    director = make.user("service_director")
    user_id, now, value = director.id, clock.utcnow(), code()
    db.session.commit()
    barrier, results = threading.Barrier(2), []

    def attempt():
        with app.app_context():
            barrier.wait()
            try:
                two_factor.verify(db.session.get(User, user_id), value, now, lambda u: None)
                db.session.commit()
                results.append("accepted")
            except DomainError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["accepted", "refused"]


def test_a_recovery_code_works_once(client, make):
    home = make.home()
    manager = make.user("registered_manager", homes=[home], two_factor=False)
    key, codes = enrol(client, manager)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})

    password(client, manager)
    used = second_factor(client, codes[0].upper())  # as read off paper
    assert used.status_code == 302
    assert "You used a recovery code. You have 9 left" in text(client.get(used.headers[
        "Location"], follow_redirects=True))
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    password(client, manager)
    assert CODE_REFUSED in text(second_factor(client, codes[0]))
    assert second_factor(client, codes[1]).status_code == 302


def test_wrong_codes_count_toward_the_lockout_and_a_password_does_not_reset_it(client, make):
    admin = make.user("administrator")
    password(client, admin)
    for _ in range(3):
        second_factor(client, "123456")
    password(client, admin)  # the right password again: the count stands
    assert fresh(admin.id).failed_logins == 3
    second_factor(client, "123456")
    locked = second_factor(client, "123456")  # the fifth failure
    assert locked.headers["Location"] == "/sign-in"
    message = "Too many failed attempts. Try again after 10:15 on 22 November 2026"
    assert message in text(client.get("/sign-in"))
    assert message in text(password(client, admin))  # even the right password, for now
    assert sorted(db.session.scalars(select(UserSession.end_reason))) == ["locked", "replaced"]
    clock.freeze(datetime(2026, 11, 22, 10, 15, 1))
    sign_in(client, admin)
    assert signed_in(client)


def test_a_set_password_link_never_gets_past_the_second_factor(app, client, make):
    manager = make.user("registered_manager", homes=[make.home()])
    their_browser = app.test_client()
    sign_in(their_browser, manager)
    token = password_links.issue_set_password_token(manager, clock.utcnow(), hours=1)
    db.session.commit()
    from tests.helpers import submit

    done = submit(client, f"/set-password/{token}", {"password": "a brand new passphrase",
                                                     "confirm": "a brand new passphrase"})
    assert done.headers["Location"] == "/sign-in" and not signed_in(client)
    assert not signed_in(their_browser)  # a new password ends every session
    step = password(client, manager, "a brand new passphrase")
    assert step.headers["Location"] == "/sign-in/two-factor"
    assert client.get("/homes").headers["Location"].startswith("/sign-in/two-factor")
    assert second_factor(client, code()).status_code == 302
    assert signed_in(client)


def test_an_invited_manager_sets_a_password_then_must_enrol(client, make):
    manager = make.user("registered_manager", homes=[make.home()], two_factor=False,
                        password_hash=None)
    token = password_links.issue_set_password_token(manager, clock.utcnow(), hours=1)
    db.session.commit()
    from tests.helpers import submit

    submit(client, f"/set-password/{token}", {"password": "a brand new passphrase",
                                              "confirm": "a brand new passphrase"})
    step = password(client, manager, "a brand new passphrase")
    assert step.headers["Location"] == "/sign-in/set-up-two-factor"
    assert not signed_in(client)


def test_an_administrator_resets_a_lost_authenticator(app, client, make, login):
    manager = make.user("registered_manager", homes=[make.home()])
    their_browser = app.test_client()
    sign_in(their_browser, manager)
    admin = login(make.user("administrator"))
    assert press(client, "reset-two-factor", manager).status_code == 302
    person = fresh(manager.id)
    assert (person.totp_secret, person.totp_confirmed_at) == (None, None)
    assert db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == manager.id)).all() == []
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.two_factor_reset")).one()
    assert (event.actor_id, event.subject_id) == (admin.id, manager.id)
    assert not signed_in(their_browser)  # their sessions ended
    assert password(their_browser, manager).headers["Location"] == \
        "/sign-in/set-up-two-factor"  # they enrol again


def test_anyone_may_turn_two_factor_on_and_only_optional_roles_off(client, make, login):
    home = make.home()
    staff = login(make.user("home_staff", homes=[home]))  # no code asked: two-factor is off
    assert "Off: signing in asks only for your password" in text(client.get("/account"))
    key = manual_key(text(client.get("/account/two-factor")))
    done = second_factor(client, code(secret=key), "/account/two-factor")
    assert len(recovery_codes(text(done))) == 10
    assert "On: signing in asks for a code" in text(client.get("/account"))
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    assert password(client, staff).headers["Location"] == "/sign-in/two-factor"
    assert CODE_REFUSED in text(second_factor(client, code(secret=key)))  # used to enrol
    assert second_factor(client, code(+1, secret=key)).status_code == 302
    from tests.helpers import submit

    clock.freeze(clock.now() + timedelta(minutes=1))  # a later code, to turn it off
    off = submit(client, "/account/two-factor/off", {"code": code(secret=key)},
                 form_url="/account")
    assert off.status_code == 302 and fresh(staff.id).totp_confirmed_at is None

    manager = login(make.user("registered_manager", homes=[home]))
    page = text(client.get("/account"))
    assert "cannot be turned off" in page and "/account/two-factor/off" not in page
    refused = submit(client, "/account/two-factor/off", {"code": code(+1)},
                     form_url="/account")
    assert refused.status_code == 400 and "required for registered managers" in text(refused)
    assert fresh(manager.id).totp_confirmed_at is not None


def test_a_password_hash_is_renewed_at_sign_in_when_the_parameters_change(client, make):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    user = make.user("home_staff", homes=[make.home()],
                     password_hash=weak.hash(make.PASSWORD))
    assert "m=8192,t=1" in user.password_hash
    assert password(client, user).status_code == 302
    renewed = fresh(user.id).password_hash
    assert "m=19456,t=2,p=1" in renewed
    assert services.hasher.verify(renewed, make.PASSWORD)
