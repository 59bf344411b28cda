"""The audit log, read-only and filterable, for administrators."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Optional

from ..auth.models import Role, User
from ..clock import LONDON
from ..extensions import db
from ..homes.models import Home
from ..web import choices, roles_required
from .models import AuditEvent

bp = Blueprint("audit", __name__)
PAGE = 50


class AuditFilter(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    actor = StringField("Person (email contains)", widget=GovTextInput(), validators=[Optional()])
    action = StringField("Action (e.g. placement.admit)", widget=GovTextInput(),
                         validators=[Optional()])
    subject_type = SelectField("Record type", widget=GovSelect(), validators=[Optional()],
                               choices=choices([("", "Any")]))
    subject_id = IntegerField("Record number", widget=GovTextInput(), validators=[Optional()])
    home_id = SelectField("Home", widget=GovSelect(), validators=[Optional()], coerce=str)
    since = DateField("From (YYYY-MM-DD)", widget=GovTextInput(), validators=[Optional()],
                      format="%Y-%m-%d")
    until = DateField("To (YYYY-MM-DD)", widget=GovTextInput(), validators=[Optional()],
                      format="%Y-%m-%d")
    submit = SubmitField("Filter", widget=GovSubmitInput())


@bp.route("/audit")
@roles_required(Role.ADMINISTRATOR)
def index():
    form = AuditFilter(request.args)
    form.subject_type.choices = choices([("", "Any")] + [
        (t, t.replace("_", " ")) for t in sorted(db.metadata.tables)])
    form.home_id.choices = choices([("", "Any")] + [
        (h.id, h.name) for h in db.session.scalars(select(Home).order_by(Home.name))])
    page = max(request.args.get("page", 1, type=int), 1)
    stmt = _filtered(form) if form.validate() else select(AuditEvent).where(False)
    events = db.session.scalars(stmt.order_by(AuditEvent.id.desc())
                                .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    return render_template("audit/index.html", form=form, events=events[:PAGE], page=page,
                           more=len(events) > PAGE, title="Audit log")


def _filtered(form: AuditFilter):
    stmt = select(AuditEvent)
    if form.actor.data:
        stmt = stmt.join(User, User.id == AuditEvent.actor_id).where(
            User.email.contains(form.actor.data.strip().lower()))
    if form.action.data:
        stmt = stmt.where(AuditEvent.action.startswith(form.action.data.strip()))
    if form.subject_type.data:
        stmt = stmt.where(AuditEvent.subject_type == form.subject_type.data)
    if form.subject_id.data is not None:
        stmt = stmt.where(AuditEvent.subject_id == form.subject_id.data)
    if form.home_id.data:
        stmt = stmt.where(AuditEvent.home_id == int(form.home_id.data))
    if form.since.data:
        stmt = stmt.where(AuditEvent.occurred_at >= _london_midnight(form.since.data))
    if form.until.data:
        stmt = stmt.where(AuditEvent.occurred_at <
                          _london_midnight(form.until.data + timedelta(days=1)))
    return stmt


def _london_midnight(day) -> datetime:
    return datetime.combine(day, time(), LONDON)
