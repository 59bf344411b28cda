"""Local placement ("sufficiency"): the share of children whose home postcode lies in the
council's area, and within 20 miles of the home they live in, against the council's targets.
Missing and unknown postcodes are counted and listed so they can be corrected."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select

from ..extensions import db
from ..homes.models import Home
from ..placements.models import Child, Placement
from ..postcodes import services as postcodes
from . import settings
from .charts import bar_chart
from .common import homes_by_id
from .periods import Period
from .tables import Column, Report, Table, pct
from .wording import COUNCIL, same_numbers, yes_no

NEAR_MILES = 20


@dataclass
class Placed:
    """A child in a home during the period, with what their postcodes tell us."""

    child_id: int
    case_reference: str
    home_id: int
    postcode: str
    problem: str = ""  # why the child's postcode gives no answer
    in_area: bool | None = None
    miles: float | None = None

    @property
    def near(self) -> bool | None:
        return None if self.miles is None else self.miles <= NEAR_MILES


def placed(period: Period, home_ids: list[int]) -> list[Placed]:
    """Each child with a night in these homes in the period, once per home (latest stay
    first): one query."""
    rows = db.session.execute(
        select(Placement.child_id, Child.case_reference, Placement.home_id, Child.home_postcode)
        .join(Child, Child.id == Placement.child_id)
        .where(Placement.status == "confirmed", Placement.home_id.in_(home_ids),
               Placement.starts_on < period.end,
               or_(Placement.ends_on.is_(None), Placement.ends_on > period.first))
        .order_by(Placement.child_id, Placement.starts_on.desc()))
    seen, out = set(), []
    for child_id, ref, home_id, postcode in rows:
        if (child_id, home_id) not in seen:
            seen.add((child_id, home_id))
            out.append(Placed(child_id, ref, home_id, postcode or ""))
    return out


def locate(children: list[Placed], home_postcodes: dict[int, str], council: str) -> dict:
    """Fill in each child's area and distance from one bulk centroid look-up; returns the
    centroids found."""
    found = postcodes.centroids({c.postcode for c in children} | set(home_postcodes.values()))
    for c in children:
        if not c.postcode.strip():
            c.problem = "Missing"
            continue
        if not postcodes.normalise(c.postcode):
            c.problem = "Not a postcode"
            continue
        centroid = found.get(c.postcode)
        if centroid is None:
            c.problem = "Not found"
            continue
        c.in_area = (centroid.la_code == council) if council else None
        home = found.get(home_postcodes.get(c.home_id, ""))
        if home is not None:
            c.miles = round(postcodes.miles_between(centroid, home), 1)
    return found


def sufficiency_report(period: Period, home_ids: Iterable[int], *,
                       show_case_references: bool = False) -> Report:
    homes = homes_by_id(home_ids)
    targets = settings.load()
    council = postcodes.council_la_code()
    children = placed(period, list(homes)) if homes else []
    located = locate(children, {h.id: h.postcode for h in homes.values()}, council)
    by_home = _by_home(children)
    report = Report("sufficiency", "Local placement", period.label)
    table = _local_placement_table(homes, by_home, children)
    council_row = table.rows[-1] if children else None
    report.tables = [table, _targets_table(council_row, targets)]
    report.tables += _postcodes_to_fix(homes, by_home, children, located, show_case_references)
    if show_case_references:  # the children whose postcodes need correcting are named
        report.children = sorted({c.child_id for c in children if c.problem})
    report.notes.extend(_notes(council))
    rows = [r for r in table.rows if r[0] != COUNCIL]
    if rows:
        report.charts.append(_local_placement_chart(rows, period, targets))
    return report


def _by_home(children: list[Placed]) -> dict[int, list[Placed]]:
    by_home: dict[int, list[Placed]] = {}
    for c in children:
        by_home.setdefault(c.home_id, []).append(c)
    return by_home


def _latest_stays(children: list[Placed]) -> list[Placed]:
    """Each child once, in the home of their latest stay (`placed` lists that first)."""
    latest: dict[int, Placed] = {}
    for c in children:
        latest.setdefault(c.child_id, c)
    return list(latest.values())


def _local_placement_table(homes: dict[int, Home], by_home: dict[int, list[Placed]],
                           children: list[Placed]) -> Table:
    table = Table("Children placed near home", [
        Column("Home"), Column("Children", "int"), Column("Postcode known", "int"),
        Column("In the council's area", "int"), Column("In area", "pct"),
        Column(f"Within {NEAR_MILES} miles", "int"), Column(f"Within {NEAR_MILES} miles %",
                                                            "pct"),
        Column("Missing or unknown postcode", "int")], key="Local placement")
    for home in homes.values():
        if home.id in by_home:
            table.add(home.name, *_measures(by_home[home.id]))
    if children:  # a child who moved counts once for all homes
        table.add(COUNCIL, *_measures(_latest_stays(children)))
    return table


def _targets_table(council_row: list | None, targets: settings.ReportSettings) -> Table:
    """The council's shares (from its row of the local placement table) against targets."""
    table = Table("Targets", [Column("Measure"), Column("Target", "pct"),
                              Column("All homes", "pct"), Column("Met")], key="Targets")
    if council_row is None:
        return table
    for label, goal, share in (
            ("Children placed in the council's area", targets.in_area_target_pct,
             council_row[4]),
            (f"Children placed within {NEAR_MILES} miles of home",
             targets.within_20_miles_target_pct, council_row[6])):
        table.add(label, goal, share, yes_no(None if share is None else share >= goal))
    return table


