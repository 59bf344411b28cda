"""Occupancy by home and month, against registered places and beds in use, with each home's
target; voids by reason in bed-nights and their cost (weekly unit cost x void weeks).

The page summarises a report of more than MANY_HOMES homes: each home over the whole period,
all homes by month, and voids; each home's months are one link away (the report for that home
alone) and in the downloads, which always carry every table in full."""
from __future__ import annotations

from collections.abc import Iterable

from ..homes.models import HOME_TYPES, Home
from ..homes.queries import default_target
from ..placements.queries import Occupancy, added, occupancy_in_periods
from .charts import line_chart
from .common import homes_by_id, pounds
from .periods import Month, Period
from .tables import Column, Report, Table, pct
from .wording import COUNCIL, same_numbers, yes_no

# What occupancy is measured against: the caption's words, the Occupancy field, the sheet.
BASES = (("registered places", "registered", "By month (registered)"),
         ("beds in use", "in_use", "By month (in use)"))
# More homes than this and the page shows the summary: a table per home per month (and a line
# each on the chart) stops being readable long before it stops being cheap.
MANY_HOMES = 10


def void_nights(o: Occupancy) -> int:
    """Every bed-night of a bed in service that no child slept in, whatever the reason."""
    return o.vacant + o.held_matching + o.held_planned + o.out_of_use


def void_cost(o: Occupancy, weekly_pence: int | None) -> float | None:
    """Weekly unit cost x void weeks, in pounds."""
    return None if weekly_pence is None else round(weekly_pence * void_nights(o) / 7 / 100, 2)


def monthly(period: Period, home_ids: list[int]) -> list[dict[int, Occupancy]]:
    """Occupancy of each home in each month of the period: one statement, whatever the number
    of homes and months."""
    return occupancy_in_periods([(m.start, m.end) for m in period.months()], home_ids)


def combined(by_home: dict[int, Occupancy], homes: Iterable[Home]) -> Occupancy:
    """The occupancy of these homes together; a home without figures had none."""
    return added(by_home[h.id] for h in homes if h.id in by_home)


def with_places(homes: Iterable[Home], by_home: dict[int, Occupancy]) -> list[Home]:
    """The homes registered for at least one night: the others have nothing to report."""
    return [h for h in homes if by_home.get(h.id, Occupancy()).registered]


def occupancy_report(period: Period, home_ids: Iterable[int], summarise: bool = False) -> Report:
    """The whole report (downloads); `summarise` gives the page's summary at many homes."""
    homes = homes_by_id(home_ids)
    target = default_target()
    months = period.months()
    by_month = monthly(period, list(homes))
    whole = _over_the_period(by_month, homes)
    shown = with_places(homes.values(), whole)
    council = [combined(m, shown) for m in by_month] if shown else []
    report = Report("occupancy", "Occupancy and voids", period.label)
    if summarise and len(shown) > MANY_HOMES:
        report.homes_summarised = len(shown)
        by_months = [_council_by_month(months, council)]
        chart_rows = [(COUNCIL, [o.pct_registered for o in council])]
    else:
        by_months = [_by_month_table(basis, shown, months, by_month, council, target)
                     for basis in BASES]
        chart_rows = [(r[0], r[2:]) for r in by_months[0].rows]
    report.tables = [_summary_table(shown, whole, target), *by_months, _voids_table(shown, whole)]
    if shown:
        report.charts.append(_occupancy_chart(chart_rows, months, period, target))
    report.notes.append("A void is a bed-night of a bed in service with no child in it. Its "
                        "cost is the home's weekly unit cost for each week of voids.")
    return report


def _over_the_period(by_month: list[dict[int, Occupancy]],
                     home_ids: Iterable[int]) -> dict[int, Occupancy]:
    """Each home's months added up."""
    return {h: added(m[h] for m in by_month if h in m) for h in home_ids}


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
                    *_summary_cells(whole[home.id], goal), home=home.id)
    if shown:
        summary.add(COUNCIL, "", target, *_summary_cells(combined(whole, shown), target))
    return summary


def _summary_cells(o: Occupancy, goal: int) -> tuple:
    return (o.registered, o.in_use, o.occupied, o.pct_registered, o.pct_in_use,
            _below(o, goal))


def _by_month_table(basis: tuple[str, str, str], shown: list[Home], months: list[Month],
                    by_month: list[dict[int, Occupancy]], council: list[Occupancy],
                    target: int) -> Table:
    words, attr, key = basis
    table = Table(f"Occupancy against {words} by month",
                  [Column("Home"), Column("Target", "pct"),
                   *(Column(m.label, "pct") for m in months)], key=key)
    for home in shown:
        table.add(home.name, _target(home, target),
                  *(_share(m.get(home.id, Occupancy()), attr) for m in by_month), home=home.id)
    if shown:
        table.add(COUNCIL, target, *(_share(o, attr) for o in council))
    return table


def _council_by_month(months: list[Month], council: list[Occupancy]) -> Table:
    """All homes together, a row per month: the summary's by-month view (and its chart's)."""
    table = Table(f"{COUNCIL} by month", [
        Column("Month"), Column("Registered place-nights", "int"),
        Column("Bed-nights in use", "int"), Column("Occupied bed-nights", "int"),
        Column("Against registered places", "pct"), Column("Against beds in use", "pct")],
        key="By month (all homes)")
    for month, o in zip(months, council, strict=True):
        table.add(month.label, o.registered, o.in_use, o.occupied, o.pct_registered,
                  o.pct_in_use)
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


def _occupancy_chart(rows: list[tuple[str, list]], months: list[Month], period: Period,
                     target: int):
    whose = "all homes together" if len(rows) == 1 else "each home and all homes"
    return line_chart(
        "Occupancy against registered places by month",
        f"Monthly occupancy of {whose}, {period.label}, against the council's target of "
        f"{target}%. {same_numbers('below')}", [m.label for m in months], rows, target=target)


def _share(o: Occupancy, attr: str) -> float | None:
    return pct(o.occupied, getattr(o, attr))


def _below(o: Occupancy, goal: int) -> str:
    share = o.pct_registered
    return yes_no(None if share is None else share < goal)
