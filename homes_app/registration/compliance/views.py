"""Compliance pages: the due-and-overdue list across homes (directors: all; managers: theirs),
a home's calendar (its staff may read it), recording what was done, inspections and the Reg 40
notifications log (the home's registered manager writes), and the rules (administrators).

Roles are checked on every route; another home's records are 404. Each form view runs one
service and commits once (pages.submit).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import clock
from ...auth.models import Role
from ...auth.services import homes_in_scope, may_record_moves
from ...errors import DomainError
from ...extensions import db
from ...web import current_actor, get_in_scope, post_once, roles_required
from .. import seed
from ..pages import home_in_scope, submit
from ..templates.forms import MoveForm
from . import queries, reg40
from . import rules as compliance_rules
from . import services as calendar_services
from .forms import InspectionForm, NewRuleForm, NotifiedForm, OccurrenceForm, Reg40Form, RuleForm
from .models import (
    INSPECTION_TYPES,
    JUDGEMENT_AREAS,
    JUDGEMENTS,
    REG40_EVENTS,
    REG40_RECIPIENTS,
    SCHEDULES,
    ComplianceOccurrence,
    ComplianceRule,
    Reg40Notification,
)
from .recurrence import reg40_deadline, reg40_overdue

bp = Blueprint("compliance", __name__)

ADMIN, DIRECTOR = Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR
MANAGER, STAFF = Role.REGISTERED_MANAGER, Role.HOME_STAFF
LABELS = dict(INSPECTION_TYPES=INSPECTION_TYPES, JUDGEMENTS=JUDGEMENTS,
              JUDGEMENT_AREAS=JUDGEMENT_AREAS, REG40_EVENTS=REG40_EVENTS,
              REG40_RECIPIENTS=REG40_RECIPIENTS, SCHEDULES=SCHEDULES)


@bp.route("/due")
@roles_required(DIRECTOR, ADMIN, MANAGER)
def due_all():
    due = queries.due_list(homes_in_scope(current_user), clock.today(), clock.now())
    recordable = [h.id for h in current_user.homes] if current_user.role == MANAGER else []
    return render_template("registration/due.html", due=due, today=clock.today(),
                           recordable=recordable, title="Due and overdue", **LABELS)


def _calendar_page(home_id: int) -> str:
    return url_for("compliance.calendar", home_id=home_id)


@bp.route("/homes/<int:home_id>/due")
@roles_required(DIRECTOR, ADMIN, MANAGER, STAFF)
def calendar(home_id: int):
    home = home_in_scope(home_id)
    cal = queries.calendar(home, clock.today(), clock.now())
    can_record = may_record_moves(current_user, home.id)
    # formdata=None: a fresh nonce, also when the page answers a replayed post (_tap)
    return render_template("registration/calendar.html", home=home, cal=cal, today=clock.today(),
                           can_record=can_record,
                           start=MoveForm(formdata=None) if can_record else None,
                           see_reg40=current_user.role != STAFF,
                           title=f"Due and overdue: {home.name}", **LABELS)


def _tap(action, back: str, page):
    """A one-button post: a refusal is flashed on the page it goes back to. A replayed form is
    answered 409 with that page itself (`page()`), since a redirect cannot carry the status."""
    def refused(error: DomainError, status: int):
        flash(error.message, "important")
        return (page(), status) if status == 409 else redirect(back)

    answer = post_once(MoveForm(), action, refused)
    return redirect(back) if answer is None else answer


@bp.route("/homes/<int:home_id>/due/start", methods=["POST"])
@roles_required(MANAGER)
def start_calendar(home_id: int):
    home = home_in_scope(home_id)

    def action():
        made = calendar_services.ensure_calendar([home.id], actor=current_actor(),
                                                 today=clock.today())
        return (f"{made} obligation{'s' if made != 1 else ''} added to the calendar" if made
                else "Every rule is already on the calendar"), _calendar_page(home.id)

    return _tap(action, _calendar_page(home.id), lambda: calendar(home.id))


@bp.route("/occurrences/<int:occurrence_id>/complete", methods=["GET", "POST"])
@roles_required(MANAGER)
def complete(occurrence_id: int):
    occurrence = get_in_scope(ComplianceOccurrence, occurrence_id)
    if occurrence.rule.schedule == "inspection_year" and occurrence.kind == "due":
        return redirect(url_for(".new_inspection", home_id=occurrence.home_id))
    form = OccurrenceForm(data={"completed_on": clock.today()})
    home, title = occurrence.home, occurrence.title

    def action():
        calendar_services.complete_occurrence(
            occurrence.id, completed_on=form.completed_on.data, done_by=form.done_by.data,
            outcome=form.outcome.data, note=form.note.data, actor=current_actor(), today=clock.today())
        return f"{title} is recorded as done", _calendar_page(home.id)

    return submit(form, "homes/form_page.html", action, home=home,
                  heading=f"Record as done: {title}",
                  caption=f"{home.name} · due {occurrence.due_on:%-d %B %Y}",
                  back=_calendar_page(home.id))


@bp.route("/homes/<int:home_id>/inspections/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_inspection(home_id: int):
    home = home_in_scope(home_id)
    form = InspectionForm(data={"inspection_type": "full"})

    def action():
        calendar_services.record_inspection(
            home.id, inspected_on=form.inspected_on.data,
            inspection_type=form.inspection_type.data, judgements=form.judgements(),
            note=form.note.data, actor=current_actor(), today=clock.today())
        return "The inspection is recorded", _calendar_page(home.id)

    return submit(form, "homes/form_page.html", action, home=home,
                  heading="Record an Ofsted inspection", caption=home.name,
                  back=_calendar_page(home.id))


# ---- Reg 40 ---------------------------------------------------------------------------------

def _log_page(home_id: int) -> str:
    return url_for("compliance.notifications", home_id=home_id)


@bp.route("/homes/<int:home_id>/notifications")
@roles_required(DIRECTOR, ADMIN, MANAGER)
def notifications(home_id: int):
    home = home_in_scope(home_id)
    items = db.session.scalars(select(Reg40Notification).where(
        Reg40Notification.home_id == home.id).order_by(Reg40Notification.event_at.desc())).all()
    now = clock.now()
    return render_template(
        "registration/notifications.html", home=home, items=items,
        deadline={n.id: reg40_deadline(n.event_at) for n in items},
        overdue={n.id: reg40_overdue(n.event_at, n.notified_at, now) for n in items},
        can_record=may_record_moves(current_user, home.id),
        title=f"Reg 40 notifications: {home.name}", **LABELS)


@bp.route("/homes/<int:home_id>/notifications/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_notification(home_id: int):
    home = home_in_scope(home_id)
    form = Reg40Form()

    def action():
        reg40.record_reg40(
            home.id, event_type=form.event_type.data, event_at=form.event_at(),
            summary=form.summary.data, notified_at=form.notified_at(),
            notified_to=form.notified_to.data or [], actor=current_actor(), now=clock.now())
        return "The event is in the Reg 40 log", _log_page(home.id)

    return submit(form, "registration/reg40_form.html", action, home=home,
                  heading="Log a Reg 40 event", back=_log_page(home.id))


@bp.route("/notifications/<int:notification_id>/notified", methods=["GET", "POST"])
@roles_required(MANAGER)
def notified(notification_id: int):
    item = get_in_scope(Reg40Notification, notification_id)
    form = NotifiedForm()
    home = item.home

    def action():
        reg40.record_notified(item.id, notified_at=form.notified_at(),
                                          notified_to=form.notified_to.data or [],
                                          actor=current_actor(), now=clock.now())
        return "The notification is recorded", _log_page(home.id)

    return submit(form, "registration/reg40_form.html", action, home=home, item=item,
                  deadline=reg40_deadline(item.event_at), REG40_EVENTS=REG40_EVENTS,
                  heading="Record the notification", back=_log_page(home.id))


# ---- rules (administrators) -----------------------------------------------------------------

def _rules_page() -> str:
    return url_for("compliance.rules")


@bp.route("/compliance/rules")
@roles_required(ADMIN)
def rules():
    found = db.session.scalars(select(ComplianceRule).order_by(ComplianceRule.position,
                                                               ComplianceRule.id)).all()
    return render_template("registration/rules.html", rules=found,
                           seed_form=MoveForm(formdata=None),  # fresh nonce (see _tap)
                           title="Compliance rules", **LABELS)


@bp.route("/compliance/rules/seed", methods=["POST"])
@roles_required(ADMIN)
def seed_rules():
    def action():
        added = seed.seed_rules(current_actor(), again=True)
        calendar_services.ensure_calendar(actor=current_actor(), today=clock.today())
        return (f"{added} standard rules loaded" if added else "There are rules already",
                _rules_page())

    return _tap(action, _rules_page(), rules)


@bp.route("/compliance/rules/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_rule():
    form = NewRuleForm(data={"schedule": "months", "notice_days": 30})

    def action():
        rule = compliance_rules.add_rule(
            name=form.name.data, schedule=form.schedule.data,
            interval_months=form.interval_months.data, report_name=form.report_name.data,
            report_due_days=form.report_due_days.data, notice_days=form.notice_days.data,
            actor=current_actor(), today=clock.today())
        return f"{rule.name} applies to every open home", _rules_page()

    return submit(form, "homes/form_page.html", action, heading="Add a compliance rule",
                  back=_rules_page())


@bp.route("/compliance/rules/<int:compliance_rule_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_rule(compliance_rule_id: int):
    rule = db.session.get(ComplianceRule, compliance_rule_id)
    if rule is None:
        abort(404)
    form = RuleForm(data={"name": rule.name, "interval_months": rule.interval_months,
                          "report_name": rule.report_name,
                          "report_due_days": rule.report_due_days,
                          "notice_days": rule.notice_days, "active": rule.active})
    if rule.schedule != "months":
        del form.interval_months

    def action():
        saved = compliance_rules.update_rule(
            rule.id, name=form.name.data,
            interval_months=form.interval_months.data if "interval_months" in form else None,
            report_name=form.report_name.data, report_due_days=form.report_due_days.data,
            notice_days=form.notice_days.data, active=form.active.data, actor=current_actor(),
            today=clock.today())
        return f"{saved.name} has been saved", _rules_page()

    return submit(form, "homes/form_page.html", action, heading=f"Change: {rule.name}",
                  caption=SCHEDULES[rule.schedule], back=_rules_page())
