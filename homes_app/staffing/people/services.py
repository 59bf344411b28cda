"""Staff records: create and edit, DBS checks, training, inductions, the calendar link, and
the council's staffing settings.

Each service takes the acting user and `today`, checks the rules, changes rows, writes the
audit entry and flushes; it never commits. Who may call them is checked by the views.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from ...audit.services import changes, record, snapshot
from ...auth.models import Role, User
from ...common.dates import long_date
from ...errors import DomainError, StaleForm
from ...extensions import db
from ...homes import council_settings
from ...homes.models import Home
from .. import settings as council
from .models import STAFF_ROLES, Induction, StaffMember, TrainingRecord

# Which account roles may belong to a staff member of each kind.
ACCOUNT_ROLES = {"relief": {Role.RELIEF_STAFF}}
HOME_ACCOUNT_ROLES = {Role.REGISTERED_MANAGER, Role.HOME_STAFF}


@dataclass
class StaffDetails:
    name: str
    role: str
    home_id: int | None
    contracted_minutes: int
    started_on: date | None
    user_id: int | None = None
    active: bool = True
    opted_out_48h: bool = False
    level3_achieved_on: date | None = None
    level5_achieved_on: date | None = None
    last_appraisal_on: date | None = None


def lock_staff(staff_id: int, seen_version: int | None = None) -> StaffMember:
    """The staff member, row-locked until commit: one person's bookings happen one at a time."""
    staff = db.session.scalars(select(StaffMember).where(StaffMember.id == staff_id)
                               .with_for_update().execution_options(populate_existing=True)
                               ).one_or_none()
    if staff is None:
        raise DomainError("This staff record no longer exists.")
    if seen_version is not None and staff.version != seen_version:
        raise StaleForm("Since you opened this form, someone else changed this record. Check "
                        "the details below and submit again.")
    return staff


def create_staff(v: StaffDetails, *, actor, today: date) -> StaffMember:
    staff = StaffMember(version=1, calendar_version=1)
    _apply(staff, _checked(v, today, None, actor))
    db.session.add(staff)
    db.session.flush()
    record(actor, "staff.create", staff, after=snapshot(staff), home_id=staff.home_id)
    return staff


def update_staff(staff_id: int, v: StaffDetails, *, actor, today: date,
                 seen_version: int | None) -> StaffMember:
    staff = lock_staff(staff_id, seen_version)
    before = snapshot(staff)
    _apply(staff, _checked(v, today, staff, actor))
    old, new = changes(before, snapshot(staff))
    if new:
        staff.version += 1
        db.session.flush()
        record(actor, "staff.update", staff, before=old, after=new, home_id=staff.home_id)
    return staff


def _apply(staff: StaffMember, values: dict) -> None:
    for key, value in values.items():
        setattr(staff, key, value)


def _checked(v: StaffDetails, today: date, staff: StaffMember | None, actor=None) -> dict:
    values = asdict(v)
    values["name"] = v.name.strip()
    if not values["name"]:
        raise DomainError("Enter the person's name", "name")
    if len(values["name"]) > 120:
        raise DomainError("Name must be 120 characters or fewer", "name")
    if v.role not in STAFF_ROLES:
        raise DomainError("Select the person's role", "role")
    if v.role == "relief" and v.home_id is not None:
        raise DomainError("Relief workers belong to the relief pool, not a home: choose the "
                          "relief pool", "home_id")
    if v.role != "relief" and v.home_id is None:
        raise DomainError("Choose the home this person is based at (only relief workers are "
                          "in the relief pool)", "home_id")
    if v.home_id is not None and db.session.get(Home, v.home_id) is None:
        raise DomainError("Choose a home from the list", "home_id")
    if not 0 <= v.contracted_minutes <= 80 * 60:
        raise DomainError("Contracted hours must be between 0 and 80 a week", "contracted_hours")
    if v.started_on is None:
        raise DomainError("Enter the date the person started", "started_on")
    if v.started_on > today:
        raise DomainError(f"The start date cannot be in the future ({long_date(v.started_on)})",
                          "started_on")
    for field in ("level3_achieved_on", "level5_achieved_on", "last_appraisal_on"):
        day = getattr(v, field)
        if day is not None and day > today:
            raise DomainError(f"The date cannot be in the future ({long_date(day)})", field)
    _account(v, staff, actor)
    return values


def may_link(actor, user: User) -> bool:
    """Whose account `actor` may pick for a staff record: an administrator anyone's; a manager
    only the accounts of their own homes' people (other homes' staff, their addresses and roles
    are not theirs to know, so a refusal must not name them either)."""
    if actor is None or actor.role != Role.REGISTERED_MANAGER:
        return True
    return not {h.id for h in user.homes}.isdisjoint(h.id for h in actor.homes)


def _account(v: StaffDetails, staff: StaffMember | None, actor) -> None:
    if v.user_id is None:
        return
    user = db.session.get(User, v.user_id)
    if user is None or not may_link(actor, user):
        raise DomainError("Choose an account from the list", "user_id")
    allowed = ACCOUNT_ROLES.get(v.role, HOME_ACCOUNT_ROLES)
    if user.role not in allowed:
        raise DomainError(f"{user.email} is a {Role(user.role).label.lower()} account; a "
                          f"{STAFF_ROLES[v.role].lower()} needs a "
                          f"{' or '.join(Role(r).label.lower() for r in sorted(allowed))} "
                          "account", "user_id")
    other = db.session.scalar(select(StaffMember).where(
        StaffMember.user_id == user.id, StaffMember.id != (staff.id if staff else -1)))
    if other is not None:
        raise DomainError(f"{user.email} is already linked to another staff record: choose "
                          "another account", "user_id")
    if v.home_id is not None and v.home_id not in {h.id for h in user.homes}:
        raise DomainError(f"{user.email} cannot see this home: ask an administrator to add "
                          "the home to the account first", "user_id")


