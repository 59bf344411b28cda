"""The audit log, read-only and filterable, and who has seen a child's record: for
administrators. An event's before and after values show only to those who may open the record
itself (auth.services.may_see_audit_values): an administrator reads that a child's needs
changed, who changed them and when, not what they are. Each search is itself audited."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import NumberRange, Optional

from ..auth.models import Role, User
from ..auth.services import may_see_audit_values
from ..clock import LONDON
from ..extensions import db
from ..fields import reachable_date
from ..homes.models import Home
from ..placements.models import Child
from ..types import LARGEST_INTEGER
from ..web import CheckedForm, audited_read, choices, roles_required, writes_on_get
from .models import AuditEvent
from .personal_data import READS
from .queries import events_naming_child

bp = Blueprint("audit", __name__)
PAGE = 50
LAST_PAGE = 100_000  # far past any real log; keeps the offset a number the database takes
TERMS = ("actor", "action", "subject_type", "subject_id", "home_id", "since", "until", "page")


class AuditFilter(CheckedForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    actor = StringField("Person (email contains)", widget=GovTextInput(), validators=[Optional()])
    action = StringField("Action (e.g. placement.admit)", widget=GovTextInput(),
                         validators=[Optional()])
    subject_type = SelectField("Record type", widget=GovSelect(), validators=[Optional()],
                               choices=choices([("", "Any")]))
    subject_id = IntegerField("Record number", widget=GovTextInput(), validators=[
        Optional(), NumberRange(0, LARGEST_INTEGER, "Enter a record number shown in the log")])
    home_id = SelectField("Home", widget=GovSelect(), validators=[Optional()], coerce=str)
    since = DateField("From (YYYY-MM-DD)", widget=GovTextInput(),
                      validators=[Optional(), reachable_date],
                      format="%Y-%m-%d")
    until = DateField("To (YYYY-MM-DD)", widget=GovTextInput(),
                      validators=[Optional(), reachable_date],
                      format="%Y-%m-%d")
    submit = SubmitField("Filter", widget=GovSubmitInput())


@bp.route("/audit")
@roles_required(Role.ADMINISTRATOR)
@writes_on_get
def index():
    form = AuditFilter(request.args)
    form.subject_type.choices = choices([("", "Any")] + [
        (t, t.replace("_", " ")) for t in sorted(db.metadata.tables)])
    form.home_id.choices = choices([("", "Any")] + [
        (h.id, h.name) for h in db.session.scalars(select(Home).order_by(Home.name))])
    page = _page_number()
    valid = form.validate()
    stmt = _filtered(form) if valid else select(AuditEvent).where(False)
    events = db.session.scalars(stmt.order_by(AuditEvent.id.desc())
                                .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    child_id = _child_searched(form) if valid else None
    html = render_template("audit/index.html", form=form, events=events[:PAGE], page=page,
                           more=len(events) > PAGE, title="Audit log", child_id=child_id,
                           **_showing())
    # Who searched the log for what is itself recorded; a search for a child's events names it.
    return audited_read(html, "audit.search", [child_id] if child_id else [],
                        subject_type="audit_events", details={
                            k: request.args[k][:100] for k in TERMS if request.args.get(k)})


@bp.route("/audit/children/<int:child_id>")
@roles_required(Role.ADMINISTRATOR)
@writes_on_get
def child_seen(child_id: int):
    """Who has seen or changed a child's record: every event naming the child, the lists and
    exports that showed them included. The child is named by record number only."""
    if db.session.get(Child, child_id) is None:
        abort(404)
    page = _page_number()
    events = events_naming_child(child_id, offset=(page - 1) * PAGE, limit=PAGE + 1)
    html = render_template("audit/child_seen.html", child_id=child_id, events=events[:PAGE],
                           page=page, more=len(events) > PAGE,
                           title=f"Who has seen child {child_id}'s record", **_showing())
    return audited_read(html, "audit.child_seen", [child_id], subject_id=child_id)


def _page_number() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)


def _showing() -> dict:
    """What the event templates need: reads in words, and whose values this user may see."""
    return {"reads": READS,
            "values_shown": lambda e: may_see_audit_values(current_user, e.subject_type)}


def _child_searched(form: AuditFilter) -> int | None:
    if form.subject_type.data == "children" and form.subject_id.data is not None:
        return form.subject_id.data
    return None


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
