"""The council's starting data: the eleven registration steps (DOMAIN.md) and the compliance
rules of an open home, inserted once as rows an administrator then edits.

Seeding is idempotent and happens once per database: a council setting marks it done, so steps
or rules the council later removes are not put back. `flask seed-registration-templates` and
`flask demo-data` call it; the template page offers it while the template is empty.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import clock
from ..audit.services import record, snapshot
from ..extensions import db
from ..homes.models import CouncilSetting
from .compliance.models import ComplianceRule
from .templates.models import TemplateDependency, TemplateStep

TEMPLATE_MARK = "registration_template_seeded"
RULES_MARK = "compliance_rules_seeded"

# (key, name, kind, days from the plan's start, usual owner, [(follows, days after), ...])
TEMPLATE = (
    ("property", "Property secured and planning or use confirmed", "step", 60,
     "Property services", ()),
    ("works", "Works done: refurbishment, fire safety, furnishing and certificates", "step", 0,
     "Property services", (("property", 120),)),
    ("sop", "Statement of Purpose written", "step", 0, "Registered manager",
     (("property", 30),)),
    ("manager", "Registered manager appointed, responsible individual named, DBS checks done",
     "step", 0, "Head of service", (("property", 60),)),
    ("sc1", "SC1 application submitted and fee paid", "step", 0, "Responsible individual",
     (("sop", 14), ("manager", 14))),
    ("sc2", "SC2 applications submitted (registered manager, responsible individual)", "step",
     0, "Responsible individual", (("manager", 21),)),
    ("interviews", "Ofsted fit person interviews", "step", 0, "Registered manager",
     (("sc2", 42),)),
    ("visit", "Ofsted registration visit", "step", 0, "Registered manager",
     (("sc1", 42), ("works", 14))),
    # Ofsted aims to decide within 47 days of a complete application (SC1 and SC2s).
    ("decision", "Registration decision: certificate, URN and conditions received", "decision",
     0, "Responsible individual", (("sc1", 47), ("sc2", 47), ("interviews", 7), ("visit", 14))),
    ("staff", "Staff team recruited, vetted and inducted", "step", 0, "Registered manager",
     (("manager", 90),)),
    ("opening", "Home opens: first admission", "opening", 0, "Registered manager",
     (("decision", 7), ("staff", 0), ("works", 0))),
)

# (key, name, schedule, months, report name, report due days, notice days)
RULES = (
    ("reg44", "Reg 44 independent person visit and report", "months", 1, "", None, 7),
    ("reg45", "Reg 45 review of the quality of care", "months", 6,
     "Reg 45 report sent to Ofsted", 28, 30),
    ("inspection", "Ofsted full inspection", "inspection_year", None, "", None, 60),
    ("sop", "Statement of Purpose review", "months", 12, "", None, 30),
    ("reg46", "Reg 46 location assessment", "months", 12, "", None, 30),
    ("fire", "Fire risk assessment", "months", 12, "", None, 30),
    ("gas", "Gas safety check", "months", 12, "", None, 30),
    ("electrical", "Electrical installation condition report", "months", 60, "", None, 60),
)


def _mark(key: str) -> bool:
    """Mark `key` done; False when it already was."""
    if db.session.get(CouncilSetting, key) is not None:
        return False
    db.session.add(CouncilSetting(key=key, value=clock.today().isoformat()))
    return True


def seed_template(actor=None, *, again: bool = False) -> int:
    """Insert the eleven steps once, unless already seeded or the council has its own.
    `again`: an administrator asks for them in an empty template seeded before."""
    if db.session.scalar(select(TemplateStep.id).limit(1)) is not None:
        return 0
    if not _mark(TEMPLATE_MARK) and not again:
        return 0
    steps: dict[str, TemplateStep] = {}
    for position, (key, name, kind, start, owner, _) in enumerate(TEMPLATE, start=1):
        steps[key] = TemplateStep(position=position, name=name, kind=kind, start_days=start,
                                  default_owner=owner)
        db.session.add(steps[key])
    db.session.flush()
    for key, *_, follows in TEMPLATE:
        for before, lag in follows:
            db.session.add(TemplateDependency(step_id=steps[key].id,
                                              depends_on_id=steps[before].id, lag_days=lag))
    for step in steps.values():
        record(actor, "registration_template.seed", step, after=snapshot(step))
    return len(steps)


def seed_rules(actor=None, *, again: bool = False) -> int:
    """Insert the compliance rules once, unless already seeded or the council has its own.
    `again`: an administrator asks for them while there are none."""
    if db.session.scalar(select(ComplianceRule.id).limit(1)) is not None:
        return 0
    if not _mark(RULES_MARK) and not again:
        return 0
    for position, (key, name, schedule, months, report, report_days, notice) in enumerate(
            RULES, start=1):
        rule = ComplianceRule(key=key, name=name, position=position, schedule=schedule,
                              interval_months=months, report_name=report,
                              report_due_days=report_days, notice_days=notice, active=True)
        db.session.add(rule)
        db.session.flush()
        record(actor, "compliance_rule.seed", rule, after=snapshot(rule))
    return len(RULES)
