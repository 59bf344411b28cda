"""Which sign-in records are spent, for the housekeeping job (homes_app/scheduler/housekeeping.py,
docs/retention.md): used form nonces once no live session could replay them, ended sessions
ENDED_SESSION_KEEP_DAYS after they ended, failed sign-in counts, set-password links and used
recovery codes a year after their last use, and a form's kept answers (resume.py) once too old
to be offered. They are security logs rather than anyone's
record, so they go without asking; what a session was used for stays in the audit log."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from ..common.batches import Spent, whole_number_setting
from . import sessions
from .models import (
    KEEP_ANSWERS_FOR,
    KeptFormAnswers,
    RecoveryCode,
    SetPasswordToken,
    SignInFailures,
    SubmittedForm,
    UserSession,
)

SIGN_IN_RECORDS_KEPT = timedelta(days=365)
log = logging.getLogger(__name__)


def spent(now: datetime) -> list[Spent]:
    """The spent sign-in records as of `now` (UTC). Reads and checks the settings first, so a
    bad one stops the job before anything is deleted."""
    ended_before = now - timedelta(days=whole_number_setting("ENDED_SESSION_KEEP_DAYS", 0))
    year_ago = now - SIGN_IN_RECORDS_KEPT
    return [
        Spent("used form nonces", SubmittedForm,
              SubmittedForm.submitted_at < now - used_form_keep()),
        Spent("ended sessions", UserSession, ended(before=ended_before)),
        # A lockout still running is kept however old its window: deleting it would lift it.
        Spent("failed sign-in counts", SignInFailures, and_(
            SignInFailures.window_started_at < year_ago,
            or_(SignInFailures.locked_until.is_(None), SignInFailures.locked_until < now))),
        Spent("set-password links", SetPasswordToken, SetPasswordToken.expires_at < year_ago),
        Spent("used recovery codes", RecoveryCode, RecoveryCode.used_at < year_ago),
        # Deleted once shown; these are the ones nobody came back for.
        Spent("kept form answers", KeptFormAnswers,
              KeptFormAnswers.kept_at < now - KEEP_ANSWERS_FOR),
    ]


def used_form_keep() -> timedelta:
    """How long a used form nonce is kept: USED_FORM_KEEP_DAYS, but never less than a sign-in
    session can last (SESSION_ABSOLUTE_HOURS).

    A nonce is what refuses a second post of its form. A second post needs the form's CSRF
    token too, which lives in the session cookie and is replaced at every sign-in (the cookie
    is emptied), so it can only come while the session the form was posted in is still live:
    at most SESSION_ABSOLUTE_HOURS after that session began, and the post came after. A nonce
    kept any shorter could go while its form can still be posted again."""
    wanted = timedelta(days=whole_number_setting("USED_FORM_KEEP_DAYS", 0))
    _, longest_session, _ = sessions.limits()
    if wanted < longest_session:
        log.warning("USED_FORM_KEEP_DAYS is shorter than a session lasts; used form nonces "
                    "are kept %s instead", longest_session)
    return max(wanted, longest_session)


def ended(before: datetime) -> ColumnElement[bool]:
    """Sessions over before `before`: signed out (or ended by an administrator, a reset)
    before it, or never ended but run out by then by the limits sessions.py applies: idle
    since last seen, or at their absolute limit. A session still in its two-factor step runs
    out sooner still, so it is covered too. A live session never matches."""
    idle, absolute, _ = sessions.limits()
    return or_(UserSession.ended_at < before, and_(
        UserSession.ended_at.is_(None),
        or_(UserSession.last_seen_at < before - idle, UserSession.created_at < before - absolute)))
