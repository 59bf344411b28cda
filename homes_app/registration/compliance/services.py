"""The compliance calendar of open homes: start it, record what was done (which schedules
the next occurrence from the date it was done), record Ofsted inspections (whose judgement
sets the next inspection window) and the Reg 40 notifications log.

Each service takes the acting user and `today` (or `now`), locks the home's row, checks the
rules, changes rows, writes the audit entry and flushes; it never commits.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from ... import clock
from ...audit.services import record, snapshot
from ...auth.services import may_record_moves
from ...common.dates import long_date
from ...errors import DomainError, NotAllowed
from ...extensions import db
from ...homes.models import Home
from ...homes.services import lock_home
from . import recurrence
from .models import (
    INSPECTION_TYPES,
    JUDGEMENT_AREAS,
    JUDGEMENTS,
    OPEN_STATUSES,
    ComplianceOccurrence,
    ComplianceRule,
    InspectionOutcome,
)
from .queries import latest_inspections


def require_manager(actor, home_id: int) -> None:
    if actor is None or not may_record_moves(actor, home_id):
        raise NotAllowed()


# ---- starting the calendar -----------------------------------------------------------------

def ensure_calendar(home_ids: list[int] | None = None, *, actor, today: date) -> int:
    """Give each open home (all, or those in `home_ids`) an open occurrence of every active
    rule it lacks one of: due one interval after its last completion, or after registration,
    or today for a home open before the calendar began (so the last time gets recorded).
    Idempotent; returns how many occurrences it made."""
    stmt = select(Home).where(Home.status.in_(OPEN_STATUSES)).order_by(Home.id)
    if home_ids is not None:
        stmt = stmt.where(Home.id.in_(home_ids))
    homes = db.session.scalars(stmt).all()
    rules = db.session.scalars(select(ComplianceRule).where(ComplianceRule.active.is_(True))
                               .order_by(ComplianceRule.position, ComplianceRule.id)).all()
    if not homes or not rules:
        return 0
    ids = [h.id for h in homes]
    open_pairs = set(db.session.execute(
        select(ComplianceOccurrence.home_id, ComplianceOccurrence.rule_id).where(
            ComplianceOccurrence.completed_on.is_(None), ComplianceOccurrence.kind == "due",
            ComplianceOccurrence.home_id.in_(ids))).all())
    last_done = dict(((h, r), day) for h, r, day in db.session.execute(
        select(ComplianceOccurrence.home_id, ComplianceOccurrence.rule_id,
               func.max(ComplianceOccurrence.completed_on))
        .where(ComplianceOccurrence.kind == "due", ComplianceOccurrence.home_id.in_(ids))
        .group_by(ComplianceOccurrence.home_id, ComplianceOccurrence.rule_id)) if day)
    latest = latest_inspections(ids)
    made = 0
    for home in homes:
        added = {}
        for rule in rules:
            if (home.id, rule.id) in open_pairs:
                continue
            opens, due = first_occurrence(rule, home.registered_on, latest.get(home.id),
                                          last_done.get((home.id, rule.id)), today)
            db.session.add(ComplianceOccurrence(home_id=home.id, rule_id=rule.id, kind="due",
                                                opens_on=opens, due_on=due))
            added[rule.key] = due.isoformat()
        if added:
            made += len(added)
            record(actor, "compliance.calendar_start", home, after=added, home_id=home.id)
    return made


def first_occurrence(rule: ComplianceRule, registered_on: date | None,
                     latest: InspectionOutcome | None, last_done: date | None,
                     today: date) -> tuple[date | None, date]:
    """(window opens, due) for a rule's first open occurrence at a home."""
    if rule.schedule == "inspection_year":
        known = (latest.inspected_on, latest.overall_experiences) if latest else None
        return recurrence.first_inspection_window(today, known)
    if last_done is not None:
        return None, recurrence.next_due(last_done, rule.interval_months)
    return None, recurrence.first_due(registered_on, rule.interval_months, today)


# ---- recording what was done ---------------------------------------------------------------

def _locked_occurrence(occurrence_id: int) -> ComplianceOccurrence:
    occurrence = db.session.get(ComplianceOccurrence, occurrence_id)
    if occurrence is None:
        raise DomainError("That obligation is not on the calendar")
    return occurrence


