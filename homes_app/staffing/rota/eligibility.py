"""Whether a person may pick up a shift, judged on the shift's own dates.

Refusals: DBS and barred list not current, mandatory training not current, an overlap with
another of their shifts, and (unless they opted out in writing) more than 48 hours a week on
average over the 17 weeks ending with the shift's week; sleep-ins count as working time.
Warnings the manager must accept: no induction at the home yet (an induction shift), and
less than 11 hours' rest next to another shift (regs 21 and 24: compensatory rest), which a
council setting can make a refusal instead. Every message names the rule and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...common.dates import long_date
from ...extensions import db
from ..people.compliance import dbs_valid_until, latest_training
from ..people.models import StaffMember
from ..settings import StaffingSettings
from ..times import hours, local, local_moment, monday, when
from .models import Shift

REST_MINUTES = 11 * 60
WEEKLY_LIMIT_MINUTES = 48 * 60
REFERENCE_WEEKS = 17


@dataclass
class Verdict:
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    induction: bool = False  # not inducted at the home: an induction shift
    short_rest: bool = False

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def needs_approval(self) -> bool:
        return self.induction or self.short_rest


def last_day(shift: Shift) -> date:
    """The last local date the shift touches (one ending at midnight ends the day before)."""

    return (local(shift.ends_at) - timedelta(microseconds=1)).date()


def reference_period(shift: Shift) -> tuple[date, date]:
    """The 17 weeks (Monday to Sunday) ending with the week the shift starts in: [first, end)."""
    end = monday(shift.on_date) + timedelta(days=7)
    return end - timedelta(weeks=REFERENCE_WEEKS), end


def their_shifts(staff_id: int, first: datetime, last: datetime) -> list[Shift]:
    """A person's live shifts that touch [first, last), with type and home: one query."""
    return list(db.session.scalars(
        select(Shift).options(joinedload(Shift.shift_type), joinedload(Shift.home))
        .where(Shift.assignee_id == staff_id, Shift.status == "active",
               Shift.starts_at < last, Shift.ends_at > first)
        .order_by(Shift.starts_at)))


def window_for(shifts: list[Shift]) -> tuple[datetime, datetime]:
    """The moments whose shifts can matter to any of `shifts`."""

    first = min(reference_period(s)[0] for s in shifts)
    last = max(reference_period(s)[1] for s in shifts)
    return (local_moment(first - timedelta(days=1), datetime.min.time()),
            local_moment(last + timedelta(days=2), datetime.min.time()))


def check(staff: StaffMember, shift: Shift, others: list[Shift], s: StaffingSettings) -> Verdict:
    """Judge `staff` for `shift`; `others` are their live shifts around it (any superset)."""
    v = Verdict()
    others = [o for o in others if o.id != shift.id]
    if not staff.active:
        v.refusals.append("Your record is not active: ask the relief pool manager.")
        return v
    _dbs(staff, shift, s, v)
    _training(staff, shift, s, v)
    _overlap(shift, others, v)
    if not staff.opted_out_48h:
        _weekly_average(shift, others, v)
    _rest(shift, others, s, v)
    if shift.home_id not in {i.home_id for i in staff.inductions} | {staff.home_id}:
        v.induction = True
        v.warnings.append(f"Induction: you have not been inducted at {shift.home.name}. The "
                          "manager must accept this as an induction shift.")
    return v


def _dbs(staff: StaffMember, shift: Shift, s: StaffingSettings, v: Verdict) -> None:
    valid = dbs_valid_until(staff, s)
    if valid is None:
        v.refusals.append("DBS check: no enhanced DBS check with the children's barred list is "
                          "recorded for you.")
    elif valid < last_day(shift):
        v.refusals.append(f"DBS check: your enhanced DBS check counts until {long_date(valid)} (the "
                          f"council re-checks every {s.dbs_recheck_years} years), and this "
                          f"shift runs until {when(shift.ends_at)}.")


def _training(staff: StaffMember, shift: Shift, s: StaffingSettings, v: Verdict) -> None:
    best = latest_training(staff.training)
    needed = last_day(shift)
    for course in s.mandatory_training:
        record = best.get(course.lower())
        if record is None:
            v.refusals.append(f"Mandatory training: no {course} training is recorded for you.")
        elif record.valid_until < needed:
            v.refusals.append(f"Mandatory training: your {course} training counts until "
                              f"{long_date(record.valid_until)}, and this shift runs until "
                              f"{when(shift.ends_at)}.")


def _label(o: Shift, shift: Shift) -> str:
    """Another shift of the person's, as the home judging `shift` may know it: a shift of
    another home is not named (its manager may read this, beside the pick-up or assignment)."""
    what = f"{o.shift_type.name} at {o.home.name}" if o.home_id == shift.home_id \
        else "a shift at another home"
    return f"{what} from {when(o.starts_at)} to {when(o.ends_at)}"


def _overlap(shift: Shift, others: list[Shift], v: Verdict) -> None:
    for o in others:
        if o.starts_at < shift.ends_at and shift.starts_at < o.ends_at:
            v.refusals.append(f"Overlap: you already work {_label(o, shift)}.")


def _weekly_average(shift: Shift, others: list[Shift], v: Verdict) -> None:
    first, end = reference_period(shift)
    lo, hi = local_moment(first, datetime.min.time()), local_moment(end, datetime.min.time())
    total = sum(o.minutes for o in others if o.counts_as_work and lo <= o.starts_at < hi)
    total += shift.minutes if shift.counts_as_work else 0
    if total > WEEKLY_LIMIT_MINUTES * REFERENCE_WEEKS:
        average = total / REFERENCE_WEEKS
        v.refusals.append(
            f"48-hour week: with this shift your working time (sleep-ins included) over the 17 "
            f"weeks from {long_date(first)} to {long_date(end - timedelta(days=1))} would average "
            f"{average / 60:.1f} hours a week, over the 48-hour limit. You have not "
            "opted out in writing.")


def _rest(shift: Shift, others: list[Shift], s: StaffingSettings, v: Verdict) -> None:
    for o in others:
        if o.ends_at <= shift.starts_at:
            gap, between = shift.starts_at - o.ends_at, f"after {_label(o, shift)}"
        elif o.starts_at >= shift.ends_at:
            gap, between = o.starts_at - shift.ends_at, f"before {_label(o, shift)}"
        else:
            continue
        minutes = int(gap.total_seconds() // 60)
        if minutes >= REST_MINUTES:
            continue
        message = (f"Rest: only {hours(minutes)} hours' rest {between}; the daily rest is 11 "
                   "hours.")
        if s.short_rest == "block":
            v.refusals.append(message + " The council does not allow shorter rest.")
        else:
            v.short_rest = True
            v.warnings.append(message + " The manager must agree compensatory rest.")
