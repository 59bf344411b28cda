"""Occupancy in bed-nights, summed in SQL by interval arithmetic (never day by day).

For a period [start, end) each interval contributes
max(0, min(its end, end) - max(its start, start)) nights. Beds count only while in service
and while their home is registered; voids carry their reason. Several periods (a report's
months, a home's page) are summed in one statement with the same arithmetic, each interval
joined to every period it shares a night with.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from operator import attrgetter

from sqlalchemy import Date, Integer, bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.expression import ColumnElement, Subquery, join, literal_column, true

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
_figures = attrgetter(*_FIELDS)


def _nights(lo, hi):
    """SQL: nights in [lo, hi), never negative."""
    return latest(days_between(lo, hi), 0, type_=Integer())


# The period's bounds, bound at execution so the statement is built and compiled once.
START = bindparam("period_start", type_=Date())
END = bindparam("period_end", type_=Date())
HOME_IDS = bindparam("home_ids", expanding=True)
# Several periods: the first night of the earliest and the end of the latest.
SPAN_START = bindparam("span_start", type_=Date())
SPAN_END = bindparam("span_end", type_=Date())


@dataclass(frozen=True)
class _Bounds:
    """The periods a statement sums over: START and END, or a derived table of several
    periods (n, period_start, period_end) that every branch is joined to and grouped by."""

    start: ColumnElement
    end: ColumnElement
    periods: Subquery | None = None

    def homes(self):
        """Homes, or each home beside each period: what every branch selects from."""
        return Home if self.periods is None else join(self.periods, Home, true())

    def number(self):
        return literal_column("0", Integer()) if self.periods is None else self.periods.c.n


def _bounds(count: int) -> _Bounds:
    """One period from START and END (count 0), or `count` periods bound as start_<n> and
    end_<n>: a SELECT of parameters per period, so SQLite and PostgreSQL read it alike."""
    if not count:
        return _Bounds(START, END)
    rows = [select(literal_column(str(n), Integer()).label("n"),
                   bindparam(f"start_{n}", type_=Date()).label("period_start"),
                   bindparam(f"end_{n}", type_=Date()).label("period_end"))
            for n in range(count)]
    periods = (union_all(*rows) if count > 1 else rows[0]).subquery("periods")
    return _Bounds(periods.c.period_start, periods.c.period_end, periods)


def _window(bounds: _Bounds, *starts, ends=()):
    """SQL bounds of the period clipped by interval starts and (nullable) ends."""
    lo = latest(bounds.start, *starts)
    hi = earliest(bounds.end, *(func.coalesce(e, as_date(FAR_FUTURE)) for e in ends))
    return lo, hi


def _registered_window():
    """A home counts from its registration (never, if none) to its closure."""
    return (func.coalesce(Home.registered_on, as_date(FAR_FUTURE)),), (Home.closed_on,)


def occupancy_by_home(start: date, end: date,
                      home_ids: Iterable[int] | None = None) -> dict[int, Occupancy]:
    """Occupancy of each home over [start, end), in one statement whatever the number of homes."""
    return _sums(0, {"period_start": start, "period_end": end}, home_ids)[0]


def occupancy_in_periods(periods: Sequence[tuple[date, date]],
                         home_ids: Iterable[int] | None = None) -> list[dict[int, Occupancy]]:
    """Occupancy of each home in each period [start, end) (a report's months), in one
    statement whatever the number of homes and periods: the same sums as occupancy_by_home."""
    if not periods:
        return []
    params = {"span_start": min(start for start, _ in periods),
              "span_end": max(end for _, end in periods)}
    for n, (start, end) in enumerate(periods):
        params[f"start_{n}"], params[f"end_{n}"] = start, end
    return _sums(len(periods), params, home_ids)


def _sums(count: int, params: dict, home_ids: Iterable[int] | None) -> list[dict[int, Occupancy]]:
    if home_ids is not None:
        params["home_ids"] = list(home_ids)
    result: list[dict[int, Occupancy]] = [{} for _ in range(max(1, count))]
    for kind, n, home_id, first, second in db.session.execute(
            _statement(home_ids is not None, count), params):
        occupancy = result[n].get(home_id) or result[n].setdefault(home_id, Occupancy())
        if kind == "stays":
            occupancy.occupied, occupancy.held_planned = int(first or 0), int(second or 0)
        else:
            setattr(occupancy, kind, int(first or 0))
    return result


def total(by_home: dict[int, Occupancy]) -> Occupancy:
    return added(by_home.values())


def added(occupancies: Iterable[Occupancy]) -> Occupancy:
    """Occupancies added up field by field, in one pass (a report adds up thousands)."""
    return Occupancy(*map(sum, zip(*map(_figures, occupancies), strict=True)))


@cache
def _statement(filtered: bool, count: int = 0):
    """Every sum, per home (and period), as rows of (kind, period number, home, nights[,
    nights]) from one UNION ALL; `count` periods from a derived table, or START and END."""
    bounds = _bounds(count)
    reg_starts, reg_ends = _registered_window()
    lo, hi = _window(bounds, *reg_starts, ends=reg_ends)
    registered = select(Home.id, func.sum(Home.max_children * _nights(lo, hi)))
    lo, hi = _window(bounds, Bed.in_service_from, *reg_starts,
                     ends=(Bed.in_service_until, *reg_ends))
    in_service = select(Home.id, func.sum(_nights(lo, hi))).select_from(bounds.homes()) \
        .join(Bed, Bed.home_id == Home.id)
    parts = {
        "registered": registered.select_from(bounds.homes()),
        "in_service": in_service,
        "out_of_use": _interval_sum(bounds, BedOutOfUse, BedOutOfUse.starts_on,
                                    BedOutOfUse.ends_on),
        "held_matching": _interval_sum(bounds, BedHold, BedHold.starts_on, BedHold.ends_on),
        "stays": _stays(bounds),
    }
    branches = []
    for kind, stmt in parts.items():
        columns = list(stmt.selected_columns)
        if len(columns) == 2:
            columns.append(literal(0, Integer()))
        stmt = stmt.with_only_columns(literal(kind).label("kind"), bounds.number(), *columns)
        if filtered:
            stmt = stmt.where(Home.id.in_(HOME_IDS))
        keys = (Home.id,) if bounds.periods is None else (bounds.periods.c.n, Home.id)
        branches.append(stmt.group_by(*keys))
    return union_all(*branches)


def _stays(bounds: _Bounds):
    """Occupied nights [starts_on, ends_on) of confirmed stays, and nights a bed was held for a
    planned admission [held_from, arrival or cancellation), in one pass over the stays."""
    stays = Placement if bounds.periods is None else _touching_the_span()
    p = stays if stays is Placement else stays.c
    lo, hi = _window(bounds, p.starts_on, ends=(p.ends_on,))
    occupied = case((p.status == "confirmed", _nights(lo, hi)), else_=0)
    hold_end = case((p.status == "confirmed", p.starts_on), (p.status == "cancelled", p.ends_on),
                    else_=as_date(FAR_FUTURE))
    lo, hi = _window(bounds, p.held_from, ends=(hold_end,))
    held = case((p.held_from < p.starts_on, _nights(lo, hi)), else_=0)
    return (select(Home.id, func.sum(occupied), func.sum(held)).select_from(bounds.homes())
            .join(stays, p.home_id == Home.id)
            .where(p.held_from < bounds.end,
                   func.coalesce(p.ends_on, as_date(FAR_FUTURE)) > bounds.start))


def _touching_the_span():
    """The stays that share a night with any of several periods, read once (MATERIALIZED, on
    both databases) and joined to each period, rather than every stay read once per period:
    the stays of ten years are the bulk of the statement's work."""
    return (select(Placement.home_id, Placement.held_from, Placement.starts_on,
                   Placement.ends_on, Placement.status)
            .where(Placement.held_from < SPAN_END,
                   func.coalesce(Placement.ends_on, as_date(FAR_FUTURE)) > SPAN_START)
            .cte("touching").prefix_with("MATERIALIZED"))


def _interval_sum(bounds: _Bounds, model, starts_col, ends_col):
    """Nights of a bed-interval table inside the bed's service and the home's registration."""
    reg_starts, reg_ends = _registered_window()
    lo, hi = _window(bounds, starts_col, Bed.in_service_from, *reg_starts,
                     ends=(ends_col, Bed.in_service_until, *reg_ends))
    return (select(Home.id, func.sum(_nights(lo, hi))).select_from(bounds.homes())
            .join(Bed, Bed.home_id == Home.id).join(model, model.bed_id == Bed.id)
            .where(starts_col < bounds.end,
                   func.coalesce(ends_col, as_date(FAR_FUTURE)) > bounds.start))


def home_occupancy(home_id: int, start: date, end: date) -> Occupancy:
    return occupancy_by_home(start, end, [home_id]).get(home_id, Occupancy())


def home_occupancy_in(home_id: int, periods: Sequence[tuple[date, date]]) -> list[Occupancy]:
    """A home's occupancy in each period, in one statement."""
    return [o.get(home_id, Occupancy()) for o in occupancy_in_periods(periods, [home_id])]


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
