"""The person's own account: two-factor authentication (set it up; turn it off where the role
allows) and their sessions ("sign out everywhere")."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from .. import clock
from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from ..web import current_actor, show_error, signed_in, writes_on_get
from . import sessions, two_factor
from .forms import EndSessionsForm, TurnOffForm
from .views import _failure_counter, enrolment_page

bp = Blueprint("account", __name__, url_prefix="/account")



def _page(off_form=None, end_form=None, status=200):
    now = clock.utcnow()
    return render_template(
        "auth/account.html", title="Your account", now=now,
        live=sessions.live(current_user.id, now), this_session=g.get("user_session_id"),
        enrolled=two_factor.enrolled(current_user),
        required=two_factor.required_for(current_user),
        codes_left=two_factor.recovery_codes_left(current_user),
        off_form=off_form or TurnOffForm(), end_form=end_form or EndSessionsForm()), status


@bp.route("")
@signed_in
def index():
    return _page()


@bp.route("/two-factor", methods=["GET", "POST"])
@signed_in
@writes_on_get
def two_factor_setup():
    if two_factor.enrolled(current_user):
        return redirect(url_for(".index"))

    def on_failure(_now, error, form):
        db.session.commit()  # the failure counts toward the lockout
        show_error(form, error)

    return enrolment_page(current_actor(), on_failure, lambda _now: url_for(".index"),
                          signing_in=False)


@bp.route("/two-factor/off", methods=["POST"])
@signed_in
def two_factor_off():
    form = TurnOffForm()
    if not form.validate_on_submit():
        return _page(off_form=form, status=400)
    now = clock.utcnow()
    try:
        two_factor.turn_off(current_actor(), form.code.data, now, _failure_counter(now))
    except DomainError as error:
        db.session.commit()  # a wrong code still counts
        show_error(form, error)
        return _page(off_form=form, status=400)
    db.session.commit()
    flash("Two-factor authentication is off", "success")
    return redirect(url_for(".index"))


@bp.route("/sessions/end", methods=["POST"])
@signed_in
def end_sessions():
    """Sign out of every other session, or of every session including this one."""
    form = EndSessionsForm()
    if not form.validate_on_submit():
        return _page(end_form=form, status=400)
    everywhere = form.which.data == "all"
    now = clock.utcnow()
    ended = sessions.end_all(current_user.id, now, "signed_out_everywhere",
                             keep=None if everywhere else g.get("user_session_id"))
    record(current_actor(), "user.sessions_ended", current_actor(),
           after={"sessions": ended, "including_this_one": everywhere})
    db.session.commit()
    if everywhere:
        logout_user()
        session.clear()
        flash("You have signed out everywhere", "success")
        return redirect(url_for("auth.login"))
    flash(f"Signed out of {ended} other session{'s' if ended != 1 else ''}", "success")
    return redirect(url_for(".index"))
