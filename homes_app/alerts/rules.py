"""One small function per alert kind: the conditions that stand at `now`, for every home at
once (a fixed number of queries however many homes). Each reuses the function the pages use.

A condition's key names what it is about, so that it stays the same while the condition stands
(and a new key means a new condition, e.g. a bed that fell vacant again)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ..common.dates import short_date
from ..extensions import db
from ..homes.models import BedOutOfUse, Home
from ..homes.queries import default_target
from ..placements.models import Placement
from ..placements.queries import occupancy_by_home
from ..placements.tonight import beds_tonight, overview
from ..registration.compliance.queries import due_list
from ..registration.plans.queries import pipeline
from ..retention.models import RetentionReview
from .settings import AlertSettings


@dataclass(frozen=True)
class Condition:
    kind: str
    key: str
    severity: str
    message: str
    home_id: int | None = None
    staff_id: int | None = None
    subject_type: str | None = None
    subject_id: int | None = None
    link_endpoint: str | None = None
    link_args: dict | None = None


@dataclass
class Context:
    """What every rule receives: the moment, today in London, the settings, and what several
    rules share (computed once per sweep)."""

    now: datetime
    today: date
    settings: AlertSettings
    _cache: dict | None = None

    def shared(self, name: str, compute: Callable):
        self._cache = self._cache if self._cache is not None else {}
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def homes(self):
        return self.shared("overview", lambda: overview(self.today, default_target()))


def pounds(pence: float) -> str:
    return f"£{pence / 100:,.0f}"


# ---- occupancy -----------------------------------------------------------------------------

def occupancy_below_target(c: Context) -> list[Condition]:
    """An open home whose occupancy of registered places over the last 30 nights is below its
    target, with the 30 nights before for the trend."""
    before = occupancy_by_home(c.today - timedelta(days=60), c.today - timedelta(days=30))
    found = []
    for s in c.homes():
        if s.home.status != "registered" or not s.below_target:
            continue
        earlier = before.get(s.home.id)
        trend = ""
        if earlier is not None and earlier.pct_registered is not None:
            trend = f" (the 30 nights before: {earlier.pct_registered:g}%)"
        found.append(Condition(
            "occupancy_below_target", f"occupancy_below_target:{s.home.id}", "medium",
            f"{s.home.name}: occupancy over the last 30 nights was "
            f"{s.last_30.pct_registered:g}% of registered places, below its {s.target}% "
            f"target{trend}.", home_id=s.home.id, subject_type="homes", subject_id=s.home.id,
            link_endpoint="homes.show", link_args={"home_id": s.home.id}))
    return found


def _full(s) -> bool:
    return s.home.status == "registered" and s.counts.get("available", 0) == 0


def home_full(c: Context) -> list[Condition]:
    """An open home with no bed available tonight for an emergency admission."""
    return [Condition(
        "home_full", f"home_full:{s.home.id}", "medium",
        f"{s.home.name} has no bed available tonight for an emergency admission: "
        f"{s.counts.get('occupied', 0)} occupied, {s.counts.get('held', 0)} held, "
        f"{s.counts.get('out_of_use', 0)} out of use.", home_id=s.home.id,
        subject_type="homes", subject_id=s.home.id, link_endpoint="homes.show",
        link_args={"home_id": s.home.id}) for s in c.homes() if _full(s)]


def all_homes_full(c: Context) -> list[Condition]:
    """Every open home full: nowhere in the council's own homes for an emergency tonight."""
    open_homes = [s for s in c.homes() if s.home.status == "registered"]
    if not open_homes or not all(_full(s) for s in open_homes):
        return []
    return [Condition("all_homes_full", "all_homes_full", "high",
                      f"All {len(open_homes)} open homes are full tonight: no bed for an "
                      "emergency admission.", link_endpoint="homes.overview", link_args={})]


def bed_void(c: Context) -> list[Condition]:
    """A bed in service, vacant or held, for `void_days` nights or more: since the last stay in
    it ended, or it came back into use, or came into service; with the void's cost so far."""
    registered = {s.home.id: s.home for s in c.homes() if s.home.status == "registered"}
    beds = [(registered[home_id], b)
            for home_id, home_beds in beds_tonight(list(registered), c.today).items()
            for b in home_beds if b.state in ("available", "held")]
    ids = [b.bed.id for _, b in beds]
    last_stay = dict(db.session.execute(
        select(Placement.bed_id, func.max(Placement.ends_on))
        .where(Placement.bed_id.in_(ids), Placement.status == "confirmed",
               Placement.ends_on <= c.today).group_by(Placement.bed_id)).all())
    last_out = dict(db.session.execute(
        select(BedOutOfUse.bed_id, func.max(BedOutOfUse.ends_on))
        .where(BedOutOfUse.bed_id.in_(ids), BedOutOfUse.ends_on <= c.today)
        .group_by(BedOutOfUse.bed_id)).all())
    found = []
    for home, b in beds:
        since = max(x for x in (last_stay.get(b.bed.id), last_out.get(b.bed.id),
                                b.bed.in_service_from, home.registered_on) if x is not None)
        nights = (c.today - since).days
        if nights < c.settings.void_days:
            continue
        cost = ""
        if home.weekly_unit_cost_pence:
            cost = (f" Void cost so far about {pounds(home.weekly_unit_cost_pence * nights / 7)}"
                    " at the home's weekly unit cost.")
        found.append(Condition(
            "bed_void", f"bed_void:{b.bed.id}:{since.isoformat()}", "low",
            f"{home.name}, {b.bed.label}: {b.state} for {nights} nights, since {short_date(since)}."
            f"{cost}", home_id=home.id, subject_type="beds", subject_id=b.bed.id,
            link_endpoint="homes.show", link_args={"home_id": home.id}))
    return found


