"""Occupancy in bed-nights, summed in SQL by interval arithmetic (never day by day).

For a period [start, end) each interval contributes
max(0, min(its end, end) - max(its start, start)) nights. Beds count only while in service
and while their home is registered; voids carry their reason.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, Integer, bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import joinedload

from ..common.sql import FAR_FUTURE, as_date, days_between, earliest, latest
from ..extensions import db
from ..homes.models import Bed, BedHold, BedOutOfUse, Home
from .models import Placement


@dataclass
class Occupancy:
    """Bed-nights of one home (or all) over a period."""

    registered: int = 0  # registered places x nights registered
    in_service: int = 0  # bed-nights of beds in service while the home is registered
    occupied: int = 0
    out_of_use: int = 0
    held_matching: int = 0
    held_planned: int = 0

    @property
    def in_use(self) -> int:
        """Beds in use: in service and not out of use."""
        return self.in_service - self.out_of_use

    @property
    def voids(self) -> int:
        return self.in_use - self.occupied

    @property
    def vacant(self) -> int:
        return max(0, self.in_use - self.occupied - self.held_matching - self.held_planned)

    @property
    def pct_registered(self) -> float | None:
        return round(100 * self.occupied / self.registered, 1) if self.registered else None

    @property
    def pct_in_use(self) -> float | None:
        return round(100 * self.occupied / self.in_use, 1) if self.in_use else None

    def __add__(self, other: Occupancy) -> Occupancy:
        return Occupancy(*(getattr(self, f) + getattr(other, f) for f in _FIELDS))


_FIELDS = ("registered", "in_service", "occupied", "out_of_use", "held_matching", "held_planned")


def _nights(lo, hi):
    """SQL: nights in [lo, hi), never negative."""
    return latest(days_between(lo, hi), 0, type_=Integer())


# The period's bounds, bound at execution so the statement is built and compiled once.
START = bindparam("period_start", type_=Date())
END = bindparam("period_end", type_=Date())
HOME_IDS = bindparam("home_ids", expanding=True)


def _window(*starts, ends=()):
    """SQL bounds of the period clipped by interval starts and (nullable) ends."""
    lo = latest(START, *starts)
    hi = earliest(END, *(func.coalesce(e, as_date(FAR_FUTURE)) for e in ends))
    return lo, hi


def _registered_window():
    """A home counts from its registration (never, if none) to its closure."""
    return (func.coalesce(Home.registered_on, as_date(FAR_FUTURE)),), (Home.closed_on,)


def occupancy_by_home(start: date, end: date,
                      home_ids: Iterable[int] | None = None) -> dict[int, Occupancy]:
    """Occupancy of each home over [start, end), in one statement whatever the number of homes."""
    params = {"period_start": start, "period_end": end}
    if home_ids is not None:
        params["home_ids"] = list(home_ids)
    result: dict[int, Occupancy] = {}
    for kind, home_id, first, second in db.session.execute(
            _statement(home_ids is not None), params):
        occupancy = result.setdefault(home_id, Occupancy())
        for name, nights in zip(_KINDS[kind], (first, second), strict=False):
            setattr(occupancy, name, int(nights or 0))
    return result


def total(by_home: dict[int, Occupancy]) -> Occupancy:
    return sum(by_home.values(), Occupancy())


_KINDS = {"registered": ("registered",), "in_service": ("in_service",),
          "out_of_use": ("out_of_use",), "held_matching": ("held_matching",),
          "stays": ("occupied", "held_planned")}


@cache
def _statement(filtered: bool):
    """Every sum, per home, as rows of (kind, home, nights[, nights]) from one UNION ALL."""
    reg_starts, reg_ends = _registered_window()
    lo, hi = _window(*reg_starts, ends=reg_ends)
    registered = select(Home.id, func.sum(Home.max_children * _nights(lo, hi)))
    lo, hi = _window(Bed.in_service_from, *reg_starts, ends=(Bed.in_service_until, *reg_ends))
    in_service = select(Home.id, func.sum(_nights(lo, hi))).join(Bed, Bed.home_id == Home.id)
    parts = {
        "registered": registered,
        "in_service": in_service,
        "out_of_use": _interval_sum(BedOutOfUse, BedOutOfUse.starts_on, BedOutOfUse.ends_on),
        "held_matching": _interval_sum(BedHold, BedHold.starts_on, BedHold.ends_on),
        "stays": _stays(),
    }
    branches = []
    for kind, stmt in parts.items():
        columns = list(stmt.selected_columns)
        if len(columns) == 2:
            columns.append(literal(0, Integer()))
        stmt = stmt.with_only_columns(literal(kind).label("kind"), *columns)
        if filtered:
            stmt = stmt.where(Home.id.in_(HOME_IDS))
        branches.append(stmt.group_by(Home.id))
    return union_all(*branches)


def _stays():
    """Occupied nights [starts_on, ends_on) of confirmed stays, and nights a bed was held for a
    planned admission [held_from, arrival or cancellation), in one pass over the stays."""
    lo, hi = _window(Placement.starts_on, ends=(Placement.ends_on,))
    occupied = case((Placement.status == "confirmed", _nights(lo, hi)), else_=0)
    hold_end = case((Placement.status == "confirmed", Placement.starts_on),
                    (Placement.status == "cancelled", Placement.ends_on),
                    else_=as_date(FAR_FUTURE))
    lo, hi = _window(Placement.held_from, ends=(hold_end,))
    held = case((Placement.held_from < Placement.starts_on, _nights(lo, hi)), else_=0)
    return (select(Home.id, func.sum(occupied), func.sum(held))
            .join(Placement, Placement.home_id == Home.id)
            .where(Placement.held_from < END,
                   func.coalesce(Placement.ends_on, as_date(FAR_FUTURE)) > START))


def _interval_sum(model, starts_col, ends_col):
    """Nights of a bed-interval table inside the bed's service and the home's registration."""
    reg_starts, reg_ends = _registered_window()
    lo, hi = _window(starts_col, Bed.in_service_from, *reg_starts,
                     ends=(ends_col, Bed.in_service_until, *reg_ends))
    return (select(Home.id, func.sum(_nights(lo, hi)))
            .join(Bed, Bed.home_id == Home.id).join(model, model.bed_id == Bed.id)
            .where(starts_col < END, func.coalesce(ends_col, as_date(FAR_FUTURE)) > START))


def home_occupancy(home_id: int, start: date, end: date) -> Occupancy:
    return occupancy_by_home(start, end, [home_id]).get(home_id, Occupancy())


@dataclass
class Move:
    """One move as a home's page lists it: an arrival or a departure on a date."""

    on: date
    kind: str  # admission, emergency admission, transfer in, transfer out, discharge
    placement: Placement


def recent_moves(home_id: int, today: date, limit: int = 10) -> list[Move]:
    """The home's latest arrivals and departures up to today, newest first: one query."""
    stays = db.session.scalars(
        select(Placement).options(joinedload(Placement.child), joinedload(Placement.bed))
        .where(Placement.home_id == home_id, Placement.status == "confirmed",
               Placement.starts_on <= today)
        .order_by(func.coalesce(Placement.ends_on, Placement.starts_on).desc())
        .limit(limit * 2)).all()
    moves = []
    for p in stays:
        arrival = {"emergency": "Emergency admission", "transfer": "Transfer in"}.get(
            p.admission_type, "Planned admission")
        moves.append(Move(p.starts_on, arrival, p))
        if p.ends_on is not None and p.ends_on <= today:
            moves.append(Move(p.ends_on, "Transfer out" if p.end_reason == "transfer"
                              else "Discharge", p))
    return sorted(moves, key=lambda m: (m.on, m.kind != "Discharge"), reverse=True)[:limit]
