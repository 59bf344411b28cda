"""Accounts, for administrators: invite, send a new set-password link, unlock, deactivate, end
someone's sessions, reset their two-factor authentication. A link is built from BASE_URL (never
the request's Host), and the account's owner is emailed that one was issued for them."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from sqlalchemy import select
from wtforms import EmailField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from .. import clock
from ..alerts import account_notices
from ..errors import DomainError
from ..extensions import db
from ..homes.models import Home
from ..links import external_url
from ..web import OneTimeForm, choices, post_once, roles_required, submit_form
from . import password_links, services, sessions
from .models import Role, User

bp = Blueprint("accounts", __name__, url_prefix="/accounts")
ADMIN = Role.ADMINISTRATOR


class InviteForm(OneTimeForm):
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired("Enter their email address"),
        Email("Enter an email address like name@council.gov.uk"), Length(max=254)])
    display_name = StringField("Name", widget=GovTextInput(),
                               validators=[DataRequired("Enter their name"), Length(max=120)])
    role = RadioField("Role", widget=GovRadioInput(), validators=[
        DataRequired("Choose their role")], choices=choices((r.value, r.label) for r in Role))
    homes = SelectMultipleField("Homes", widget=GovCheckboxesInput(), coerce=int,
                                description="Registered managers and home staff see only these")
    submit = SubmitField("Invite", widget=GovSubmitInput())


class ActionForm(OneTimeForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


@bp.route("")
@roles_required(ADMIN)
def index():
    users = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    now = clock.utcnow()
    # formdata=None: fresh nonces, also when the page answers a replayed post (_act)
    return render_template("auth/accounts.html", users=users, action=ActionForm(formdata=None),
                           now=now, live=sessions.live_counts(now), title="Accounts")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    form = InviteForm()
    form.homes.choices = choices(
        (h.id, h.name) for h in db.session.scalars(select(Home).order_by(Home.name)))

    def action():
        homes = db.session.scalars(select(Home).where(Home.id.in_(form.homes.data))).all()
        user = services.create_user(form.email.data, form.role.data,
                                    form.display_name.data, homes, actor=current_user)
        return render_template("auth/invited.html", user=user, link=_link(user),
                               title="Account created")

    return submit_form(form, "auth/invite.html", action, title="Invite someone")


def _link(user: User) -> str:
    hours, now = current_app.config["SET_PASSWORD_LINK_HOURS"], clock.utcnow()
    token = password_links.issue_set_password_token(user, now, hours, actor=current_user)
    account_notices.link_issued(user, current_user, now)
    return external_url("auth.set_password", token=token)


def _act(user_id: int, action, message: str):
    form = ActionForm()
    user = db.session.get(User, user_id)
    if user is None:
        return render_template("errors/error.html", code=404, title="Page not found",
                               text="There is no such account."), 404

    def act():
        return action(user) or (message.format(email=user.email), url_for(".index"))

    def refused(error: DomainError, status: int):
        flash(error.message, "info")
        # A replayed form is 409 on the accounts page itself: a redirect cannot carry it.
        return (index(), status) if status == 409 else redirect(url_for(".index"))

    answer = post_once(form, act, refused)
    if answer is None:
        flash("That did not work: reload the page and try again.", "info")
        return redirect(url_for(".index"))
    return answer


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@roles_required(ADMIN)
def unlock(user_id: int):
    return _act(user_id, lambda u: services.unlock(u, actor=current_user),
                "{email} can sign in again")


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@roles_required(ADMIN)
def deactivate(user_id: int):
    return _act(user_id, lambda u: services.set_active(u, False, actor=current_user),
                "{email} is deactivated: their sessions have ended")


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@roles_required(ADMIN)
def reactivate(user_id: int):
    return _act(user_id, lambda u: services.set_active(u, True, actor=current_user),
                "{email} is active again")


@bp.route("/<int:user_id>/link", methods=["POST"])
@roles_required(ADMIN)
def new_link(user_id: int):
    def issue(user: User):
        link = _link(user)
        db.session.commit()
        return render_template("auth/invited.html", user=user, link=link, title="New link")

    return _act(user_id, issue, "")


@bp.route("/<int:user_id>/end-sessions", methods=["POST"])
@roles_required(ADMIN)
def end_sessions(user_id: int):
    return _act(user_id, lambda u: services.end_sessions(u, actor=current_user) and None,
                "{email} is signed out everywhere")


@bp.route("/<int:user_id>/reset-two-factor", methods=["POST"])
@roles_required(ADMIN)
def reset_two_factor(user_id: int):
    return _act(user_id, lambda u: services.reset_two_factor(u, actor=current_user),
                "{email}'s two-factor authentication is reset: their sessions have ended and "
                "they set it up again when they next sign in")
