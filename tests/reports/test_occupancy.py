"""Occupancy and voids against a hand-worked quarter: month boundaries, a stay open at the
period's end, a bed out of use mid-month, a bed held for matching and for a planned admission,
and the leap day of February 2028."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.reports.occupancy import occupancy_report
from homes_app.reports.periods import Period

from .support import Q1_2028, occupancy_world, table


@pytest.fixture
def ash(make):
    return occupancy_world(make)


def test_occupancy_by_month_against_registered_places_and_beds_in_use(ash):
    report = occupancy_report(Q1_2028, [ash.id])
    # Two places: 62 place-nights in January, 58 in February (29 nights), 62 in March.
    # Occupied: 12 (20-31 Jan), 9 + 2 (1-9 and 28-29 Feb), 31 (all March, still there).
    registered = table(report, "Occupancy against registered places by month")
    assert registered["Ash House"] == ["Ash House", 70, round(100 * 12 / 62, 1),
                                       round(100 * 11 / 58, 1), 50.0]
    # March has 7 bed-nights out of use: 55 in use.
    in_use = table(report, "Occupancy against beds in use by month")
    assert in_use["Ash House"][2:] == [round(100 * 12 / 62, 1), round(100 * 11 / 58, 1),
                                       round(100 * 31 / 55, 1)]


def test_the_period_summary_adds_the_months_and_shows_the_target(ash):
    summary = table(occupancy_report(Q1_2028, [ash.id]), "Occupancy over the period")
    # 182 place-nights, 175 in use, 54 occupied: 29.7% and 30.9%, below the home's 70%.
    assert summary["Ash House"][2:] == [70, 182, 175, 54, 29.7, 30.9, "Yes"]
    assert summary["All homes"][2:] == [80, 182, 175, 54, 29.7, 30.9, "Yes"]


def test_voids_by_reason_and_their_cost(ash):
    voids = table(occupancy_report(Q1_2028, [ash.id]), "Voids by reason")
    # Held for matching 1-7 Feb (7), held for the planned admission 20-27 Feb (8), out of use
    # 15-21 Mar (7); the rest of the 175 nights in use not occupied is vacant: 175-54-7-8 = 106.
    # All voids: 128 bed-nights = 18.29 weeks at £4,500 = £82,285.71.
    assert voids["Ash House"][1:] == [106, 7, 8, 7, 128, 4500.0, 82285.71]


def test_a_period_of_one_leap_day(ash):
    leap = occupancy_report(Period(date(2028, 2, 29), date(2028, 2, 29)), [ash.id])
    # One night: both places registered, one child (arrived the 28th), the other bed vacant.
    assert table(leap, "Occupancy over the period")["Ash House"][3:6] == [2, 2, 1]
    assert table(leap, "Voids by reason")["Ash House"][1:6] == [1, 0, 0, 0, 1]


def test_a_period_before_the_home_opened_is_an_empty_report(make):
    home = make.home(registered_on=date(2030, 1, 1))
    report = occupancy_report(Q1_2028, [home.id])
    assert report.empty and report.charts == []


def test_the_chart_draws_one_line_per_home_and_the_council_with_the_target(ash, make):
    other = make.home(beds=1, name="Birch House")
    report = occupancy_report(Q1_2028, [ash.id, other.id])
    chart = report.charts[0]
    lines = [s for s in chart.shapes if s.element == "polyline"]
    assert len(lines) == 3  # Ash, Birch and all homes
    labels = [s.text for s in chart.shapes if s.element == "text"]
    assert {"Jan 2028", "Feb 2028", "Mar 2028", "Ash House", "Birch House", "All homes",
            "Target 80%"} <= set(labels)


@pytest.mark.parametrize(("first", "last"), [
    (date(2027, 12, 15), date(2028, 2, 29)),  # across a new year, ending on the leap day
    (date(2028, 2, 29), date(2028, 3, 1)),
    (date(2028, 1, 31), date(2028, 3, 15)),
])
def test_the_months_add_up_to_the_whole_period(ash, first, last):
    from homes_app.placements.queries import home_occupancy

    whole = home_occupancy(ash.id, first, last + (date(2028, 1, 2) - date(2028, 1, 1)))
    summary = table(occupancy_report(Period(first, last), [ash.id]), "Occupancy over the period")
    assert summary["Ash House"][3:6] == [whole.registered, whole.in_use, whole.occupied]


def test_a_period_is_split_into_calendar_months_clipped_to_it():
    months = Period(date(2027, 12, 15), date(2028, 2, 29)).months()
    assert [(m.label, m.nights) for m in months] == [("Dec 2027", 17), ("Jan 2028", 31),
                                                     ("Feb 2028", 29)]
    assert Period(date(2028, 2, 29), date(2028, 2, 29)).nights == 1
