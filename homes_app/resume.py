"""Keeping a person's answers when their form could not be accepted because its session ended
(sign-in timed out, or the CSRF token no longer matches): the answers are kept in the signed,
HttpOnly session cookie (in the person's own browser: whoever sends them is not signed in at
that moment, so the server keeps nothing for them), the person is sent back to the form (through
sign-in if need be) and finds them filled in, to check and send again with a fresh token.
Nothing is saved until they do; signing in keeps them, signing out forgets them."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from . import clock

KEY = "resume_form"
KEEP_SECONDS = 30 * 60
# Never kept: secrets, and the one-time tokens a fresh form replaces.
NOT_KEPT = {"csrf_token", "form_nonce", "password", "confirm", "current_password", "code"}
# Sign-in steps: nothing of theirs is kept.
SIGN_IN_STEPS = ("auth.login", "auth.logout", "auth.two_factor", "auth.two_factor_setup")
RESUMED = ("Your session ended before the form was sent, so nothing was saved. Your answers "
           "are below: check them and send the form again.")


def keep_answers_and_return():
    """The response to a refused form post: back to the form with the answers kept."""
    if not can_keep():
        return render_template("errors/error.html", code=400,
                               title="This form expired or was not sent from this site",
                               text="Nothing was saved. Go back, reload the page and submit "
                                    "the form again."), 400
    session[KEY] = {"path": request.path, "at": clock.utcnow().timestamp(),
                    "data": [(k, v) for k, v in request.form.items(multi=True)
                             if k not in NOT_KEPT]}
    return redirect(request.full_path.rstrip("?"))


def can_keep() -> bool:
    """Whether this refused request is a form post whose page can take its answers back."""
    return request.method == "POST" and request.endpoint not in SIGN_IN_STEPS \
        and _has_form_page(request.path)


def _has_form_page(path: str) -> bool:
    """Whether the same address answers GET with the form."""
    adapter = request.url_rule and request.url_rule.map.bind_to_environ(request.environ)
    try:
        adapter.match(path, method="GET")
    except (MethodNotAllowed, NotFound, RequestRedirect, AttributeError):
        return False
    return True


def kept_answers() -> MultiDict | None:
    """The answers kept for this form page, once, when it is shown again."""
    kept = session.get(KEY)
    if request.method != "GET" or not kept or kept.get("path") != request.path:
        return None
    session.pop(KEY)
    if clock.utcnow().timestamp() - kept.get("at", 0) > KEEP_SECONDS:
        return None  # too old to be the same person coming straight back
    flash(RESUMED, "info")
    return MultiDict(kept["data"])