def complete_occurrence(occurrence_id: int, *, completed_on: date | None, done_by: str,
                        outcome: str, note: str, actor, today: date) -> ComplianceOccurrence:
    """Record that an obligation was done: on which date (not in the future, not before the
    last time), by whom, the outcome and a note. The next occurrence falls due one interval
    after `completed_on`, and a report (Reg 45's) falls due its days after it."""
    occurrence = _locked_occurrence(occurrence_id)
    require_manager(actor, occurrence.home_id)
    lock_home(occurrence.home_id)
    db.session.refresh(occurrence)
    rule = occurrence.rule
    if occurrence.completed_on is not None:
        raise DomainError(f"This was already recorded as done on {long_date(occurrence.completed_on)}")
    if rule.schedule == "inspection_year" and occurrence.kind == "due":
        raise DomainError("Record the inspection's outcome and judgements instead")
    if completed_on is None:
        raise DomainError("Enter the date it was done", "completed_on")
    if completed_on > today:
        raise DomainError(f"The date it was done cannot be in the future ({long_date(completed_on)})",
                          "completed_on")
    _not_before_last(occurrence, completed_on)
    done_by, outcome, note = (done_by or "").strip(), (outcome or "").strip(), \
        (note or "").strip()
    if not done_by:
        raise DomainError("Enter who did it", "done_by")
    check_lengths(done_by=(done_by, 120, "Who did it"), outcome=(outcome, 200, "The outcome"))
    before = snapshot(occurrence)
    occurrence.completed_on, occurrence.done_by = completed_on, done_by
    occurrence.outcome, occurrence.note = outcome, note
    occurrence.completed_at, occurrence.completed_by_id = clock.utcnow(), actor.id
    db.session.flush()
    after = snapshot(occurrence)
    after.update(_schedule_next(occurrence, rule, completed_on))
    record(actor, "compliance.complete", occurrence, before=before, after=after,
           home_id=occurrence.home_id)
    return occurrence


def _not_before_last(occurrence: ComplianceOccurrence, completed_on: date) -> None:
    if occurrence.kind == "report":
        done = occurrence.follows.completed_on if occurrence.follows else None
        if done and completed_on < done:
            raise DomainError(f"The report cannot be sent before the review was done "
                              f"({long_date(done)})", "completed_on")
        return
    last = db.session.scalar(select(func.max(ComplianceOccurrence.completed_on)).where(
        ComplianceOccurrence.home_id == occurrence.home_id,
        ComplianceOccurrence.rule_id == occurrence.rule_id,
        ComplianceOccurrence.kind == "due"))
    if last is not None and completed_on < last:
        raise DomainError(f"It was last done on {long_date(last)}; this time cannot be earlier",
                          "completed_on")


def check_lengths(**fields: tuple[str, int, str]) -> None:
    for field, (value, limit, what) in fields.items():
        if len(value) > limit:
            raise DomainError(f"{what} must be {limit} characters or fewer", field)


def _schedule_next(occurrence: ComplianceOccurrence, rule: ComplianceRule,
                   completed_on: date) -> dict:
    """The next occurrence and any report, as the audit entry names them."""
    scheduled = {}
    if occurrence.kind != "due":
        return scheduled
    if rule.active and rule.schedule == "months":
        due = recurrence.next_due(completed_on, rule.interval_months)
        db.session.add(ComplianceOccurrence(home_id=occurrence.home_id, rule_id=rule.id,
                                            kind="due", due_on=due))
        scheduled["next_due_on"] = due.isoformat()
    if rule.report_due_days:
        due = completed_on + timedelta(days=rule.report_due_days)
        db.session.add(ComplianceOccurrence(home_id=occurrence.home_id, rule_id=rule.id,
                                            kind="report", follows_id=occurrence.id,
                                            due_on=due))
        scheduled["report_due_on"] = due.isoformat()
    db.session.flush()
    return scheduled


# ---- Ofsted inspections --------------------------------------------------------------------

