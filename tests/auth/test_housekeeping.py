"""Housekeeping's sign-in rules (docs/retention.md, "Housekeeping"): a session goes its keep
period after it ended, never while live; a used form nonce goes after USED_FORM_KEEP_DAYS but
never before a session could have ended; the other sign-in records go a year after last use."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from homes_app import clock
from homes_app.auth.models import (
    KeptFormAnswers,
    RecoveryCode,
    SetPasswordToken,
    SignInFailures,
    SubmittedForm,
    UserSession,
)
from homes_app.extensions import db
from homes_app.scheduler.jobs import by_name

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def housekeeping() -> str:
    return by_name("housekeeping").function()


def session_row(user, name: str, *, last_seen, created=None, ended=None) -> None:
    db.session.add(UserSession(user_id=user.id, token_hash=name.ljust(64, "0"),
                               stage="signed_in", created_at=created or last_seen - timedelta(hours=1),
                               last_seen_at=last_seen, ended_at=ended))


def sessions_left() -> list[str]:
    return sorted(h.rstrip("0") for h in db.session.scalars(select(UserSession.token_hash)))


def nonce(name: str, submitted_at) -> SubmittedForm:
    return SubmittedForm(nonce=name, submitted_at=submitted_at)


def nonces_left() -> list[str]:
    return sorted(db.session.scalars(select(SubmittedForm.nonce)))


def test_a_session_stays_until_its_keep_period_has_passed_since_it_ended(make):
    now, keep = clock.utcnow(), timedelta(days=365)
    person = make.user("home_staff")
    session_row(person, "ended-at-keep", last_seen=now - keep, ended=now - keep)
    session_row(person, "ended-day-past", last_seen=now - keep - DAY, ended=now - keep - DAY)
    # Never signed out: over when it went idle, 30 minutes after it was last seen.
    idle = timedelta(minutes=30)
    session_row(person, "idle-at-keep", last_seen=now - keep - idle)
    session_row(person, "idle-day-past", last_seen=now - keep - idle - DAY)
    session_row(person, "live", last_seen=now - timedelta(minutes=5))
    db.session.commit()

    assert "2 ended sessions" in housekeeping()
    assert sessions_left() == ["ended-at-keep", "idle-at-keep", "live"]


def test_no_live_session_goes_even_when_ended_ones_are_kept_no_time_at_all(app, make):
    app.config["ENDED_SESSION_KEEP_DAYS"] = 0
    now = clock.utcnow()
    person = make.user("home_staff")
    session_row(person, "live", last_seen=now - timedelta(minutes=29),
                created=now - timedelta(hours=11, minutes=59))
    session_row(person, "idle", last_seen=now - timedelta(minutes=30) - SECOND)
    session_row(person, "twelve-hours-up", last_seen=now - timedelta(minutes=1),
                created=now - timedelta(hours=12) - SECOND)
    session_row(person, "signed-out", last_seen=now - SECOND, ended=now - SECOND)
    db.session.commit()

    assert "3 ended sessions" in housekeeping()
    assert sessions_left() == ["live"]


def test_a_used_form_nonce_stays_for_its_keep_period(app):
    now = clock.utcnow()
    db.session.add_all([nonce("at-keep", now - 2 * DAY), nonce("day-past", now - 3 * DAY),
                        nonce("today", now - timedelta(hours=1))])
    db.session.commit()
    assert app.config["USED_FORM_KEEP_DAYS"] == 2
    assert "1 used form nonces" in housekeeping()
    assert nonces_left() == ["at-keep", "today"]


def test_a_forms_kept_answers_go_once_too_old_to_be_offered(make):
    """Kept answers are deleted when shown (tests/test_resume_form.py); those nobody came
    back for go after 30 minutes."""
    now, person = clock.utcnow(), make.user("home_staff")
    for key, age in (("fresh", timedelta(minutes=30)), ("stale", timedelta(minutes=31))):
        db.session.add(KeptFormAnswers(user_id=person.id, key_hash=key, path="/homes/1/admit",
                                       answers=[["note", "Half written"]], kept_at=now - age))
    db.session.commit()
    assert "1 kept form answers" in housekeeping()
    assert list(db.session.scalars(select(KeptFormAnswers.key_hash))) == ["fresh"]


def test_a_used_form_nonce_outlives_any_session_it_could_be_replayed_in(app):
    """Kept no days at all, a nonce still stays 12 hours (a session's longest life): its form
    can be posted again, with the same CSRF token, until that session ends."""
    app.config["USED_FORM_KEEP_DAYS"] = 0
    now = clock.utcnow()
    db.session.add_all([nonce("twelve-hours", now - timedelta(hours=12)),
                        nonce("just-over", now - timedelta(hours=12) - SECOND)])
    db.session.commit()
    housekeeping()
    assert nonces_left() == ["twelve-hours"]

    app.config.update(USED_FORM_KEEP_DAYS=2, SESSION_ABSOLUTE_HOURS=72)
    db.session.add_all([nonce("two-and-a-half-days", now - timedelta(hours=60))])
    db.session.commit()
    housekeeping()
    assert nonces_left() == ["twelve-hours", "two-and-a-half-days"]


def test_other_sign_in_records_go_a_year_after_their_last_use(make):
    now, year = clock.utcnow(), timedelta(days=365)
    person = make.user("home_staff")
    db.session.add_all([
        SignInFailures(key="address:192.0.2.1", failures=3, window_started_at=now - year - DAY),
        SignInFailures(key="address:192.0.2.2", failures=3, window_started_at=now - year),
        # A lockout still running is kept however old its window.
        SignInFailures(key="address:192.0.2.9", failures=50, window_started_at=now - 2 * year,
                       locked_until=now + timedelta(minutes=10)),
        SetPasswordToken(user_id=person.id, token_hash="x" * 64, expires_at=now - year - DAY),
        SetPasswordToken(user_id=person.id, token_hash="y" * 64, expires_at=now - year),
        RecoveryCode(user_id=person.id, code_hash="r" * 64, used_at=now - year - DAY),
        RecoveryCode(user_id=person.id, code_hash="s" * 64, used_at=None),
    ])
    db.session.commit()

    summary = housekeeping()
    assert ("1 failed sign-in counts, 1 set-password links, 1 used recovery codes"
            in summary)
    assert sorted(db.session.scalars(select(SignInFailures.key))) == [
        "address:192.0.2.2", "address:192.0.2.9"]
    assert db.session.scalars(select(SetPasswordToken.token_hash)).all() == ["y" * 64]
    assert db.session.scalars(select(RecoveryCode.code_hash)).all() == ["s" * 64]
