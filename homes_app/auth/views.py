"""Sign in (a password, then a second factor where the role or the person asks for one), sign
out, and set a password from an invitation link. Who is signed in is decided by the
server-side session the cookie names (sessions.py), not by the cookie alone."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_login.utils import login_url

from .. import clock, resume
from ..common.text import unsafe_characters
from ..errors import DomainError
from ..extensions import db, login_manager
from ..web import show_error, signed_in, writes_on_get
from . import password_links, services, sessions, throttle, two_factor
from .forms import CodeForm, EnrolForm, LoginForm, SetPasswordForm
from .models import Role, SessionStage, User, UserSession

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"
# No binding to the client's address or browser string: phones change address all day (Wi-Fi,
# mobile data) and OWASP advises against it. The server-side session (sessions.py) protects:
# a new id at every sign-in, idle and absolute limits, sign-out and revocation.
login_manager.session_protection = None

# Anonymous routes by design: signing in, setting a password from a link, static assets. (The
# second-factor steps need a session whose password was right; without one they send the
# visitor to sign in.)
PUBLIC_ENDPOINTS = {"auth.login", "auth.set_password", "static", "govuk_assets"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Signed in only through a live signed-in session row for this person; a deactivated
    account, or one whose role requires two-factor and has none (reset), no longer loads."""
    now = clock.utcnow()
    row = sessions.find(session.get(sessions.SID), now)
    if row is None or row.stage != SessionStage.SIGNED_IN or str(row.user_id) != str(user_id):
        return None
    user = row.user
    if not user.active or (two_factor.required_for(user) and not two_factor.enrolled(user)):
        return None
    sessions.touch(row, now)
    g.user_session_id = row.id
    return user


@bp.after_app_request
def _session_bookkeeping(response):
    sessions.write_queued()
    return response


@login_manager.unauthorized_handler
def unauthorized():
    """Not signed in: a form's answers are kept (resume.py); someone between password and
    second factor is sent back to that step; anyone else to sign in."""
    if resume.can_keep():
        return resume.keep_answers_and_return()
    pending = _pending()
    if pending is not None:
        return redirect(_step_url(pending.user, request.full_path.rstrip("?")))
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url("auth.login", next_url=request.url))


@bp.route("/")
@signed_in
def start():
    if current_user.role == Role.ADMINISTRATOR:
        return redirect(url_for("homes.index"))
    if current_user.role == Role.SERVICE_DIRECTOR:
        return redirect(url_for("homes.overview"))
    if current_user.role == Role.RELIEF_STAFF:
        return redirect(url_for("staffing.open_shifts"))
    if current_user.role in (Role.REGISTERED_MANAGER, Role.HOME_STAFF) and current_user.homes:
        return redirect(url_for("homes.show", home_id=current_user.homes[0].id))
    return render_template("auth/start.html")


