"""What a form post refused before its view runs answers.

A failed CSRF check: the post may have come from another site's page, so nothing it sent is
kept or shown. The person is told the form expired and goes back to it as it was.

A post from the person's own page (its CSRF token good) as their session ran out (idle, or at
its absolute limit): the answers are kept on the server for the person whose session it was
(kept_form_answers), found again through a random key in this browser's cookie; the person
signs in and finds them in the form, to check and send again. Only they, in this browser,
within 30 minutes, and once; nothing is saved until they send it; signing out forgets the key.
Another site cannot plant answers this way: it would need the CSRF token of the person's
session, which only the app's own pages carry."""
from __future__ import annotations

import hashlib
import secrets

from flask import flash, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import delete, or_, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from . import clock
from .auth import sessions
from .auth.models import KEEP_ANSWERS_FOR, KeptFormAnswers
from .extensions import db

KEY = "resume_form"
# A form's answers, names and values together, kept up to this many characters: ten of the
# longest notes a form takes. A bigger post is not kept at all.
KEEP_AT_MOST = 20_000
# Never kept: secrets, and the one-time tokens a fresh form replaces.
NOT_KEPT = {"csrf_token", "form_nonce", "password", "confirm", "current_password", "code"}
# Sign-in steps: nothing of theirs is kept.
SIGN_IN_STEPS = ("auth.login", "auth.logout", "auth.two_factor", "auth.two_factor_setup")
RESUMED = ("Your session ended before the form was sent, so nothing was saved. Your answers "
           "are below: check them and send the form again.")


def form_expired():
    """The answer to a post whose CSRF token failed (a plain page; the session is left as it
    was, so another site's post cannot sign anyone out either)."""
    back = request.path if _has_form_page(request.path) else None
    return render_template("errors/error.html", code=400, title="This form expired",
                           text="Please try again. Nothing you sent was saved.",
                           back=back), 400


def can_keep() -> bool:
    """Whether this post, refused because its session ran out, has answers to keep: a form
    post (not a sign-in step) whose page can take them back, from a signed-in session that
    ran out, and not too big."""
    return request.method == "POST" and request.endpoint not in SIGN_IN_STEPS \
        and _has_form_page(request.path) and len(request.path) <= 300 \
        and 0 < sum(len(k) + len(v) for k, v in _answers()) <= KEEP_AT_MOST \
        and sessions.holder(session.get(sessions.SID)) is not None


def keep_answers_and_return():
    """Keep the answers for the session's holder, then back to the form (through sign-in)."""
    now, key = clock.utcnow(), secrets.token_urlsafe(24)
    user_id = sessions.holder(session.get(sessions.SID))
    db.session.execute(delete(KeptFormAnswers).where(or_(
        KeptFormAnswers.user_id == user_id, KeptFormAnswers.kept_at < now - KEEP_ANSWERS_FOR)))
    db.session.add(KeptFormAnswers(user_id=user_id, key_hash=_digest(key), path=request.path,
                                   answers=[list(pair) for pair in _answers()], kept_at=now))
    db.session.commit()
    session[KEY] = {"path": request.path, "key": key}
    return redirect(request.full_path.rstrip("?"))


def _answers() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_KEPT]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _has_form_page(path: str) -> bool:
    """Whether the same address answers GET with the form."""
    adapter = request.url_rule and request.url_rule.map.bind_to_environ(request.environ)
    try:
        adapter.match(path, method="GET")
    except (MethodNotAllowed, NotFound, RequestRedirect, AttributeError):
        return False
    return True


def kept_answers() -> MultiDict | None:
    """The answers kept for this form page and this person, once, when it is shown again."""
    kept = session.get(KEY)
    if request.method != "GET" or not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    session.pop(KEY)
    row = db.session.scalar(select(KeptFormAnswers).where(
        KeptFormAnswers.key_hash == _digest(str(kept.get("key")))))
    if row is None:
        return None
    sessions.after_view(delete(KeptFormAnswers).where(KeptFormAnswers.id == row.id))
    if row.user_id != current_user.id or row.path != request.path:
        return None  # someone else signed in on this browser meanwhile
    if clock.utcnow() - row.kept_at > KEEP_ANSWERS_FOR:
        return None  # too old to be the same person coming straight back
    flash(RESUMED, "info")
    return MultiDict([tuple(pair) for pair in row.answers])