def _postcodes_to_fix(homes: dict[int, Home], by_home: dict[int, list[Placed]],
                      children: list[Placed], located: dict,
                      show_case_references: bool) -> list[Table]:
    """The homes' postcodes not found, and, for those who may see them, children's postcodes
    with a problem; only the lists with something in them."""
    tables = [_unknown_home_postcodes(homes, by_home, located)]
    problems = [c for c in children if c.problem]
    if show_case_references and problems:
        tables.append(_postcodes_to_correct(problems, homes))
    return [t for t in tables if t.rows]


def _unknown_home_postcodes(homes: dict[int, Home], by_home: dict[int, list[Placed]],
                            located: dict) -> Table:
    """Homes with children placed whose own postcode is not found: no distance is measured
    from them."""
    table = Table("Homes whose postcode is not known", [Column("Home"), Column("Postcode")],
                  key="Home postcodes")
    for home in homes.values():
        if home.id in by_home and home.postcode not in located:
            table.add(home.name, home.postcode or "Missing")
    return table


def _postcodes_to_correct(problems: list[Placed], homes: dict[int, Home]) -> Table:
    table = Table("Children's postcodes to correct", [
        Column("Case reference"), Column("Home"), Column("Postcode recorded"),
        Column("Problem")], key="Postcodes to correct")
    for c in sorted(problems, key=lambda c: (homes[c.home_id].name, c.case_reference)):
        table.add(c.case_reference, homes[c.home_id].name, c.postcode, c.problem)
    return table


def _notes(council: str) -> list[str]:
    notes = []
    if not council:
        notes.append("The council's local-authority code is not set, so no child can "
                     "be counted as placed in the area. An administrator sets it.")
    notes.append("Shares are of the children whose home postcode is known. A child who "
                 "lived in two homes in the period counts in each home, and once for "
                 "all homes (in the home of their latest stay).")
    return notes


def _local_placement_chart(rows: list[list], period: Period, targets: settings.ReportSettings):
    """Each home's shares in area and nearby (`rows`: the table's homes) against targets."""
    in_area, near = targets.in_area_target_pct, targets.within_20_miles_target_pct
    return bar_chart(
        "Children placed locally, by home",
        f"Share of children in each home, {period.label}, whose home postcode is in the "
        f"council's area and within {NEAR_MILES} miles, against the targets of "
        f"{in_area}% and {near}%. {same_numbers()}",
        [r[0] for r in rows], [("In the council's area", [r[4] for r in rows]),
                               (f"Within {NEAR_MILES} miles", [r[6] for r in rows])],
        unit="%", targets=[("In area target", in_area),
                           (f"Within {NEAR_MILES} miles target", near)])


def _measures(children: list[Placed]) -> tuple:
    known = [c for c in children if not c.problem]
    in_area = sum(1 for c in known if c.in_area)
    area_known = [c for c in known if c.in_area is not None]
    distance_known = [c for c in known if c.miles is not None]
    near = sum(1 for c in distance_known if c.near)
    return (len(children), len(known), in_area, pct(in_area, len(area_known)), near,
            pct(near, len(distance_known)), len(children) - len(known))