def record_dbs(staff_id: int, *, issued_on: date | None, barred_list: bool,
               update_service: bool, status_checked_on: date | None, actor,
               today: date) -> StaffMember:
    """An enhanced DBS certificate (with the children's barred list) and Update Service checks."""
    staff = lock_staff(staff_id)
    if issued_on is None:
        raise DomainError("Enter the date the certificate was issued", "issued_on")
    if issued_on > today:
        raise DomainError(f"The issue date cannot be in the future ({long_date(issued_on)})",
                          "issued_on")
    if status_checked_on is not None:
        if not update_service:
            raise DomainError("A status check needs the certificate to be on the Update "
                              "Service", "status_checked_on")
        if status_checked_on < issued_on or status_checked_on > today:
            raise DomainError("The status check must be between the issue date and today",
                              "status_checked_on")
    before = snapshot(staff, _DBS)
    staff.dbs_issued_on, staff.dbs_barred_list = issued_on, barred_list
    staff.dbs_update_service, staff.dbs_status_checked_on = update_service, status_checked_on
    staff.version += 1
    db.session.flush()
    record(actor, "staff.dbs", staff, before=before, after=snapshot(staff, _DBS),
           home_id=staff.home_id)
    return staff


_DBS = ["dbs_issued_on", "dbs_barred_list", "dbs_update_service", "dbs_status_checked_on"]


def add_training(staff_id: int, *, course: str, completed_on: date | None,
                 valid_until: date | None, actor, today: date) -> TrainingRecord:
    staff = lock_staff(staff_id)
    course = (course or "").strip()
    if not course:
        raise DomainError("Choose the course", "course")
    if completed_on is None:
        raise DomainError("Enter the date the training was completed", "completed_on")
    if completed_on > today:
        raise DomainError(f"The completion date cannot be in the future ({long_date(completed_on)})",
                          "completed_on")
    if valid_until is None:
        raise DomainError("Enter the last day the training counts", "valid_until")
    if valid_until < completed_on:
        raise DomainError(f"The training cannot run out ({long_date(valid_until)}) before it was "
                          f"completed ({long_date(completed_on)})", "valid_until")
    row = TrainingRecord(staff_id=staff.id, course=course[:80], completed_on=completed_on,
                         valid_until=valid_until)
    db.session.add(row)
    staff.version += 1
    db.session.flush()
    record(actor, "staff.training", row, after=snapshot(row), home_id=staff.home_id)
    return row


def record_induction(staff_id: int, home_id: int, inducted_on: date | None, *, actor,
                     today: date) -> Induction:
    staff = lock_staff(staff_id)
    home = db.session.get(Home, home_id)
    if home is None:
        raise DomainError("Choose a home from the list", "home_id")
    if inducted_on is None:
        raise DomainError("Enter the date of the induction", "inducted_on")
    if inducted_on > today:
        raise DomainError(f"The induction date cannot be in the future ({long_date(inducted_on)})",
                          "inducted_on")
    if any(i.home_id == home.id for i in staff.inductions):
        raise DomainError(f"{staff.name} has already been inducted at {home.name}", "home_id")
    row = Induction(staff_id=staff.id, home_id=home.id, inducted_on=inducted_on)
    db.session.add(row)
    staff.version += 1
    db.session.flush()
    record(actor, "staff.induction", row, after=snapshot(row), home_id=home.id)
    return row


def reset_calendar(staff_id: int, *, actor) -> StaffMember:
    """A new private calendar link; the old one stops working at once."""
    staff = lock_staff(staff_id)
    staff.calendar_version += 1
    db.session.flush()
    record(actor, "staff.calendar_reset", staff, home_id=staff.home_id)
    return staff


def update_settings(new: council.StaffingSettings, *, actor) -> council.StaffingSettings:
    if not 1 <= new.dbs_recheck_years <= 10:
        raise DomainError("The DBS re-check interval must be 1 to 10 years", "dbs_recheck_years")
    if not 0 <= new.release_notice_hours <= 336:
        raise DomainError("The release notice must be 0 to 336 hours (two weeks)",
                          "release_notice_hours")
    if not 0 <= new.home_first_hours <= 168:
        raise DomainError("The time a home's own staff see an offer first must be 0 to 168 "
                          "hours", "home_first_hours")
    if new.short_rest not in council.SHORT_REST:
        raise DomainError("Choose how short rest is treated", "short_rest")
    courses = tuple(dict.fromkeys(c.strip()[:80] for c in new.mandatory_training if c.strip()))
    if len("\n".join(courses)) > 200:
        raise DomainError("The list of mandatory training must be 200 characters or fewer",
                          "mandatory_training")
    new.mandatory_training = courses
    before = council.load().as_strings()
    council.store(new)
    old, after = changes(before, new.as_strings())
    if after:
        record(actor, "settings.staffing", council_settings.SettingsSubject(), before=old,
               after=after)
    return new
