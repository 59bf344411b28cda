"""Occupancy by home and month, against registered places and beds in use, with each home's
target; voids by reason in bed-nights and their cost (weekly unit cost x void weeks)."""
from __future__ import annotations

from collections.abc import Iterable

from ..homes.models import HOME_TYPES
from ..homes.queries import default_target
from ..placements.queries import Occupancy, occupancy_by_home, total
from .charts import line_chart
from .common import homes_by_id, pounds
from .periods import Period
from .tables import Column, Report, Table, pct

COUNCIL = "All homes"


def void_nights(o: Occupancy) -> int:
    """Every bed-night of a bed in service that no child slept in, whatever the reason."""
    return o.vacant + o.held_matching + o.held_planned + o.out_of_use


def void_cost(o: Occupancy, weekly_pence: int | None) -> float | None:
    """Weekly unit cost x void weeks, in pounds."""
    return None if weekly_pence is None else round(weekly_pence * void_nights(o) / 7 / 100, 2)


def monthly(period: Period, home_ids: list[int]) -> list[dict[int, Occupancy]]:
    """Occupancy of each home in each month of the period: one statement per month, whatever
    the number of homes."""
    return [occupancy_by_home(m.start, m.end, home_ids) for m in period.months()]


def occupancy_report(period: Period, home_ids: Iterable[int]) -> Report:
    homes = homes_by_id(home_ids)
    target = default_target()
    months = period.months()
    by_month = monthly(period, list(homes))
    whole = {h: total({i: m.get(h, Occupancy()) for i, m in enumerate(by_month)})
             for h in homes}
    shown = [h for h in homes.values() if whole[h.id].registered]
    council = total({h.id: whole[h.id] for h in shown})
    report = Report("occupancy", "Occupancy and voids", period.label)

    summary = Table("Occupancy over the period", [
        Column("Home"), Column("Type"), Column("Target", "pct"),
        Column("Registered place-nights", "int"), Column("Bed-nights in use", "int"),
        Column("Occupied bed-nights", "int"), Column("Against registered places", "pct"),
        Column("Against beds in use", "pct"), Column("Below target")], key="Summary")
    for home in shown:
        o, goal = whole[home.id], home.target_occupancy_pct or target
        summary.add(home.name, HOME_TYPES[home.home_type], goal, o.registered, o.in_use,
                    o.occupied, o.pct_registered, o.pct_in_use, _below(o, goal))
    if shown:
        summary.add(COUNCIL, "", target, council.registered, council.in_use, council.occupied,
                    council.pct_registered, council.pct_in_use, _below(council, target))

    tables = {}
    for basis, attr in (("registered places", "registered"), ("beds in use", "in_use")):
        table = Table(f"Occupancy against {basis} by month",
                      [Column("Home"), Column("Target", "pct"),
                       *(Column(m.label, "pct") for m in months)],
                      key="By month (registered)" if attr == "registered" else "By month (in use)")
        for home in shown:
            table.add(home.name, home.target_occupancy_pct or target,
                      *(_share(m.get(home.id, Occupancy()), attr) for m in by_month))
        if shown:
            table.add(COUNCIL, target, *(_share(total({h.id: m.get(h.id, Occupancy())
                                                       for h in shown}), attr)
                                         for m in by_month))
        tables[attr] = table

    voids = Table("Voids by reason, in bed-nights, and their cost", [
        Column("Home"), Column("Vacant", "int"), Column("Held for matching", "int"),
        Column("Held for a planned admission", "int"), Column("Out of use", "int"),
        Column("All voids", "int"), Column("Weekly unit cost", "money"),
        Column("Cost of voids", "money")], key="Voids")
    costs = []
    for home in shown:
        o = whole[home.id]
        cost = void_cost(o, home.weekly_unit_cost_pence)
        costs.append(cost or 0)
        voids.add(home.name, o.vacant, o.held_matching, o.held_planned, o.out_of_use,
                  void_nights(o), pounds(home.weekly_unit_cost_pence), cost)
    if shown:
        voids.add(COUNCIL, council.vacant, council.held_matching, council.held_planned,
                  council.out_of_use, void_nights(council), None, round(sum(costs), 2))
    report.tables = [summary, tables["registered"], tables["in_use"], voids]
    if shown:
        rows = tables["registered"].rows
        report.charts.append(line_chart(
            "Occupancy against registered places by month",
            f"Monthly occupancy of each home and all homes, {period.label}, "
            f"against the council's target of {target}%. The same numbers are in the table "
            "below the chart.",
            [m.label for m in months], [(r[0], r[2:]) for r in rows], target=target))
    report.notes.append("A void is a bed-night of a bed in service with no child in it. Its "
                        "cost is the home's weekly unit cost for each week of voids.")
    return report


def _share(o: Occupancy, attr: str) -> float | None:
    return pct(o.occupied, getattr(o, attr))


def _below(o: Occupancy, goal: int) -> str:
    share = o.pct_registered
    return "" if share is None else ("Yes" if share < goal else "No")