@bp.route("/sign-in", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        now, address = clock.utcnow(), request.remote_addr
        config = current_app.config
        try:
            throttle.check_address(address, now)
        except DomainError as error:
            show_error(form, error)
            return render_template("auth/login.html", form=form)
        try:
            user = services.authenticate(form.email.data, form.password.data, now,
                                         config["LOGIN_MAX_FAILURES"],
                                         config["LOGIN_LOCKOUT_MINUTES"])
        except DomainError as error:
            throttle.count_address_failure(address, now)
            db.session.commit()  # keep the failure counts
            show_error(form, error)
        else:
            return _begin_session(user, now)
    return render_template("auth/login.html", form=form)


def _begin_session(user: User, now):
    """A new session id at every sign-in: any session this browser had ends, the cookie is
    emptied (a fresh CSRF token) but for a form's kept answers, which the person comes back
    to."""
    old = sessions.find(session.get(sessions.SID), now)
    if old is not None:
        sessions.end(old, now, "replaced")
    kept = session.get(resume.KEY)
    session.clear()
    if kept:
        session[resume.KEY] = kept
    stage = SessionStage.SECOND_FACTOR if two_factor.needed(user) else SessionStage.SIGNED_IN
    session[sessions.SID] = sessions.start(user, stage, now, request.user_agent.string,
                                           request.remote_addr)
    db.session.commit()
    if stage == SessionStage.SIGNED_IN:
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return redirect(_step_url(user, request.args.get("next")))


def _step_url(user: User, next_url: str | None) -> str:
    endpoint = "auth.two_factor" if two_factor.enrolled(user) else "auth.two_factor_setup"
    return url_for(endpoint, **({"next": next_url} if next_url else {}))


def _pending() -> UserSession | None:
    """This browser's session if its password was right and its second factor is due."""
    row = sessions.find(session.get(sessions.SID), clock.utcnow())
    return row if row is not None and row.stage == SessionStage.SECOND_FACTOR else None


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (a browser reads a backslash as a
    slash), and nothing that would split the redirect's header (CR, LF)."""
    if target and not unsafe_characters(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith(("//", "/\\")):
            return target
    return url_for("auth.start")


def _no_pending_session():
    if current_user.is_authenticated:
        return redirect(url_for("auth.start"))
    flash("Sign in to continue", "info")
    return redirect(url_for("auth.login"))


def _failure_counter(now):
    config = current_app.config
    return lambda user: services.count_failure(user, now, config["LOGIN_MAX_FAILURES"],
                                               config["LOGIN_LOCKOUT_MINUTES"])


def _refused(row: UserSession, now, error: DomainError, form):
    """A wrong code: counted for the account and the address; once the account is locked the
    half-made session ends and the person is told when to try again."""
    throttle.count_address_failure(request.remote_addr, now)
    locked = services.locked_message(row.user, now)
    if locked:
        sessions.end(row, now, "locked")
        db.session.commit()
        session.pop(sessions.SID, None)
        flash(locked, "info")
        return redirect(url_for("auth.login"))
    db.session.commit()
    show_error(form, error)
    return None


def _finish(row: UserSession, now, note: str | None = None) -> None:
    """Every factor passed: the session is signed in, under a new id."""
    session[sessions.SID] = sessions.promote(row, now)
    services.signed_in(row.user)
    db.session.commit()
    login_user(row.user)
    if note:
        flash(note, "info")


@bp.route("/sign-in/two-factor", methods=["GET", "POST"], endpoint="two_factor")
def two_factor_step():
    row = _pending()
    if row is None:
        return _no_pending_session()
    if not two_factor.enrolled(row.user):
        return redirect(_step_url(row.user, request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        now = clock.utcnow()
        if locked := services.locked_message(row.user, now):
            return _refused(row, now, DomainError(locked, "code"), form) or \
                render_template("auth/two_factor.html", form=form)
        try:
            used = two_factor.verify(row.user, form.code.data, now, _failure_counter(now))
        except DomainError as error:
            return _refused(row, now, error, form) or \
                render_template("auth/two_factor.html", form=form)
        left = two_factor.recovery_codes_left(row.user) if used == "recovery" else None
        _finish(row, now, None if left is None else
                f"You used a recovery code. You have {left} left: if your phone is lost, "
                "ask your administrator to reset your two-factor authentication.")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/two_factor.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@writes_on_get
def two_factor_setup():
    """Enrolment before anything else, for a role that requires two-factor."""
    row = _pending()
    if row is None:
        return _no_pending_session()
    if two_factor.enrolled(row.user):
        return redirect(_step_url(row.user, request.args.get("next")))

    def on_failure(now, error, form):
        return _refused(row, now, error, form)

    def on_success(now):
        _finish(row, now)
        return _safe_next(request.args.get("next"))

    return enrolment_page(row.user, on_failure, on_success, signing_in=True)


def enrolment_page(user: User, on_failure, on_success, *, signing_in: bool):
    """The QR code and manual key, then a first code; the recovery codes are shown once, in
    the answer to that post (never stored in clear)."""
    form = EnrolForm()
    secret = two_factor.begin_enrolment(user)
    if form.validate_on_submit():
        now = clock.utcnow()
        try:
            codes = two_factor.confirm_enrolment(user, form.code.data, now,
                                                 _failure_counter(now))
        except DomainError as error:
            if (response := on_failure(now, error, form)) is not None:
                return response
        else:
            continue_to = on_success(now)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes,
                                   continue_to=continue_to)
    db.session.commit()  # the new secret is kept while the person enrols
    return render_template("auth/two_factor_setup.html", form=form, signing_in=signing_in,
                           **two_factor.provisioning(user, secret))


@bp.route("/sign-out", methods=["POST"])
@signed_in
def logout():
    now = clock.utcnow()
    row = sessions.find(session.get(sessions.SID), now)
    if row is not None:
        sessions.end(row, now, "signed_out")
    db.session.commit()
    logout_user()
    session.clear()  # answers kept for a form are not for the next person either
    flash("You have signed out", "success")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    if password_links.token_user(token, clock.utcnow()) is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(token, form.password.data, clock.utcnow())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form)
