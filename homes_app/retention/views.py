"""Records past retention, for administrators to confirm disposal or keep with a reason."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from .. import clock
from ..auth.models import Role
from ..errors import DomainError
from ..extensions import db
from ..web import OneTimeForm, post_once, roles_required
from . import rules, services
from .models import RetentionReview

bp = Blueprint("retention", __name__, url_prefix="/retention")
RECENT = 20


class DisposeForm(OneTimeForm):
    review_id = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    submit = SubmitField("Confirm disposal")


class KeepForm(OneTimeForm):
    review_id = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    reason = TextAreaField("Why it must be kept", widget=GovTextArea(),
                           description="For example a legal hold, an inquiry or a subject "
                           "access request. Do not write the child's or person's name.")
    submit = SubmitField("Keep it")


def _page(failed: KeepForm | None = None, status: int = 200):
    awaiting = services.awaiting()
    recent = db.session.scalars(
        select(RetentionReview).options(joinedload(RetentionReview.decided_by))
        .where(RetentionReview.state != "awaiting")
        .order_by(RetentionReview.decided_at.desc(), RetentionReview.id.desc())
        .limit(RECENT)).all()
    keep_forms = {r.id: KeepForm(formdata=None, review_id=r.id) for r in awaiting}
    if failed is not None and failed.review_id.data in keep_forms:
        keep_forms[failed.review_id.data] = failed
    return render_template(
        "retention/index.html", awaiting=awaiting, recent=recent, rules=rules.RULES,
        dispose_forms={r.id: DisposeForm(formdata=None, review_id=r.id) for r in awaiting},
        keep_forms=keep_forms, describe=describe, title="Records past retention"), status


def describe(review: RetentionReview) -> str:
    """What the finding is, without anything about the person: the type and internal id."""
    rule = rules.RULES[review.record_type]
    if rule.monthly:
        first, _ = rules.month_of(review.record_id)
        return f"{rule.label} of {first:%B %Y} ({review.record_count} records)"
    return f"{rule.label}, internal id {review.record_id}"


@bp.route("")
@roles_required(Role.ADMINISTRATOR)
def index():
    return _page()


def _flashed(error: DomainError, status: int):
    """A refusal flashed on the list; a replayed form is answered 409 with the list itself
    (a redirect cannot carry the status)."""
    flash(error.message, "info")
    return _page(status=status) if status == 409 else redirect(url_for(".index"))


def _post(form, action, refused=_flashed):
    """web.post_once for the buttons on the list; a form that did not validate goes back."""
    answer = post_once(form, action, refused)
    if answer is None:
        flash("That did not work: reload the page and try again.", "info")
        return redirect(url_for(".index"))
    return answer


@bp.route("/dispose", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def dispose():
    form = DisposeForm()

    def action():
        review = db.session.get(RetentionReview, form.review_id.data)
        count = services.dispose(review, actor=current_user, now=clock.utcnow())
        return f"Disposed of: {describe(review)}. {count} records changed.", url_for(".index")

    return _post(form, action)


@bp.route("/keep", methods=["POST"])
@roles_required(Role.ADMINISTRATOR)
def keep():
    form = KeepForm()

    def action():
        review = db.session.get(RetentionReview, form.review_id.data)
        services.keep(review, form.reason.data, actor=current_user, now=clock.utcnow())
        return (f"Kept: {describe(review)}. It comes back for another look in a year.",
                url_for(".index"))

    def refused(error: DomainError, status: int):
        if error.field != "reason":
            return _flashed(error, status)
        form.reason.errors = [error.message]
        return _page(failed=form, status=status)

    return _post(form, action, refused)
