"""Sign in, sign out and set a password from an invitation link."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from .. import clock, resume
from ..errors import DomainError
from ..extensions import db, login_manager
from ..web import show_error
from . import services
from .forms import LoginForm, SetPasswordForm
from .models import Role, User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

# Anonymous routes by design: signing in, setting a password from a link, static assets.
PUBLIC_ENDPOINTS = {"auth.login", "auth.set_password", "static", "govuk_assets"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """A deactivated account's sessions end at once: it no longer loads."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


@bp.route("/")
@login_required
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
        try:
            user = services.authenticate(
                form.email.data, form.password.data, clock.utcnow(),
                current_app.config["LOGIN_MAX_FAILURES"], current_app.config["LOGIN_LOCKOUT_MINUTES"])
        except DomainError as error:
            db.session.commit()  # keep the failure count
            show_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("auth.start")


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.pop(resume.KEY, None)  # answers kept for a form are not for the next person
    flash("You have signed out", "success")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    if services.token_user(token, clock.utcnow()) is None:
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
