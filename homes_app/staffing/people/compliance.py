"""When a person's checks, training and qualifications fall due, and whether each is current
on a given day. Pure functions of the record, the settings and the day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ...common.dates import long_date
from ..settings import StaffingSettings
from .models import StaffMember, TrainingRecord

CARE_ROLES = {"registered_manager", "deputy", "team_leader", "rsw", "waking_night", "relief"}


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def dbs_valid_until(staff: StaffMember, s: StaffingSettings) -> date | None:
    """The last day the enhanced DBS with barred list counts: the re-check interval runs from
    the certificate, or from the latest Update Service status check."""
    if staff.dbs_issued_on is None or not staff.dbs_barred_list:
        return None
    checked = staff.dbs_issued_on
    if staff.dbs_update_service and staff.dbs_status_checked_on:
        checked = max(checked, staff.dbs_status_checked_on)
    return years_after(checked, s.dbs_recheck_years) - timedelta(days=1)


def latest_training(records: list[TrainingRecord]) -> dict[str, TrainingRecord]:
    """Each course's record that lasts longest, keyed by the course in lower case."""
    best: dict[str, TrainingRecord] = {}
    for r in records:
        key = r.course.strip().lower()
        if key not in best or r.valid_until > best[key].valid_until:
            best[key] = r
    return best


@dataclass
class Due:
    """One compliance item on a person's record."""

    what: str
    due_on: date | None  # the last day it counts, or the date it must be done by
    done: bool
    note: str = ""

    def state(self, today: date) -> str:
        if self.due_on is None:
            return "missing" if not self.done else "done"
        if self.done and self.due_on >= today:
            return "due soon" if self.due_on - today <= timedelta(days=60) else "current"
        if not self.done and self.due_on >= today:
            return "due soon" if self.due_on - today <= timedelta(days=60) else "to do"
        return "overdue"


def record_items(staff: StaffMember, s: StaffingSettings) -> list[Due]:
    """DBS, each mandatory course, the diploma, the appraisal: what is due when."""
    items = [Due("Enhanced DBS with barred list", dbs_valid_until(staff, s),
                 dbs_valid_until(staff, s) is not None,
                 "" if staff.dbs_issued_on else "No check recorded")]
    training = latest_training(staff.training)
    for course in s.mandatory_training:
        r = training.get(course.lower())
        items.append(Due(course, r.valid_until if r else None, r is not None,
                         f"Completed {long_date(r.completed_on)}" if r else "Not recorded"))
    if staff.role in CARE_ROLES:
        items.append(_diploma(staff))
    last = staff.last_appraisal_on
    items.append(Due("Annual appraisal", years_after(last or staff.started_on, 1), last is not None,
                     f"Last on {long_date(last)}" if last else "None recorded yet"))
    return items


def _diploma(staff: StaffMember) -> Due:
    if staff.role == "registered_manager":
        done = staff.level5_achieved_on
        return Due("Level 5 Diploma (within 3 years of starting)",
                   years_after(staff.started_on, 3), done is not None,
                   f"Achieved {long_date(done)}" if done else "")
    done = staff.level3_achieved_on
    return Due("Level 3 Diploma in Residential Childcare (within 2 years of starting)",
               years_after(staff.started_on, 2), done is not None,
               f"Achieved {long_date(done)}" if done else "")


def item_state(item: Due, today: date) -> str:
    if item.done and item.due_on is not None and "Diploma" in item.what:
        return "done"  # a diploma, once achieved, does not expire
    return item.state(today)
