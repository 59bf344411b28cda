"""Where each bed stands tonight (occupied, held, out of use, available) and each home's
summary for the homes list and a home's page: read from the stays, holds and out-of-use
periods together."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, lazyload

from ..extensions import db
from ..homes.models import Bed, BedHold, BedOutOfUse, Home, in_service_on
from .models import Placement
from .queries import Occupancy, occupancy_by_home


@dataclass
class BedTonight:
    bed: Bed
    state: str  # occupied, held, out_of_use, available, not_in_service
    placement: Placement | None = None
    hold: BedHold | None = None
    planned: Placement | None = None
    out_of_use: BedOutOfUse | None = None


def _covers(start_col, end_col, night: date):
    return (start_col <= night) & or_(end_col.is_(None), end_col > night)


def beds_tonight(home_ids: list[int], night: date) -> dict[int, list[BedTonight]]:
    """Each bed's state on `night`, per home: four queries, whatever the number of homes."""
    beds = db.session.scalars(select(Bed).where(Bed.home_id.in_(home_ids))
                              .order_by(Bed.home_id, Bed.label)).all()
    stays = {p.bed_id: p for p in db.session.scalars(
        select(Placement).options(joinedload(Placement.child))
        .where(Placement.home_id.in_(home_ids), Placement.status != "cancelled",
               _covers(Placement.held_from, Placement.ends_on, night)))}
    holds = {h.bed_id: h for h in db.session.scalars(
        select(BedHold).join(Bed).where(Bed.home_id.in_(home_ids),
                                        _covers(BedHold.starts_on, BedHold.ends_on, night)))}
    out = {o.bed_id: o for o in db.session.scalars(
        select(BedOutOfUse).join(Bed).where(Bed.home_id.in_(home_ids),
                                            _covers(BedOutOfUse.starts_on, BedOutOfUse.ends_on,
                                                    night)))}
    result: dict[int, list[BedTonight]] = {h: [] for h in home_ids}
    for bed in beds:
        result[bed.home_id].append(_state(bed, night, stays.get(bed.id), holds.get(bed.id),
                                          out.get(bed.id)))
    return result


def _state(bed: Bed, night: date, stay, hold, out) -> BedTonight:
    state = state_name(bed.in_service_on(night), out is not None,
                       stay and (stay.status, stay.starts_on), hold is not None, night)
    if state == "occupied":
        return BedTonight(bed, state, placement=stay)
    if state == "held":
        return BedTonight(bed, state, planned=stay) if stay else BedTonight(bed, state, hold=hold)
    return BedTonight(bed, state, out_of_use=out if state == "out_of_use" else None)


def state_name(in_service: bool, out_of_use: bool, stay: tuple[str, date] | None, held: bool,
               night: date) -> str:
    """A bed's state on `night`: out of use beats a stay, a confirmed stay that has begun
    occupies it, a planned stay or a hold holds it."""
    if not in_service:
        return "not_in_service"
    if out_of_use:
        return "out_of_use"
    if stay and stay[0] == "confirmed" and stay[1] <= night:
        return "occupied"
    return "held" if stay or held else "available"


def counts_tonight(home_ids: list[int], night: date) -> dict[int, dict[str, int]]:
    """How many of each home's beds stand in each state on `night`, in one statement of plain
    rows (a list of homes needs the counts, not the beds): each bed with the stay covering the
    night, if any, and whether a hold or an out-of-use period covers it."""
    held = exists().where(BedHold.bed_id == Bed.id,
                          _covers(BedHold.starts_on, BedHold.ends_on, night))
    out = exists().where(BedOutOfUse.bed_id == Bed.id,
                         _covers(BedOutOfUse.starts_on, BedOutOfUse.ends_on, night))
    rows = db.session.execute(
        select(Bed.id, Bed.home_id, Bed.in_service_from, Bed.in_service_until,
               Placement.status, Placement.starts_on, held, out)
        .outerjoin(Placement, (Placement.bed_id == Bed.id) & (Placement.status != "cancelled")
                   & _covers(Placement.held_from, Placement.ends_on, night))
        .where(Bed.home_id.in_(home_ids)))
    states: dict[int, tuple[int, str]] = {}  # a bed with two stays that night counts once
    for bed, home, since, until, status, starts, is_held, is_out in rows:
        stay = (status, starts) if status else None
        states[bed] = home, state_name(in_service_on(since, until, night), bool(is_out), stay,
                                       bool(is_held), night)
    counts: dict[int, dict[str, int]] = {h: {} for h in home_ids}
    for home, state in states.values():
        counts[home][state] = counts[home].get(state, 0) + 1
    return counts


@dataclass
class HomeSummary:
    home: Home
    last_30: Occupancy
    target: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def children_tonight(self) -> int:
        return self.counts.get("occupied", 0)

    @property
    def below_target(self) -> bool:
        pct = self.last_30.pct_registered
        return pct is not None and pct < self.target


def overview(today: date, default_target: int, home_ids: list[int] | None = None
             ) -> list[HomeSummary]:
    """Every open or registering home in scope, with tonight's beds and the last 30 nights."""
    stmt = (select(Home).options(lazyload(Home.beds)).where(Home.status != "closed")
            .order_by(Home.name))
    if home_ids is not None:
        stmt = stmt.where(Home.id.in_(home_ids))
    homes = db.session.scalars(stmt).all()
    ids = [h.id for h in homes]
    tonight = counts_tonight(ids, today)
    last_30 = occupancy_by_home(today - timedelta(days=30), today, ids)
    summaries = [HomeSummary(home, last_30.get(home.id, Occupancy()),
                             home.target_occupancy_pct or default_target, tonight[home.id])
                 for home in homes]
    return summaries


def council_tonight(summaries: list[HomeSummary]) -> dict[str, int]:
    """Tonight's beds added up over the homes that are open."""
    total = {"places": 0, "occupied": 0, "available": 0, "held": 0, "out_of_use": 0}
    for s in summaries:
        if s.home.status != "registered":
            continue
        total["places"] += s.home.max_children
        for state in ("occupied", "available", "held", "out_of_use"):
            total[state] += s.counts.get(state, 0)
    return total
