"""Demo registration and compliance, through the same services the pages use: the council's
template and rules; Wrenfold House's registration plan part-way, with the works running late
and driving its opening date; and for the open homes, their compliance calendars with recent
history (one certificate overdue), an Ofsted inspection each and a Reg 40 log."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..clock import LONDON
from ..extensions import db
from ..homes.models import Home
from ..registration import seed
from ..registration.compliance import reg40
from ..registration.compliance import services as calendar
from ..registration.compliance.models import ComplianceOccurrence, ComplianceRule
from ..registration.compliance.recurrence import add_months
from ..registration.plans import completion
from ..registration.plans import services as plans
from ..registration.plans.models import PlanStep

REGISTERING = "Wrenfold House"
PLAN_DAYS = 200  # the plan started this many days ago
# Steps done, days after the plan started, and the evidence noted (the works are late).
DONE = (
    ("Property", 55, "Lease signed with the council's estates team"),
    ("Statement of Purpose", 88, "Statement of Purpose v1 approved by the responsible "
                                 "individual"),
    ("Registered manager", 131, "Tom Aldersey appointed; enhanced DBS with barred list clear"),
    ("SC1", 147, "SC1 submitted on the Ofsted portal; fee of £3,284 paid"),
    ("SC2", 150, "SC2s submitted for the registered manager and responsible individual"),
)
# Each open home's latest full inspection: days ago and Ofsted's three judgements.
INSPECTIONS = {
    "Heatherbank House": (290, ("good", "good", "requires_improvement")),
    "Larchfield Close": (240, ("outstanding", "outstanding", "outstanding")),
    "Moss Lane": (150, ("requires_improvement", "good", "requires_improvement")),
    "Kestrel Cottage": (330, ("good", "good", "good")),
    "Brackenridge": (60, ("good", "outstanding", "good")),
}
OVERDUE = ("Brackenridge", "fire")  # this home's fire risk assessment is 12 days overdue
HISTORY = {"reg44": 6, "reg45": 2}  # completions recorded back in time (others: one)


def load_registration(homes: dict[str, Home], people: dict, today: date, seed_: int) -> None:
    rng = random.Random(seed_ * 7919 + 44)
    seed.seed_template(people["admin"])
    seed.seed_rules(people["admin"])
    _plan(homes[REGISTERING], people, today)
    calendar.ensure_calendar(actor=people["admin"], today=today)
    rules = db.session.scalars(select(ComplianceRule).order_by(ComplianceRule.position)).all()
    for home in homes.values():
        if home.status != "registered":
            continue
        manager = _manager(home, people)
        _inspection(home, manager, today)
        for rule in rules:
            if rule.schedule == "months":
                _history(home, rule, manager, today, rng)
        _reg40(home, manager, today, rng)


def _manager(home: Home, people: dict):
    return next(u for u in people.values() if u.id == home.registered_manager_id)


def _plan(home: Home, people: dict, today: date) -> None:
    manager, director = people["manager2"], people["director"]
    start = today - timedelta(days=PLAN_DAYS)
    plans.start_plan(home.id, start, actor=manager, today=start)
    completion.approve_plan(home.id, actor=director, today=start + timedelta(days=14),
                       seen_version=None)
    steps = db.session.scalars(select(PlanStep).where(PlanStep.home_id == home.id)).all()
    for fragment, days, evidence in DONE:
        step = next(s for s in steps if s.name.startswith(fragment))
        on = start + timedelta(days=days)
        completion.complete_step(step.id, actual_on=on, evidence=evidence, confirm_open=False,
                            actor=manager, today=on, seen_version=None)
    works = next(s for s in steps if s.name.startswith("Works"))
    completion.add_attachment(works.id, file_name="fire-risk-assessment-draft.pdf",
                         kept_at="Property services SharePoint, Wrenfold House folder",
                         actor=manager, today=today)


def _open(home: Home, rule: ComplianceRule, kind: str = "due") -> ComplianceOccurrence:
    return db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == home.id, ComplianceOccurrence.rule_id == rule.id,
        ComplianceOccurrence.kind == kind, ComplianceOccurrence.completed_on.is_(None))).one()


def _history(home: Home, rule: ComplianceRule, manager, today: date,
             rng: random.Random) -> None:
    """Completions back in time at the rule's interval, the latest within the last interval
    (or, for the one overdue item, a little more than an interval ago)."""
    months = rule.interval_months
    span = (add_months(today, months) - today).days
    last = today - timedelta(days=rng.randint(3, max(span - 5, 4)))
    if (home.name, rule.key) == OVERDUE:
        last = add_months(today - timedelta(days=12), -months)
    days = [add_months(last, -months * k) for k in range(HISTORY.get(rule.key, 1))][::-1]
    for done_on in days:
        occurrence = _open(home, rule)
        calendar.complete_occurrence(occurrence.id, completed_on=done_on,
                                     done_by=_who(rule.key), outcome=_outcome(rule.key),
                                     note="", actor=manager, today=today)
        if rule.report_due_days and done_on + timedelta(days=20) <= today:
            report = _open(home, rule, "report")
            calendar.complete_occurrence(report.id, completed_on=done_on + timedelta(days=20),
                                         done_by="Responsible individual",
                                         outcome="Sent to Ofsted", note="", actor=manager,
                                         today=today)


def _who(key: str) -> str:
    return {"reg44": "Independent person: Alex Morrow", "reg45": "Registered manager",
            "gas": "Gas Safe engineer", "electrical": "NICEIC electrician",
            "fire": "Fire safety officer"}.get(key, "Registered manager")


def _outcome(key: str) -> str:
    return {"reg44": "Report received; no actions", "reg45": "Review complete; plan updated",
            "gas": "Certificate issued", "electrical": "Satisfactory",
            "fire": "Assessment complete; two actions"}.get(key, "Done")


def _inspection(home: Home, manager, today: date) -> None:
    days, (overall, helped, leaders) = INSPECTIONS[home.name]
    calendar.record_inspection(home.id, inspected_on=today - timedelta(days=days),
                               inspection_type="full",
                               judgements={"overall_experiences": overall,
                                           "help_and_protection": helped,
                                           "leadership": leaders},
                               note="Report published on Ofsted's website", actor=manager,
                               today=today)


def _reg40(home: Home, manager, today: date, rng: random.Random) -> None:
    """A past event notified in time; at one home an event still to notify."""
    now = datetime.combine(today, time(9, 0), LONDON)
    event_at = datetime.combine(today - timedelta(days=rng.randint(20, 80)),
                                time(rng.randint(7, 22), 15), LONDON)
    reg40.record_reg40(home.id, event_type=rng.choice(("police", "serious_injury",
                                                          "child_protection")),
                          event_at=event_at, summary="A young person was reported missing "
                          "overnight and returned safe", notified_at=event_at +
                          timedelta(hours=rng.randint(2, 20)),
                          notified_to=["ofsted", "placing_authority"], actor=manager, now=now)
    if home.name == "Heatherbank House":
        reg40.record_reg40(home.id, event_type="police",
                              event_at=now - timedelta(hours=30),
                              summary="Police called after a young person damaged a car "
                              "outside the home", notified_at=None, notified_to=[],
                              actor=manager, now=now)
