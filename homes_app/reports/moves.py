"""Moves: admissions (planned, emergency), transfers, discharges by destination, planned and
unplanned endings, length of stay, and placement stability (children with 3 or more
placements in the 12 months to the period's end, counting all their stays in these homes)."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..homes.models import Home
from ..placements.models import DISCHARGE_DESTINATIONS, Child, Placement
from .charts import bar_chart
from .common import homes_by_id
from .periods import Period
from .tables import Column, Report, Table
from .wording import COUNCIL, same_numbers

STABILITY_PLACEMENTS = 3
# The columns of the moves table, in order.
MOVE_KINDS = ("planned", "emergency", "transfer_in", "transfer_out", "bed_move", "discharge",
              "planned_ending", "unplanned_ending")


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

    def overlaps(self, start: date, end: date) -> bool:
        """A night of the stay falls in [start, end)."""
        return self.starts_on < end and (self.ends_on is None or self.ends_on > start)

    @property
    def bed_move(self) -> bool:
        """A move to another bed of the same home: the child's carers have not changed."""
        return self.admission_type == "transfer" and self.previous_home_id == self.home_id


@dataclass
class Moves:
    """The period's moves by home: arrivals and endings of each kind, discharges by destination
    and the days each child discharged had lived in these homes."""

    by_home: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    destinations: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    lengths: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def count_arrival(self, s: Stay) -> None:
        if s.admission_type in ("planned", "emergency"):
            kind = s.admission_type
        else:
            kind = "bed_move" if s.previous_home_id == s.home_id else "transfer_in"
        self.by_home[s.home_id][kind] += 1

    def count_ending(self, s: Stay, arrived_on: date, next_home: int | None) -> None:
        """`arrived_on`: when the child's unbroken time in these homes began; `next_home`:
        where a transfer took them."""
        counts = self.by_home[s.home_id]
        if s.end_reason == "discharge":
            counts["discharge"] += 1
            self.destinations[s.destination or "other"][s.home_id] += 1
            self.lengths[s.home_id].append((s.ends_on - arrived_on).days)
        elif s.end_reason == "transfer" and next_home != s.home_id:
            counts["transfer_out"] += 1
        else:
            return  # a move to another bed of the same home ends no placement
        counts["planned_ending" if s.ending_planned else "unplanned_ending"] += 1


@dataclass
class Stability:
    """Placement stability over the 12 months: the children placed in these homes, and the
    case references of those with 3 or more placements, with their placements."""

    children: int
    unstable: dict[str, int]
    unstable_ids: list[int]  # the children those case references are


