"""Occupancy by home and month, against registered places and beds in use, with each home's
target; voids by reason in bed-nights and their cost (weekly unit cost x void weeks)."""
from __future__ import annotations

from collections.abc import Iterable

from ..homes.models import HOME_TYPES, Home
from ..homes.queries import default_target
from ..placements.queries import Occupancy, occupancy_by_home, total
from .charts import line_chart
from .common import homes_by_id, pounds
from .periods import Month, Period
from .tables import Column, Report, Table, pct
from .wording import COUNCIL, same_numbers, yes_no

# What occupancy is measured against: the caption's words, the Occupancy field, the sheet.
BASES = (("registered places", "registered", "By month (registered)"),
         ("beds in use", "in_use", "By month (in use)"))


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


def combined(by_home: dict[int, Occupancy], homes: Iterable[Home]) -> Occupancy:
    """The occupancy of these homes together; a home without figures had none."""
    return total({h.id: by_home.get(h.id, Occupancy()) for h in homes})


def with_places(homes: Iterable[Home], by_home: dict[int, Occupancy]) -> list[Home]:
    """The homes registered for at least one night: the others have nothing to report."""
    return [h for h in homes if by_home.get(h.id, Occupancy()).registered]


def occupancy_report(period: Period, home_ids: Iterable[int]) -> Report:
    homes = homes_by_id(home_ids)
    target = default_target()
    months = period.months()
    by_month = monthly(period, list(homes))
    whole = _over_the_period(by_month, homes)
    shown = with_places(homes.values(), whole)
    by_basis = [_by_month_table(basis, shown, months, by_month, target) for basis in BASES]
    report = Report("occupancy", "Occupancy and voids", period.label)
    report.tables = [_summary_table(shown, whole, target), *by_basis, _voids_table(shown, whole)]
    if shown:
        report.charts.append(_occupancy_chart(by_basis[0], months, period, target))
    report.notes.append("A void is a bed-night of a bed in service with no child in it. Its "
                        "cost is the home's weekly unit cost for each week of voids.")
    return report


def _over_the_period(by_month: list[dict[int, Occupancy]],
                     home_ids: Iterable[int]) -> dict[int, Occupancy]:
    """Each home's months added up."""
    return {h: total({i: m.get(h, Occupancy()) for i, m in enumerate(by_month)})
            for h in home_ids}


def _target(home: Home, council_target: int) -> int:
    return home.target_occupancy_pct or council_target


def _summary_table(shown: list[Home], whole: dict[int, Occupancy], target: int) -> Table:
    summary = Table("Occupancy over the period", [
        Column("Home"), Column("Type"), Column("Target", "pct"),
        Column("Registered place-nights", "int"), Column("Bed-nights in use", "int"),
        Column("Occupied bed-nights", "int"), Column("Against registered places", "pct"),
        Column("Against beds in use", "pct"), Column("Below target")], key="Summary")
    for home in shown:
        goal = _target(home, target)
        summary.add(home.name, HOME_TYPES[home.home_type], goal,
                    *_summary_cells(whole[home.id], goal))
    if shown:
        summary.add(COUNCIL, "", target, *_summary_cells(combined(whole, shown), target))
    return summary


def _summary_cells(o: Occupancy, goal: int) -> tuple:
    return (o.registered, o.in_use, o.occupied, o.pct_registered, o.pct_in_use,
            _below(o, goal))


def _by_month_table(basis: tuple[str, str, str], shown: list[Home], months: list[Month],
                    by_month: list[dict[int, Occupancy]], target: int) -> Table:
    words, attr, key = basis
    table = Table(f"Occupancy against {words} by month",
                  [Column("Home"), Column("Target", "pct"),
                   *(Column(m.label, "pct") for m in months)], key=key)
    for home in shown:
        table.add(home.name, _target(home, target),
                  *(_share(m.get(home.id, Occupancy()), attr) for m in by_month))
    if shown:
        table.add(COUNCIL, target, *(_share(combined(m, shown), attr) for m in by_month))
    return table


def _voids_table(shown: list[Home], whole: dict[int, Occupancy]) -> Table:
    voids = Table("Voids by reason, in bed-nights, and their cost", [
        Column("Home"), Column("Vacant", "int"), Column("Held for matching", "int"),
        Column("Held for a planned admission", "int"), Column("Out of use", "int"),
        Column("All voids", "int"), Column("Weekly unit cost", "money"),
        Column("Cost of voids", "money")], key="Voids")
    costs = [void_cost(whole[h.id], h.weekly_unit_cost_pence) for h in shown]
    for home, cost in zip(shown, costs, strict=True):
        voids.add(home.name, *_void_cells(whole[home.id]), pounds(home.weekly_unit_cost_pence),
                  cost)
    if shown:
        voids.add(COUNCIL, *_void_cells(combined(whole, shown)), None,
                  round(sum(cost or 0 for cost in costs), 2))
    return voids


def _void_cells(o: Occupancy) -> tuple:
    return o.vacant, o.held_matching, o.held_planned, o.out_of_use, void_nights(o)


def _occupancy_chart(registered: Table, months: list[Month], period: Period, target: int):
    return line_chart(
        "Occupancy against registered places by month",
        f"Monthly occupancy of each home and all homes, {period.label}, "
        f"against the council's target of {target}%. {same_numbers('below')}",
        [m.label for m in months], [(r[0], r[2:]) for r in registered.rows], target=target)


def _share(o: Occupancy, attr: str) -> float | None:
    return pct(o.occupied, getattr(o, attr))


def _below(o: Occupancy, goal: int) -> str:
    share = o.pct_registered
    return yes_no(None if share is None else share < goal)
