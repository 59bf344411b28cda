"""Sign-in records go a year after their last use (docs/retention.md); nothing younger, and no
lockout still running, is touched."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from homes_app import clock
from homes_app.auth.housekeeping import delete_old_sign_in_records
from homes_app.auth.models import RecoveryCode, SetPasswordToken, SignInFailures, UserSession
from homes_app.extensions import db
from homes_app.scheduler.jobs import by_name

YEAR = timedelta(days=365)
SECOND = timedelta(seconds=1)


def session_row(user, token: str, *, last_seen, ended=None) -> None:
    db.session.add(UserSession(user_id=user.id, token_hash=token.ljust(64, "0"),
                               stage="signed_in", created_at=last_seen - timedelta(hours=1),
                               last_seen_at=last_seen, ended_at=ended))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_records_a_year_old_go_and_younger_ones_stay(make):
    now = clock.utcnow()
    person = make.user("home_staff")
    session_row(person, "a", last_seen=now - YEAR - timedelta(hours=2), ended=now - YEAR - SECOND)
    session_row(person, "b", last_seen=now - YEAR - timedelta(hours=2), ended=now - YEAR + SECOND)
    session_row(person, "c", last_seen=now - YEAR - SECOND)  # ran out, never signed out
    session_row(person, "d", last_seen=now - timedelta(minutes=5))
    db.session.add_all([
        SignInFailures(key="address:192.0.2.1", failures=3, window_started_at=now - YEAR - SECOND),
        SignInFailures(key="address:192.0.2.2", failures=3, window_started_at=now - YEAR + SECOND),
        SetPasswordToken(user_id=person.id, token_hash="x" * 64, expires_at=now - YEAR - SECOND),
        SetPasswordToken(user_id=person.id, token_hash="y" * 64, expires_at=now - timedelta(days=1)),
        RecoveryCode(user_id=person.id, code_hash="r" * 64, used_at=now - YEAR - SECOND),
        RecoveryCode(user_id=person.id, code_hash="s" * 64, used_at=None),
    ])
    db.session.commit()

    result = delete_old_sign_in_records(now)
    db.session.commit()

    assert (result.sessions, result.failures, result.links, result.recovery_codes) == (2, 1, 1, 1)
    assert sorted(db.session.scalars(select(UserSession.token_hash)).all()) == [
        "b".ljust(64, "0"), "d".ljust(64, "0")]
    assert db.session.scalars(select(SignInFailures.key)).all() == ["address:192.0.2.2"]
    assert (count(SetPasswordToken), count(RecoveryCode)) == (1, 1)


def test_a_lockout_still_running_is_kept_however_old_its_window(make):
    now = clock.utcnow()
    db.session.add(SignInFailures(key="address:192.0.2.9", failures=50,
                                  window_started_at=now - YEAR - YEAR,
                                  locked_until=now + timedelta(minutes=10)))
    db.session.commit()
    assert delete_old_sign_in_records(now).failures == 0


def test_the_nightly_job_commits_and_says_what_went(app, make):
    now = clock.utcnow()
    session_row(make.user("home_staff"), "a", last_seen=now - YEAR - timedelta(days=2),
                ended=now - YEAR - timedelta(days=1))
    db.session.commit()
    summary = by_name("sign_in_housekeeping").function()
    assert summary.startswith("deleted 1 sessions, 0 failed sign-in counts")
    db.session.rollback()
    assert count(UserSession) == 0