def _stays(home_ids: list[int], since: date, end: date) -> list[Stay]:
    """Every confirmed stay before `end` of the children placed in these homes since `since`,
    ordered: one query."""
    if not home_ids:
        return []
    previous = aliased(Placement)
    rows = db.session.execute(
        select(Placement.id, Placement.child_id, Placement.home_id, Placement.admission_type,
               Placement.starts_on, Placement.ends_on, Placement.end_reason,
               Placement.discharge_destination, Placement.ending_planned,
               Placement.previous_placement_id, previous.home_id, Child.case_reference)
        .join(Child, Child.id == Placement.child_id)
        .outerjoin(previous, previous.id == Placement.previous_placement_id)
        .where(Placement.status == "confirmed", Placement.starts_on < end,
               Placement.child_id.in_(_children_in(home_ids, since, end)))
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


def _next_homes(stays: list[Stay]) -> dict[int, int]:
    """The home each transferred stay continued in, by the stay it ended."""
    return {s.previous_id: s.home_id for s in stays if s.previous_id}


def _placements_by_child(stays: list[Stay], start: date, end: date) -> dict[int, int]:
    """Placements overlapping [start, end) per child; a move to another bed of the same home
    after `start` is the same placement."""
    counts: Counter[int] = Counter()
    for s in stays:
        if s.overlaps(start, end) and not (s.bed_move and s.starts_on > start):
            counts[s.child_id] += 1
    return counts


def moves_report(period: Period, home_ids: Iterable[int], *,
                 show_case_references: bool = False) -> Report:
    homes = homes_by_id(home_ids)
    window = _twelve_months_before(period.end)
    stays = _stays(list(homes), min(period.first, window), period.end)
    moves = _count_moves(stays, homes, period.first, period.end)
    stability = _stability(stays, homes, window, period.end)
    shown = [h for h in homes.values() if moves.by_home[h.id]]
    destinations = _destinations_table(moves)
    report = Report("moves", "Admissions, transfers, discharges and stability", period.label)
    report.tables = [_moves_table(shown, moves), destinations,
                     _length_of_stay_table(shown, moves), _stability_table(stability, period)]
    if show_case_references and stability.unstable:
        report.tables.append(_unstable_children_table(stability))
        report.children = stability.unstable_ids
    if destinations.rows:
        report.charts.append(_destinations_chart(destinations, period))
    report.notes.append("Length of stay runs from the day a child arrived in these homes to "
                        "their discharge, through any transfers between homes. A move to "
                        "another bed of the same home is not a new placement.")
    return report


def _count_moves(stays: list[Stay], homes: dict[int, Home], start: date, end: date) -> Moves:
    """Fold the stays in these homes into the arrivals and endings in [start, end)."""
    moves = Moves()
    run_start, next_home = _run_starts(stays), _next_homes(stays)
    for s in stays:
        if s.home_id not in homes:
            continue
        if start <= s.starts_on < end:
            moves.count_arrival(s)
        if s.ends_on is not None and start <= s.ends_on < end:
            moves.count_ending(s, run_start[s.id], next_home.get(s.id))
    return moves


def _stability(stays: list[Stay], homes: dict[int, Home], window: date, end: date) -> Stability:
    """Children placed in these homes in [window, end), counting all their placements."""
    counts = _placements_by_child(stays, window, end)
    ours = {s.child_id for s in stays if s.home_id in homes and s.overlaps(window, end)}
    unstable_ids = {c for c in ours if counts[c] >= STABILITY_PLACEMENTS}
    unstable = sorted({s.case_reference for s in stays if s.child_id in unstable_ids})
    placements = {s.case_reference: counts[s.child_id] for s in stays}
    return Stability(len(ours), {ref: placements[ref] for ref in unstable},
                     sorted(unstable_ids))


def _moves_table(shown: list[Home], moves: Moves) -> Table:
    table = Table("Moves in the period", [
        Column("Home"), Column("Planned admissions", "int"), Column("Emergency admissions", "int"),
        Column("Transfers in from another home", "int"),
        Column("Transfers out to another home", "int"),
        Column("Moves between beds in the home", "int"), Column("Discharges", "int"),
        Column("Planned endings", "int"), Column("Unplanned endings", "int")], key="Moves")
    for home in shown:
        table.add(home.name, *(moves.by_home[home.id][k] for k in MOVE_KINDS))
    if shown:
        table.add(COUNCIL, *(sum(moves.by_home[h.id][k] for h in shown) for k in MOVE_KINDS))
    return table


def _destinations_table(moves: Moves) -> Table:
    table = Table("Discharges by destination", [
        Column("Destination"), Column("Discharges", "int")], key="Destinations")
    for code, label in DISCHARGE_DESTINATIONS.items():
        if moves.destinations.get(code):
            table.add(label, sum(moves.destinations[code].values()))
    return table


def _length_of_stay_table(shown: list[Home], moves: Moves) -> Table:
    table = Table("Length of stay of children discharged in the period, in days", [
        Column("Home"), Column("Children discharged", "int"), Column("Average", "days"),
        Column("Median", "days")], key="Length of stay")
    for home in shown:
        if moves.lengths[home.id]:
            table.add(home.name, *_average_median(moves.lengths[home.id]))
    every = [n for h in shown for n in moves.lengths[h.id]]
    if every:
        table.add(COUNCIL, *_average_median(every))
    return table


def _stability_table(stability: Stability, period: Period) -> Table:
    table = Table(f"Placement stability: 12 months to {period.last:%-d %b %Y}", [
        Column("Measure"), Column("Children", "int")], key="Stability")
    if stability.children:
        table.add("Children placed in these homes in the 12 months", stability.children)
        table.add(f"Children with {STABILITY_PLACEMENTS} or more placements",
                  len(stability.unstable))
    return table


def _unstable_children_table(stability: Stability) -> Table:
    table = Table(f"Children with {STABILITY_PLACEMENTS} or more placements",
                  [Column("Case reference"), Column("Placements", "int")], key="Three or more")
    for ref, placements in stability.unstable.items():
        table.add(ref, placements)
    return table


def _destinations_chart(destinations: Table, period: Period):
    return bar_chart(
        "Discharges by destination", f"Number of children discharged to each destination, "
        f"{period.label}. {same_numbers()}",
        [r[0] for r in destinations.rows], [("Discharges", [r[1] for r in destinations.rows])])


def _average_median(days: list[int]) -> tuple[int, float, float]:
    return len(days), round(statistics.mean(days), 1), float(statistics.median(days))