# ---- registration --------------------------------------------------------------------------

def _open_steps(c: Context):
    for row in c.shared("pipeline", lambda: pipeline(c.today)):
        if row.view is None:
            continue
        for step_row in row.view.rows:
            if not step_row.step.done:
                yield row.home, step_row, step_row.step.target_on or step_row.date.projected


def _step(kind: str, home: Home, step, severity: str, text: str) -> Condition:
    return Condition(kind, f"{kind}:{step.id}", severity, f"{home.name}: {text}",
                     home_id=home.id, subject_type="registration_steps", subject_id=step.id,
                     link_endpoint="registration.plan", link_args={"home_id": home.id})


def milestone_due(c: Context) -> list[Condition]:
    """A registration step not done, due within `milestone_lead_days` (today included)."""
    last = c.today + timedelta(days=c.settings.milestone_lead_days)
    return [_step("milestone_due", home, row.step, "low",
                  f"registration step \u201c{row.step.name}\u201d is due on {short_date(due)} "
                  f"({(due - c.today).days} days).")
            for home, row, due in _open_steps(c) if c.today <= due <= last]


def milestone_overdue(c: Context) -> list[Condition]:
    """A registration step not done after the date it was due."""
    return [_step("milestone_overdue", home, row.step, "medium",
                  f"registration step \u201c{row.step.name}\u201d was due on {short_date(due)} and is "
                  f"{(c.today - due).days} days overdue.")
            for home, row, due in _open_steps(c) if due < c.today]


def opening_slipping(c: Context) -> list[Condition]:
    """A home's projected opening date later than its opening step's target."""
    found = []
    for row in c.shared("pipeline", lambda: pipeline(c.today)):
        view = row.view
        if view is None or view.days_late <= 0:
            continue
        driver = f" The step driving it is \u201c{view.driver.step.name}\u201d." \
            if view.driver else ""
        found.append(Condition(
            "opening_slipping", f"opening_slipping:{row.home.id}", "medium",
            f"{row.home.name}: projected opening {short_date(view.projection.opening)} is "
            f"{view.days_late} days after its target {short_date(view.opening_step.target_on)}.{driver}",
            home_id=row.home.id, subject_type="homes", subject_id=row.home.id,
            link_endpoint="registration.plan", link_args={"home_id": row.home.id}))
    return found


# ---- compliance ----------------------------------------------------------------------------

def _due(c: Context):
    return c.shared("due", lambda: due_list(None, c.today, c.now))


def _occurrence(kind: str, item, severity: str, text: str) -> Condition:
    o = item.occurrence
    return Condition(kind, f"{kind}:{o.id}", severity, f"{item.home.name}: {text}",
                     home_id=item.home.id, subject_type="compliance_occurrences",
                     subject_id=o.id, link_endpoint="compliance.calendar",
                     link_args={"home_id": item.home.id})


def compliance_due(c: Context) -> list[Condition]:
    """A compliance deadline (Reg 44, Reg 45, inspection window, certificate) within its rule's
    notice period; the notice days are set per rule on the compliance rules page."""
    return [_occurrence("compliance_due", i, "low",
                        f"{i.title} is due by {short_date(i.due_on)} ({(i.due_on - c.today).days} days).")
            for i in _due(c).items if i.occurrence is not None and not i.overdue]


def compliance_overdue(c: Context) -> list[Condition]:
    return [_occurrence("compliance_overdue", i, "high",
                        f"{i.title} was due by {short_date(i.due_on)} and is "
                        f"{(c.today - i.due_on).days} days overdue.")
            for i in _due(c).items if i.occurrence is not None and i.overdue]


def reg40_late(c: Context) -> list[Condition]:
    """A serious event not notified within 24 hours of it (Reg 40)."""
    return [Condition(
        "reg40_late", f"reg40_late:{i.notification.id}", "high",
        f"{i.home.name}: a Reg 40 notification was due by "
        f"{i.deadline.astimezone(c.now.tzinfo).strftime('%-d %b %Y %H:%M')} and has not been "
        "recorded as made.", home_id=i.home.id, subject_type="reg40_notifications",
        subject_id=i.notification.id, link_endpoint="compliance.notifications",
        link_args={"home_id": i.home.id})
        for i in _due(c).items if i.notification is not None and i.overdue]


# ---- retention -----------------------------------------------------------------------------

def records_past_retention(c: Context) -> list[Condition]:
    """Findings of the retention review (its own nightly job) that no administrator has decided
    on yet: one alert while any wait, the figure in the message."""
    waiting, records = db.session.execute(
        select(func.count(RetentionReview.id), func.coalesce(func.sum(RetentionReview.record_count), 0))
        .where(RetentionReview.state == "awaiting")).one()
    if not waiting:
        return []
    return [Condition(
        "records_past_retention", "records_past_retention", "low",
        f"{waiting} finding{'s' if waiting != 1 else ''} of the retention review "
        f"({records} record{'s' if records != 1 else ''}) past retention, waiting for an "
        "administrator to confirm disposal or keep them with a reason",
        link_endpoint="retention.index", link_args={})]
