"""Moves against a hand-worked quarter (January to March 2028, see support.moves_world):
admissions, transfers, bed moves, discharges by destination, planned and unplanned endings,
length of stay across transfers and the leap day, and children with 3 or more placements."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.reports.moves import moves_report
from homes_app.reports.periods import Period

from .support import Q1_2028, moves_world, table


@pytest.fixture
def homes(make):
    return moves_world(make)


def test_admissions_transfers_discharges_and_endings_per_home(homes):
    ash, elm = homes
    rows = table(moves_report(Q1_2028, [ash.id, elm.id]), "Moves in the period")
    # planned, emergency, transfers in, transfers out, bed moves, discharges, planned and
    # unplanned endings. Ash: Y arrives, X leaves for Elm (planned), Y changes bed, W is
    # discharged (unplanned). Elm: X arrives from Ash, X (unplanned) and Z (planned) leave.
    assert rows["Ash House"][1:] == [1, 0, 0, 1, 1, 1, 1, 1]
    assert rows["Elm House"][1:] == [0, 0, 1, 0, 0, 2, 1, 1]
    assert rows["All homes"][1:] == [1, 0, 1, 1, 1, 3, 2, 2]


def test_discharges_by_destination(homes):
    rows = table(moves_report(Q1_2028, [h.id for h in homes]), "Discharges by destination")
    assert rows == {"Home to family": ["Home to family", 2], "Foster care": ["Foster care", 1]}


def test_length_of_stay_runs_through_transfers_to_the_discharge(homes):
    rows = table(moves_report(Q1_2028, [h.id for h in homes]), "Length of stay")
    # W: 1 May 2027 to 5 Jan 2028 = 249 days (through two transfers). X: 1 Jun 2027 to
    # 10 Mar 2028 = 283 days (leap year). Z: 1 Apr 2027 to 29 Feb 2028 = 334 days.
    assert rows["Ash House"][1:] == [1, 249.0, 249.0]
    assert rows["Elm House"][1:] == [2, 308.5, 308.5]
    assert rows["All homes"][1:] == [3, 288.7, 283.0]


def test_children_with_three_or_more_placements_in_twelve_months(homes):
    report = moves_report(Q1_2028, [h.id for h in homes], show_case_references=True)
    stability = table(report, "Placement stability")
    # X, Y, Z and W lived in these homes; only W had 3 placements (Y's change of bed is not one).
    assert stability["Children placed in these homes in the 12 months"][1] == 4
    assert stability["Children with 3 or more placements"][1] == 1
    assert table(report, "Children with 3 or more placements") == {"LCSW": ["LCSW", 3]}


def test_case_references_only_for_people_who_may_see_children(homes):
    report = moves_report(Q1_2028, [h.id for h in homes], show_case_references=False)
    assert not any(t.caption == "Children with 3 or more placements" for t in report.tables)
    assert "LCSW" not in repr([t.rows for t in report.tables])


def test_one_home_counts_its_own_moves_but_the_whole_history_of_its_children(homes):
    ash, _elm = homes
    report = moves_report(Q1_2028, [ash.id], show_case_references=True)
    assert set(table(report, "Moves in the period")) == {"Ash House", "All homes"}
    # W's three placements count although one was in Elm House.
    assert table(report, "Children with 3 or more placements") == {"LCSW": ["LCSW", 3]}


def test_an_empty_period_is_an_empty_report(homes):
    report = moves_report(Period(date(2020, 1, 1), date(2020, 12, 31)), [h.id for h in homes])
    assert report.empty
