"""Staffing alert rules: uncovered shifts soon, planned staffing below the minimum, staff
checks and qualifications due or overdue, relief workers near the 48-hour average."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from ..common.dates import short_date
from ..extensions import db
from ..homes.models import Home
from ..staffing import settings as staffing_settings
from ..staffing.people.compliance import item_state, record_items
from ..staffing.people.models import StaffMember, TrainingRecord
from ..staffing.rota.eligibility import REFERENCE_WEEKS, WEEKLY_LIMIT_MINUTES
from ..staffing.rota.models import Shift, ShiftType
from ..staffing.rota.queries import needs_by_home
from ..staffing.times import local_moment, monday
from .rules import Condition, Context


def shift_uncovered(c: Context) -> list[Condition]:
    """An active shift starting within `shift_horizon_hours` with nobody (and no agency) on it;
    high severity within `urgent_hours` (e.g. tonight's sleep-in), which is emailed at once."""
    horizon = c.now + timedelta(hours=c.settings.shift_horizon_hours)
    urgent = c.now + timedelta(hours=c.settings.urgent_hours)
    shifts = db.session.scalars(
        select(Shift).options(joinedload(Shift.shift_type).lazyload(ShiftType.rules),
                              joinedload(Shift.home).lazyload(Home.beds))
        .where(Shift.status == "active", Shift.cover.is_(None), Shift.starts_at >= c.now,
               Shift.starts_at < horizon).order_by(Shift.starts_at)).all()
    found = []
    for s in shifts:
        starts = s.starts_at.astimezone(c.now.tzinfo)
        found.append(Condition(
            "shift_uncovered", f"shift_uncovered:{s.id}",
            "high" if s.starts_at < urgent else "medium",
            f"{s.home.name}: the {s.shift_type.name} shift starting "
            f"{starts.strftime('%a %-d %b %Y %H:%M')} has nobody on it"
            f"{' (offered to the relief pool)' if s.offered_at else ''}.",
            home_id=s.home_id, subject_type="shifts", subject_id=s.id,
            link_endpoint="staffing.shift", link_args={"shift_id": s.id}))
    return found


def staffing_below_minimum(c: Context) -> list[Condition]:
    """A shift type on a day in the next `staffing_days` with fewer staff planned than the
    minimum for the children expected (the rota page's check); not for a shift already begun."""
    needs = needs_by_home(c.today, c.settings.staffing_days)
    names = {s.home.id: s.home.name for s in c.homes()}
    found = []
    for home_id, by_day in needs.items():
        if home_id not in names:  # closed: nobody to staff
            continue
        for day, day_needs in by_day.items():
            for n in day_needs:
                if not n.short or local_moment(day, n.shift_type.starts_at) < c.now:
                    continue
                found.append(Condition(
                    "staffing_below_minimum",
                    f"staffing_below_minimum:{n.shift_type.id}:{day.isoformat()}", "high",
                    f"{names[home_id]}: {n.shift_type.name} on {short_date(day)}: {n.planned} staff "
                    f"planned, the minimum is {n.minimum}.", home_id=home_id,
                    subject_type="shift_types",
                    subject_id=n.shift_type.id, link_endpoint="staffing.rota",
                    link_args={"home_id": home_id, "week": monday(day).isoformat()}))
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _staff_items(c: Context):
    """(staff, item, state) for every active member of staff's compliance items: two queries."""
    def compute():
        s = staffing_settings.load()
        staff = db.session.scalars(select(StaffMember).options(lazyload(StaffMember.training))
                                   .where(StaffMember.active.is_(True))).all()
        # One query for everyone's training (selectinload would split it per 500 people).
        training: dict[int, list[TrainingRecord]] = {p.id: [] for p in staff}
        for r in db.session.scalars(select(TrainingRecord).join(StaffMember).where(
                StaffMember.active.is_(True))):
            training[r.staff_id].append(r)
        for p in staff:
            set_committed_value(p, "training", training[p.id])
        return [(p, i, item_state(i, c.today)) for p in staff for i in record_items(p, s)]
    return c.shared("staff_items", compute)


def _staff(kind: str, person: StaffMember, item, severity: str, text: str) -> Condition:
    return Condition(kind, f"{kind}:{person.id}:{_slug(item.what)}", severity,
                     f"{person.name}: {item.what} {text}", home_id=person.home_id,
                     staff_id=person.id, subject_type="staff_members", subject_id=person.id,
                     link_endpoint="staffing.staff_show", link_args={"staff_id": person.id})


def staff_check_due(c: Context) -> list[Condition]:
    """A DBS re-check, training, Level 3/5 or appraisal due within `staff_lead_days`."""
    last = c.today + timedelta(days=c.settings.staff_lead_days)
    return [_staff("staff_check_due", p, i, "low",
                   f"is due by {short_date(i.due_on)} ({(i.due_on - c.today).days} days).")
            for p, i, state in _staff_items(c)
            if state in ("due soon", "current", "to do") and i.due_on <= last]


def staff_check_overdue(c: Context) -> list[Condition]:
    """A check, course, qualification or appraisal past its date, or not recorded at all."""
    found = []
    for p, i, state in _staff_items(c):
        if state == "overdue":
            found.append(_staff("staff_check_overdue", p, i, "medium",
                                f"was due by {short_date(i.due_on)}."))
        elif state == "missing":
            found.append(_staff("staff_check_overdue", p, i, "medium", "is not recorded."))
    return found


def relief_hours(c: Context) -> list[Condition]:
    """A relief worker (not opted out) whose shifts over the 17 weeks ending this week average
    `relief_warn_hours` a week or more: the 48-hour limit the pick-up check enforces."""
    end = monday(c.today) + timedelta(days=7)
    first = end - timedelta(weeks=REFERENCE_WEEKS)
    rows = db.session.execute(
        select(StaffMember.id, StaffMember.name, func.sum(Shift.minutes))
        .join(Shift, Shift.assignee_id == StaffMember.id)
        .where(StaffMember.role == "relief", StaffMember.active.is_(True),
               StaffMember.opted_out_48h.is_(False), Shift.status == "active",
               Shift.counts_as_work.is_(True),
               Shift.on_date >= first, Shift.on_date < end)
        .group_by(StaffMember.id, StaffMember.name)).all()
    found = []
    for staff_id, name, minutes in rows:
        average = (minutes or 0) / REFERENCE_WEEKS
        if average < c.settings.relief_warn_hours * 60:
            continue
        found.append(Condition(
            "relief_hours", f"relief_hours:{staff_id}:{first.isoformat()}",
            "high" if average > WEEKLY_LIMIT_MINUTES else "medium",
            f"{name}: shifts in the 17 weeks from {short_date(first)} to {short_date(end - timedelta(days=1))} "
            f"average {average / 60:.1f} hours a week (limit 48).", staff_id=staff_id,
            subject_type="staff_members", subject_id=staff_id,
            link_endpoint="staffing.staff_show", link_args={"staff_id": staff_id}))
    return found
