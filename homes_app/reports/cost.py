"""Cost: each home's in-house weekly cost per occupied place against the external weekly price
the council sets, and the external cost its placements avoided.

A home's weekly unit cost is what one registered place costs a week, so over a period the home
costs unit cost x registered place-nights / 7, whether its places are filled or not; divided by
the weeks children actually lived there it gives the cost per occupied place-week."""
from __future__ import annotations

from collections.abc import Iterable

from ..placements.queries import Occupancy, occupancy_by_home, total
from . import settings
from .charts import bar_chart
from .common import homes_by_id, pounds
from .occupancy import void_cost
from .periods import Period
from .tables import Column, Report, Table

COUNCIL = "All homes"


def _money(pence: float | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


def cost_report(period: Period, home_ids: Iterable[int]) -> Report:
    homes = homes_by_id(home_ids)
    external = settings.load().external_weekly_price_pence
    occupancy = occupancy_by_home(period.first, period.end, list(homes)) if homes else {}
    report = Report("cost", "Cost of places and cost avoided", period.label)
    table = Table("In-house cost against the external price", [
        Column("Home"), Column("Weekly unit cost", "money"),
        Column("Occupied place-weeks", "decimal"), Column("In-house cost", "money"),
        Column("Cost per occupied place a week", "money"), Column("External weekly price", "money"),
        Column("External cost avoided", "money"), Column("Saving", "money"),
        Column("Cost of voids", "money")], key="Cost")
    sums = {"weeks": 0.0, "cost": 0.0, "avoided": 0.0, "voids": 0.0}
    shown = []
    for home in homes.values():
        o = occupancy.get(home.id, Occupancy())
        if not o.registered:
            continue
        unit = home.weekly_unit_cost_pence
        weeks = o.occupied / 7
        cost = None if unit is None else unit * o.registered / 7
        avoided = external * weeks
        table.add(home.name, pounds(unit), round(weeks, 1), _money(cost),
                  _money(cost / weeks) if cost is not None and weeks else None,
                  pounds(external), _money(avoided),
                  _money(avoided - cost) if cost is not None else None,
                  void_cost(o, unit))
        shown.append(home)
        sums["weeks"] += weeks
        sums["avoided"] += avoided
        sums["cost"] += cost or 0
        sums["voids"] += (void_cost(o, unit) or 0) * 100
    if shown:
        weeks = sums["weeks"]
        council = total({h.id: occupancy[h.id] for h in shown})
        table.add(COUNCIL, None, round(weeks, 1), _money(sums["cost"]),
                  _money(sums["cost"] / weeks) if weeks else None, pounds(external),
                  _money(sums["avoided"]), _money(sums["avoided"] - sums["cost"]),
                  _money(sums["voids"]) if council.registered else None)
        rows = table.rows[:-1]
        report.charts.append(bar_chart(
            "Cost per occupied place a week, by home",
            f"In-house cost per occupied place a week in each home, {period.label}, against "
            f"the external weekly price of £{external / 100:,.2f}. The same numbers are in the "
            "table beside the chart.",
            [r[0] for r in rows], [("In-house cost per occupied place", [r[4] for r in rows])],
            unit="£", targets=[("External price", external / 100)]))
    report.tables = [table]
    report.notes.append("In-house cost: the weekly unit cost of each registered place, filled or "
                        "not. External cost avoided: the weeks children lived in the home times "
                        "the external weekly price. Saving: cost avoided less in-house cost. "
                        "Homes without a weekly unit cost show no cost.")
    return report
