"""Moves: admissions (planned, emergency), transfers, discharges by destination, planned and
unplanned endings, length of stay, and placement stability (children with 3 or more
placements in the 12 months to the period's end, counting all their stays in these homes)."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..placements.models import DISCHARGE_DESTINATIONS, Child, Placement
from .charts import bar_chart
from .common import homes_by_id
from .periods import Period
from .tables import Column, Report, Table

COUNCIL = "All homes"
STABILITY_PLACEMENTS = 3


@dataclass
class Stay:
    """A confirmed placement as the report reads it."""

    id: int
    child_id: int
    home_id: int
    admission_type: str
    starts_on: date
    ends_on: date | None
    end_reason: str | None
    destination: str | None
    ending_planned: bool | None
    previous_id: int | None
    previous_home_id: int | None
    case_reference: str


def _stays(children_of, window_start: date, end: date) -> list[Stay]:
    """Every confirmed stay of the children `children_of` selects, ordered: one query."""
    previous = aliased(Placement)
    rows = db.session.execute(
        select(Placement.id, Placement.child_id, Placement.home_id, Placement.admission_type,
               Placement.starts_on, Placement.ends_on, Placement.end_reason,
               Placement.discharge_destination, Placement.ending_planned,
               Placement.previous_placement_id, previous.home_id, Child.case_reference)
        .join(Child, Child.id == Placement.child_id)
        .outerjoin(previous, previous.id == Placement.previous_placement_id)
        .where(Placement.status == "confirmed", Placement.starts_on < end,
               Placement.child_id.in_(children_of))
        .order_by(Placement.child_id, Placement.starts_on, Placement.id))
    return [Stay(*row) for row in rows]


def _children_in(home_ids: list[int], start: date, end: date):
    """SQL: children with a confirmed stay in these homes overlapping [start, end)."""
    return (select(Placement.child_id)
            .where(Placement.status == "confirmed", Placement.home_id.in_(home_ids),
                   Placement.starts_on < end,
                   # a stay ending on the first day still has its discharge in the period
                   or_(Placement.ends_on.is_(None), Placement.ends_on >= start))
            .distinct())


def _twelve_months_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: a year before is 1 March
        return date(day.year - 1, 3, 1)


def _run_starts(stays: list[Stay]) -> dict[int, date]:
    """For each stay, the day the child's unbroken time in these homes began (transfers
    carry it over from the stay before)."""
    starts: dict[int, date] = {}
    for s in stays:  # ordered by start, so the previous stay is already known
        starts[s.id] = starts.get(s.previous_id, s.starts_on) if s.previous_id else s.starts_on
    return starts


def _placements_by_child(stays: list[Stay], start: date, end: date) -> dict[int, int]:
    """Placements overlapping [start, end) per child; a move to another bed of the same home
    is the same placement (the child's carers have not changed)."""
    counts: Counter[int] = Counter()
    for s in stays:
        overlaps = s.starts_on < end and (s.ends_on is None or s.ends_on > start)
        bed_move = s.admission_type == "transfer" and s.previous_home_id == s.home_id
        if overlaps and not (bed_move and s.starts_on > start):
            counts[s.child_id] += 1
    return counts


def moves_report(period: Period, home_ids: Iterable[int], *,
                 show_case_references: bool = False) -> Report:
    homes = homes_by_id(home_ids)
    ids = list(homes)
    start, end = period.first, period.end
    window = _twelve_months_before(end)
    stays = _stays(_children_in(ids, min(start, window), end), min(start, window), end) \
        if ids else []
    report = Report("moves", "Admissions, transfers, discharges and stability", period.label)

    in_period = [s for s in stays if s.home_id in homes]
    per_home: dict[int, Counter] = defaultdict(Counter)
    destinations: dict[str, Counter] = defaultdict(Counter)
    lengths: dict[int, list[int]] = defaultdict(list)
    run_start = _run_starts(stays)
    next_home = _next_homes(stays)
    for s in in_period:
        c = per_home[s.home_id]
        if start <= s.starts_on < end:
            if s.admission_type in ("planned", "emergency"):
                c[s.admission_type] += 1
            elif s.previous_home_id == s.home_id:
                c["bed_move"] += 1
            else:
                c["transfer_in"] += 1
        if s.ends_on is not None and start <= s.ends_on < end:
            if s.end_reason == "discharge":
                c["discharge"] += 1
                destinations[s.destination or "other"][s.home_id] += 1
                lengths[s.home_id].append((s.ends_on - run_start[s.id]).days)
            elif s.end_reason == "transfer" and next_home.get(s.id) != s.home_id:
                c["transfer_out"] += 1
            else:
                continue  # a move to another bed of the same home ends no placement
            c["planned_ending" if s.ending_planned else "unplanned_ending"] += 1

    shown = [h for h in homes.values() if per_home[h.id]]
    moves = Table("Moves in the period", [
        Column("Home"), Column("Planned admissions", "int"), Column("Emergency admissions", "int"),
        Column("Transfers in from another home", "int"),
        Column("Transfers out to another home", "int"),
        Column("Moves between beds in the home", "int"), Column("Discharges", "int"),
        Column("Planned endings", "int"), Column("Unplanned endings", "int")], key="Moves")
    keys = ("planned", "emergency", "transfer_in", "transfer_out", "bed_move", "discharge",
            "planned_ending", "unplanned_ending")
    for home in shown:
        moves.add(home.name, *(per_home[home.id][k] for k in keys))
    if shown:
        moves.add(COUNCIL, *(sum(per_home[h.id][k] for h in shown) for k in keys))

    by_destination = Table("Discharges by destination", [
        Column("Destination"), Column("Discharges", "int")], key="Destinations")
    for code, label in DISCHARGE_DESTINATIONS.items():
        if destinations.get(code):
            by_destination.add(label, sum(destinations[code].values()))

    stay_table = Table("Length of stay of children discharged in the period, in days", [
        Column("Home"), Column("Children discharged", "int"), Column("Average", "days"),
        Column("Median", "days")], key="Length of stay")
    for home in shown:
        if lengths[home.id]:
            stay_table.add(home.name, *_average_median(lengths[home.id]))
    every = [n for h in shown for n in lengths[h.id]]
    if every:
        stay_table.add(COUNCIL, *_average_median(every))

    counts = _placements_by_child(stays, window, end)
    ours = {s.child_id for s in stays if s.home_id in homes and s.starts_on < end
            and (s.ends_on is None or s.ends_on > window)}
    unstable = sorted({s.case_reference for s in stays
                       if s.child_id in ours and counts[s.child_id] >= STABILITY_PLACEMENTS})
    stability = Table(f"Placement stability: 12 months to {period.last:%-d %b %Y}", [
        Column("Measure"), Column("Children", "int")], key="Stability")
    if ours:
        stability.add("Children placed in these homes in the 12 months", len(ours))
        stability.add(f"Children with {STABILITY_PLACEMENTS} or more placements", len(unstable))
    report.tables = [moves, by_destination, stay_table, stability]
    if show_case_references and unstable:
        listed = Table(f"Children with {STABILITY_PLACEMENTS} or more placements",
                       [Column("Case reference"), Column("Placements", "int")],
                       key="Three or more")
        by_ref = {s.case_reference: counts[s.child_id] for s in stays}
        for ref in unstable:
            listed.add(ref, by_ref[ref])
        report.tables.append(listed)
    if by_destination.rows:
        report.charts.append(bar_chart(
            "Discharges by destination", f"Number of children discharged to each destination, "
            f"{period.label}. The same numbers are in the table beside the chart.",
            [r[0] for r in by_destination.rows], [("Discharges", [r[1] for r in
                                                                  by_destination.rows])]))
    report.notes.append("Length of stay runs from the day a child arrived in these homes to "
                        "their discharge, through any transfers between homes. A move to "
                        "another bed of the same home is not a new placement.")
    return report


def _next_homes(stays: list[Stay]) -> dict[int, int]:
    """The home each transferred stay continued in, by the stay it ended."""
    return {s.previous_id: s.home_id for s in stays if s.previous_id}


def _average_median(days: list[int]) -> tuple[int, float, float]:
    return len(days), round(statistics.mean(days), 1), float(statistics.median(days))

