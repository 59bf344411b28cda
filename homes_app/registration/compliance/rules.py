"""Administrators edit the compliance rules, the council's data behind every open home's
calendar: a new or reactivated rule starts at every open home."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from ...audit.services import changes, record, snapshot
from ...common.sql import flush_or_refuse
from ...errors import DomainError
from ...extensions import db
from ...homes.services import require_administrator
from . import services as calendar_services
from .models import SCHEDULES, ComplianceRule


def _checked_rule(name: str, schedule: str, interval_months: int | None, report_name: str,
                  report_due_days: int | None, notice_days: int | None,
                  rule_id: int | None) -> tuple[str, str]:
    name, report_name = (name or "").strip(), (report_name or "").strip()
    if not name:
        raise DomainError("Enter the name of the obligation", "name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", "name")
    if db.session.scalar(select(ComplianceRule.id).where(
            func.lower(ComplianceRule.name) == name.lower(), ComplianceRule.id != (rule_id or -1))):
        raise DomainError(f"There is already a rule called {name}", "name")
    if schedule not in SCHEDULES:
        raise DomainError("Select how it recurs", "schedule")
    if schedule == "months" and (interval_months is None or not 1 <= interval_months <= 120):
        raise DomainError("How often must be between 1 and 120 months", "interval_months")
    if report_due_days is not None and not 1 <= report_due_days <= 365:
        raise DomainError("The report's days must be between 1 and 365", "report_due_days")
    if report_name and report_due_days is None:
        raise DomainError("Enter how many days after each completion the report is due",
                          "report_due_days")
    if len(report_name) > 120:
        raise DomainError("The report's name must be 120 characters or fewer", "report_name")
    if notice_days is None or not 0 <= notice_days <= 365:
        raise DomainError("Days of notice must be between 0 and 365", "notice_days")
    return name, report_name


def update_rule(rule_id: int, *, name: str, interval_months: int | None, report_name: str,
                report_due_days: int | None, notice_days: int | None, active: bool, actor,
                today: date) -> ComplianceRule:
    """Change a rule: the next occurrences follow it; ones already due keep their dates. A
    rule made active again starts at every open home."""
    require_administrator(actor)
    rule = db.session.get(ComplianceRule, rule_id)
    if rule is None:
        raise DomainError("That rule does not exist")
    months = interval_months if rule.schedule == "months" else None
    name, report_name = _checked_rule(name, rule.schedule, months, report_name,
                                      report_due_days, notice_days, rule.id)
    before = snapshot(rule)
    rule.name, rule.interval_months, rule.report_name = name, months, report_name
    rule.report_due_days, rule.notice_days, rule.active = report_due_days, notice_days, active
    flush_or_refuse("Another rule with this name was saved at the same moment", "name")
    old, new = changes(before, snapshot(rule))
    if new:
        record(actor, "compliance_rule.update", rule, before=old, after=new)
    if new.get("active"):
        calendar_services.ensure_calendar(actor=actor, today=today)
    return rule


def add_rule(*, name: str, schedule: str, interval_months: int | None, report_name: str,
             report_due_days: int | None, notice_days: int | None, actor,
             today: date) -> ComplianceRule:
    """A new obligation for every open home, first due as a new calendar's would be."""
    require_administrator(actor)
    months = interval_months if schedule == "months" else None
    name, report_name = _checked_rule(name, schedule, months, report_name, report_due_days,
                                      notice_days, None)
    if schedule == "inspection_year" and db.session.scalar(select(ComplianceRule.id).where(
            ComplianceRule.schedule == "inspection_year")):
        raise DomainError("There is already a rule for Ofsted's inspection year", "schedule")
    key = _key(name)
    position = (db.session.scalar(select(func.max(ComplianceRule.position))) or 0) + 1
    rule = ComplianceRule(key=key, name=name, position=position, schedule=schedule,
                          interval_months=months, report_name=report_name,
                          report_due_days=report_due_days, notice_days=notice_days, active=True)
    db.session.add(rule)
    flush_or_refuse("Another rule with this name was saved at the same moment", "name")
    record(actor, "compliance_rule.add", rule, after=snapshot(rule))
    calendar_services.ensure_calendar(actor=actor, today=today)
    return rule


def _key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "rule"
    key, n = base, 1
    while db.session.scalar(select(ComplianceRule.id).where(ComplianceRule.key == key)):
        n += 1
        key = f"{base}_{n}"
    return key
