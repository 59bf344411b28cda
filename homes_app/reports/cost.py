"""Cost: each home's in-house weekly cost per occupied place against the external weekly price
the council sets, and the external cost its placements avoided.

A home's weekly unit cost is what one registered place costs a week, so over a period the home
costs unit cost x registered place-nights / 7, whether its places are filled or not; divided by
the weeks children actually lived there it gives the cost per occupied place-week."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..homes.models import Home
from ..placements.queries import Occupancy, occupancy_by_home
from . import settings
from .charts import bar_chart
from .common import homes_by_id, pounds
from .occupancy import combined, void_cost, with_places
from .periods import Period
from .tables import Column, Report, Table
from .wording import COUNCIL, same_numbers


@dataclass
class PlaceCost:
    """What a home's places (or all homes') came to over the period: money in pence, but the
    cost of voids in pounds, as the occupancy report gives it."""

    weeks: float  # occupied place-weeks
    cost: float | None  # in house; None for a home without a weekly unit cost
    avoided: float  # the external price of the occupied weeks
    voids: float | None  # in pounds


def _money(pence: float | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


def cost_report(period: Period, home_ids: Iterable[int]) -> Report:
    homes = homes_by_id(home_ids)
    external = settings.load().external_weekly_price_pence
    occupancy = occupancy_by_home(period.first, period.end, list(homes)) if homes else {}
    shown = with_places(homes.values(), occupancy)
    costs = [_place_cost(occupancy[h.id], h.weekly_unit_cost_pence, external) for h in shown]
    report = Report("cost", "Cost of places and cost avoided", period.label)
    table = _cost_table(shown, costs, combined(occupancy, shown), external)
    report.tables = [table]
    if shown:
        report.charts.append(_cost_chart(table, period, external))
    report.notes.append("In-house cost: the weekly unit cost of each registered place, filled or "
                        "not. External cost avoided: the weeks children lived in the home times "
                        "the external weekly price. Saving: cost avoided less in-house cost. "
                        "Homes without a weekly unit cost show no cost.")
    return report


def _place_cost(o: Occupancy, unit: int | None, external: int) -> PlaceCost:
    weeks = o.occupied / 7
    cost = None if unit is None else unit * o.registered / 7
    return PlaceCost(weeks, cost, external * weeks, void_cost(o, unit))


def _all_homes(costs: list[PlaceCost], council: Occupancy) -> PlaceCost:
    """The homes' costs added up; a home without a unit cost adds nothing to the cost."""
    void_pence = sum(((c.voids or 0) * 100 for c in costs), 0.0)
    return PlaceCost(sum((c.weeks for c in costs), 0.0), sum((c.cost or 0 for c in costs), 0.0),
                     sum((c.avoided for c in costs), 0.0),
                     _money(void_pence) if council.registered else None)


def _cost_table(shown: list[Home], costs: list[PlaceCost], council: Occupancy,
                external: int) -> Table:
    table = Table("In-house cost against the external price", [
        Column("Home"), Column("Weekly unit cost", "money"),
        Column("Occupied place-weeks", "decimal"), Column("In-house cost", "money"),
        Column("Cost per occupied place a week", "money"), Column("External weekly price", "money"),
        Column("External cost avoided", "money"), Column("Saving", "money"),
        Column("Cost of voids", "money")], key="Cost")
    for home, c in zip(shown, costs, strict=True):
        table.add(home.name, pounds(home.weekly_unit_cost_pence), *_cost_cells(c, external))
    if shown:
        table.add(COUNCIL, None, *_cost_cells(_all_homes(costs, council), external))
    return table


def _cost_cells(c: PlaceCost, external: int) -> tuple:
    return (round(c.weeks, 1), _money(c.cost),
            _money(c.cost / c.weeks) if c.cost is not None and c.weeks else None,
            pounds(external), _money(c.avoided),
            _money(c.avoided - c.cost) if c.cost is not None else None, c.voids)


def _cost_chart(table: Table, period: Period, external: int):
    rows = table.rows[:-1]  # the homes, not the council's row
    return bar_chart(
        "Cost per occupied place a week, by home",
        f"In-house cost per occupied place a week in each home, {period.label}, against "
        f"the external weekly price of £{external / 100:,.2f}. {same_numbers()}",
        [r[0] for r in rows], [("In-house cost per occupied place", [r[4] for r in rows])],
        unit="£", targets=[("External price", external / 100)])
