"""Hand-worked worlds for the report tests, built through the real move services."""
from __future__ import annotations

from datetime import date

from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse
from homes_app.placements import services as moves
from homes_app.reports.periods import Period

Q1_2028 = Period(date(2028, 1, 1), date(2028, 3, 31))  # a leap year: February has 29 nights


def admit(home, bed: int, child, on: date, emergency: bool = False):
    return moves.admit_child(home.id, home.beds[bed].id, child, on, emergency=emergency,
                             actor=None, today=on)


def discharge(stay, on: date, destination: str = "family", planned: bool = True):
    return moves.discharge_child(stay, on, destination=destination, planned=planned,
                                 actor=None, today=on)


def transfer(stay, home, bed: int, on: date, planned: bool = True):
    return moves.transfer_child(stay, home.id, home.beds[bed].id, on, planned=planned,
                                actor=None, today=on)


def occupancy_world(make, **home):
    """One home of two places over January to March 2028:
    - bed 1: a child from 20 Jan to 10 Feb (12 nights in Jan, 9 in Feb); held for a planned
      admission from 20 Feb; the child arrives on 28 Feb and is still there on 31 Mar
      (2 nights in Feb, 31 in Mar);
    - bed 2: held for matching 1 to 8 Feb (7 nights), out of use 15 to 22 Mar (7 nights)."""
    ash = make.home(beds=2, name="Ash House", weekly_unit_cost_pence=450000,
                    target_occupancy_pct=70, **home)
    first = admit(ash, 0, make.child(), date(2028, 1, 20))
    discharge(first, date(2028, 2, 10))
    planned = moves.plan_admission(ash.id, ash.beds[0].id, make.child(), date(2028, 2, 28),
                                   actor=None, today=date(2028, 2, 20))
    moves.confirm_admission(planned, date(2028, 2, 28), actor=None, today=date(2028, 2, 28))
    db.session.add_all([
        BedHold(bed_id=ash.beds[1].id, reason="matching", starts_on=date(2028, 2, 1),
                ends_on=date(2028, 2, 8)),
        BedOutOfUse(bed_id=ash.beds[1].id, reason="repairs", starts_on=date(2028, 3, 15),
                    ends_on=date(2028, 3, 22))])
    db.session.commit()
    return ash


def moves_world(make):
    """Two homes and four children, with the moves of tests/reports/test_moves.py."""
    ash = make.home(beds=3, name="Ash House")
    elm = make.home(beds=3, name="Elm House")
    x, y, z, w = (make.child(case_reference=ref) for ref in ("LCSX", "LCSY", "LCSZ", "LCSW"))
    # W: Ash 1 May 2027, Elm 1 Aug 2027, back to Ash 1 Dec 2027, unplanned discharge home
    # 5 Jan 2028: three placements in the 12 months to 31 Mar 2028.
    stay = admit(ash, 2, w, date(2027, 5, 1))
    stay = transfer(stay, elm, 2, date(2027, 8, 1))
    stay = transfer(stay, ash, 1, date(2027, 12, 1))
    discharge(stay, date(2028, 1, 5), "family", planned=False)
    # X: emergency into Ash 1 Jun 2027, to Elm 15 Jan 2028 (planned), unplanned discharge to
    # foster care 10 Mar 2028.
    stay = admit(ash, 0, x, date(2027, 6, 1), emergency=True)
    stay = transfer(stay, elm, 0, date(2028, 1, 15), planned=True)
    discharge(stay, date(2028, 3, 10), "foster_care", planned=False)
    # Y: planned into Ash 1 Feb 2028, to another bed of Ash 1 Mar 2028, still there.
    stay = admit(ash, 1, y, date(2028, 2, 1))
    transfer(stay, ash, 2, date(2028, 3, 1))
    # Z: planned into Elm 1 Apr 2027, planned discharge home on the leap day.
    stay = admit(elm, 1, z, date(2027, 4, 1))
    discharge(stay, date(2028, 2, 29), "family", planned=True)
    db.session.commit()
    return ash, elm


def table(report, caption_start: str):
    """The report's table whose caption starts so, as {first cell: row}."""
    found = [t for t in report.tables if t.caption.startswith(caption_start)]
    assert found, [t.caption for t in report.tables]
    return {row[0]: row for row in found[0].rows}


def column(report, caption_start: str, label: str) -> int:
    t = next(t for t in report.tables if t.caption.startswith(caption_start))
    return [c.label for c in t.columns].index(label)