def record_inspection(home_id: int, *, inspected_on: date | None, inspection_type: str,
                      judgements: dict[str, str | None], note: str, actor,
                      today: date) -> InspectionOutcome:
    """Record an Ofsted inspection; a full inspection has the three judgements. The latest
    full inspection completes the open inspection window and sets the next one: the next
    inspection year, or its next half after requires improvement or inadequate."""
    require_manager(actor, home_id)
    home = lock_home(home_id)
    if home.status not in OPEN_STATUSES:
        raise DomainError(f"Ofsted inspects {home.name} once it is registered")
    _inspection_rules(home, inspected_on, inspection_type, judgements, today)
    outcome = InspectionOutcome(home_id=home_id, inspected_on=inspected_on,
                                inspection_type=inspection_type, note=(note or "").strip(),
                                recorded_by_id=actor.id, recorded_at=clock.utcnow(),
                                **{a: judgements.get(a) or None for a in JUDGEMENT_AREAS})
    db.session.add(outcome)
    db.session.flush()
    after = snapshot(outcome)
    if inspection_type == "full":
        after.update(_next_window(home_id, outcome, actor))
    record(actor, "compliance.inspection_record", outcome, after=after, home_id=home_id)
    return outcome


def _inspection_rules(home: Home, inspected_on: date | None, kind: str, judgements: dict,
                      today: date) -> None:
    if inspected_on is None:
        raise DomainError("Enter the date of the inspection", "inspected_on")
    if inspected_on > today:
        raise DomainError(f"The inspection date cannot be in the future ({long_date(inspected_on)})",
                          "inspected_on")
    if home.registered_on and inspected_on < home.registered_on:
        raise DomainError(f"{home.name} was registered on {long_date(home.registered_on)}; the "
                          "inspection cannot be before that", "inspected_on")
    if kind not in INSPECTION_TYPES:
        raise DomainError("Select the type of inspection", "inspection_type")
    for area, label in JUDGEMENT_AREAS.items():
        value = judgements.get(area) or None
        if value is not None and value not in JUDGEMENTS:
            raise DomainError("Select a judgement from the list", area)
        if kind == "full" and value is None:
            raise DomainError(f"Select the judgement for {label[0].lower()}{label[1:]}", area)
        if kind != "full" and value is not None:
            raise DomainError(f"Only a full inspection has judgements; a "
                              f"{INSPECTION_TYPES[kind].lower()} does not", area)
    if db.session.scalar(select(InspectionOutcome.id).where(
            InspectionOutcome.home_id == home.id, InspectionOutcome.inspected_on == inspected_on,
            InspectionOutcome.inspection_type == kind)):
        raise DomainError(f"A {INSPECTION_TYPES[kind].lower()} on {long_date(inspected_on)} is "
                          "already recorded", "inspected_on")


def _next_window(home_id: int, outcome: InspectionOutcome, actor) -> dict:
    """Complete the open window with the latest full inspection and open the next one; an
    older inspection entered late only moves a window that has not opened yet."""
    latest = db.session.scalar(select(func.max(InspectionOutcome.inspected_on)).where(
        InspectionOutcome.home_id == home_id, InspectionOutcome.inspection_type == "full"))
    if latest != outcome.inspected_on:
        return {}
    rule = db.session.scalar(select(ComplianceRule).where(
        ComplianceRule.schedule == "inspection_year", ComplianceRule.active.is_(True))
        .order_by(ComplianceRule.position).limit(1))
    if rule is None:
        return {}
    opens, closes = recurrence.next_inspection_window(outcome.inspected_on,
                                                      outcome.overall_experiences)
    current = db.session.scalar(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == home_id, ComplianceOccurrence.rule_id == rule.id,
        ComplianceOccurrence.kind == "due", ComplianceOccurrence.completed_on.is_(None)))
    if current is not None and current.opens_on and current.opens_on > outcome.inspected_on:
        current.opens_on, current.due_on = opens, closes  # not open yet: set it afresh
    else:
        if current is not None:
            current.completed_on, current.completed_at = outcome.inspected_on, clock.utcnow()
            current.completed_by_id, current.done_by = getattr(actor, "id", None), "Ofsted"
            current.outcome = JUDGEMENTS[outcome.overall_experiences]
            db.session.flush()
        db.session.add(ComplianceOccurrence(home_id=home_id, rule_id=rule.id, kind="due",
                                            opens_on=opens, due_on=closes))
    db.session.flush()
    return {"next_window_opens_on": opens.isoformat(), "next_window_closes_on": closes.isoformat()}


# The Reg 40 log lives in reg40.py to keep modules short; this module names it too.
