"""The retention rules as data (docs/retention.md explains each) and the date arithmetic.

A record kept "for N years from" a date may be disposed of from that date's Nth anniversary
(`due_on`): a child's case record from the 75th birthday. A 29 February anniversary falls on
1 March in a year without one, so the record is never due early.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Rule:
    key: str            # the record type, as stored in RetentionReview.record_type
    label: str          # what an administrator reads
    years: int          # how long it is kept
    measured_from: str  # the date the period runs from, in words
    basis: str          # the law or council decision it rests on
    disposal: str       # what confirming disposal does
    monthly: bool       # reviewed a calendar month at a time (bulk records), else one by one


CHILD = Rule(
    "child_case_record", "Child's record with their stays and corrections", 75,
    "the child's date of birth (the 75th birthday)",
    "Children's Homes (England) Regulations 2015, reg 36(2)(b) and Schedule 3",
    "Anonymised: name, case reference, home postcode and needs removed, date of birth "
    "reduced to 1 January of the birth year, corrections deleted; stays kept, so occupancy "
    "figures do not change", False)
STAFF = Rule(
    "staff_member", "Former member of staff with their training and inductions", 15,
    "the last entry about them (start date, training, inductions, absences, shifts)",
    "Children's Homes (England) Regulations 2015, reg 37 and Schedule 4 para 2",
    "Anonymised: name and DBS, qualification and appraisal dates removed, account link "
    "cleared; training records, inductions and absences deleted; rota patterns unassigned",
    False)
REG40 = Rule(
    "reg40_notification", "Reg 40 notification", 15, "the date of the event",
    "Council retention schedule, in line with reg 37's 15 years for the home's records",
    "Deleted", False)
SHIFTS = Rule(
    "rota_shifts", "Rota: shifts and their bookings", 15, "the shift's date",
    "Children's Homes (England) Regulations 2015, reg 37 and Schedule 4 para 3 (the duty "
    "roster planned and the roster actually worked)",
    "Deleted, with their bookings", True)
PUBLICATIONS = Rule(
    "rota_publications", "Rota: published weeks", 15, "the first day of the published week",
    "Children's Homes (England) Regulations 2015, reg 37 and Schedule 4 para 3",
    "Deleted", True)
ABSENCES = Rule(
    "staff_absences", "Staff absences", 6, "the last day of the absence",
    "Council retention schedule (employment records: 6 years, the limitation period)",
    "Deleted", True)
AUDIT = Rule(
    "audit_events", "Audit events", 15, "the moment of the event (its UTC month)",
    "Council retention schedule, matching the 15 years of the records the log vouches for",
    "Deleted by the operator procedure in docs/retention.md (`flask retention-purge-audit`), "
    "which is itself audited; the append-only trigger stays in place for everyone else", True)

RULES: dict[str, Rule] = {r.key: r for r in (CHILD, STAFF, REG40, SHIFTS, PUBLICATIONS,
                                              ABSENCES, AUDIT)}
# A legal hold or other reason to keep is reconsidered after this long.
KEEP_REVIEWED_AFTER = timedelta(days=365)


def add_years(day: date, years: int) -> date:
    """The anniversary `years` after `day`; 29 February becomes 1 March when there is none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def due_on(anchor: date, rule: Rule) -> date:
    """The first day the record measured from `anchor` is past retention."""
    return add_years(anchor, rule.years)


def cutoff(today: date, rule: Rule) -> date:
    """The latest anchor date whose record is past retention on `today`.

    The inverse of due_on: due_on(a) <= today exactly when a <= cutoff(today).
    """
    try:
        return today.replace(year=today.year - rule.years)
    except ValueError:  # today is 29 February: a record from 29 Feb is due on 1 March
        return date(today.year - rule.years, 2, 28)


def month_key(year: int, month: int) -> int:
    """A month as the record id of a monthly finding: 201103 for March 2011."""
    return year * 100 + month


def month_of(key: int) -> tuple[date, date]:
    """The month of a monthly finding as [first day, first day of the next month)."""
    year, month = divmod(key, 100)
    first = date(year, month, 1)
    return first, date(year + month // 12, month % 12 + 1, 1)


def last_whole_month(today: date, rule: Rule) -> date:
    """The first day after the last calendar month whose every record is past retention."""
    return (cutoff(today, rule) + timedelta(days=1)).replace(day=1)
