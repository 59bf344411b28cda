"""Where each bed stands tonight (occupied, held, out of use, available) and each home's
summary for the homes list and a home's page: read from the stays, holds and out-of-use
periods together."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..homes.models import Bed, BedHold, BedOutOfUse, Home
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
    if not bed.in_service_on(night):
        return BedTonight(bed, "not_in_service")
    if out:
        return BedTonight(bed, "out_of_use", out_of_use=out)
    if stay and stay.status == "confirmed" and stay.starts_on <= night:
        return BedTonight(bed, "occupied", placement=stay)
    if stay:
        return BedTonight(bed, "held", planned=stay)
    if hold:
        return BedTonight(bed, "held", hold=hold)
    return BedTonight(bed, "available")


@dataclass
class HomeSummary:
    home: Home
    beds: list[BedTonight]
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
    stmt = select(Home).where(Home.status != "closed").order_by(Home.name)
    if home_ids is not None:
        stmt = stmt.where(Home.id.in_(home_ids))
    homes = db.session.scalars(stmt).all()
    ids = [h.id for h in homes]
    tonight = beds_tonight(ids, today)
    last_30 = occupancy_by_home(today - timedelta(days=30), today, ids)
    summaries = []
    for home in homes:
        beds = tonight[home.id]
        counts: dict[str, int] = {}
        for b in beds:
            counts[b.state] = counts.get(b.state, 0) + 1
        summaries.append(HomeSummary(home, beds, last_30.get(home.id, Occupancy()),
                                     home.target_occupancy_pct or default_target, counts))
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
