"""Cost against the external price, and staffing by source, on hand-worked examples."""
from __future__ import annotations

from datetime import date, time

from homes_app import clock
from homes_app.extensions import db
from homes_app.reports import settings
from homes_app.reports.cost import cost_report
from homes_app.reports.periods import Period
from homes_app.reports.staffing import staffing_report
from tests.staffing.support import shift, shift_type, staff

from .support import Q1_2028, occupancy_world, table


def test_cost_per_occupied_place_against_the_external_price(make):
    ash = occupancy_world(make)
    rows = table(cost_report(Q1_2028, [ash.id]), "In-house cost")
    # Two places at £4,500 a week for 91 nights: 4,500 x 182 / 7 = £117,000. Children lived
    # there 54 nights (7.7 weeks): £117,000 x 7 / 54 = £15,166.67 a place-week. At the default
    # external price of £5,769 those weeks would have cost 5,769 x 54 / 7 = £44,503.71.
    assert rows["Ash House"][1:] == [4500.0, 7.7, 117000.0, 15166.67, 5769.0, 44503.71,
                                     -72496.29, 82285.71]
    assert rows["All homes"][2:] == [7.7, 117000.0, 15166.67, 5769.0, 44503.71, -72496.29,
                                     82285.71]


def test_the_external_price_is_the_councils_setting(make):
    ash = occupancy_world(make)
    settings.store(settings.ReportSettings(external_weekly_price_pence=700000), actor=None)
    rows = table(cost_report(Q1_2028, [ash.id]), "In-house cost")
    assert rows["Ash House"][5:7] == [7000.0, 54000.0]  # 7,000 x 54 / 7


def test_a_home_without_a_unit_cost_shows_no_cost_but_its_cost_avoided(make):
    home = make.home(beds=1, name="Oak House", weekly_unit_cost_pence=None)
    row = table(cost_report(Period(date(2026, 1, 1), date(2026, 1, 7)), [home.id]),
                "In-house cost")["Oak House"]
    assert row[1:5] == [None, 0.0, None, None] and row[6] == 0.0


def test_staffing_by_source_by_home_and_month(make):
    ash = make.home(name="Ash House")
    day = shift_type(ash, "Day", time(8), time(20))
    sleep = shift_type(ash, "Sleep-in", time(22), time(7), "sleep_in")
    own, pool = staff(ash), staff(inducted=[ash])
    now = clock.utcnow()
    shift(ash, day, date(2026, 10, 31), assignee=own)  # contracted, the last day of October
    agency = shift(ash, day, date(2026, 10, 31))
    agency.cover, agency.agency_name = "agency", "Acme Care"
    for st in (day, sleep):  # offered and picked up by the relief pool on 1 November
        s = shift(ash, st, date(2026, 11, 1), assignee=pool)
        s.offered_at = now
    open_one = shift(ash, day, date(2026, 11, 2))  # offered, never filled
    open_one.offered_at = now
    extra = shift(ash, day, date(2026, 11, 3), assignee=own)
    extra.cover = "overtime"
    db.session.commit()

    report = staffing_report(Period(date(2026, 10, 1), date(2026, 11, 30)), [ash.id])
    by_month = {(r[0], r[1]): r[2:] for r in report.tables[1].rows}
    # planned, contracted, overtime, relief, agency, uncovered, offered, filled, fill rate,
    # relief hours, relief sleep-in hours
    assert by_month[("Ash House", "Oct 2026")] == [2, 1, 0, 0, 1, 0, 0, 0, None, 0.0, 0.0]
    assert by_month[("Ash House", "Nov 2026")] == [4, 0, 1, 2, 0, 1, 3, 2, 66.7, 12.0, 9.0]
    summary = table(report, "Shifts over the period")
    assert summary["Ash House"][1:] == [6, 1, 1, 2, 1, 1, 3, 2, 66.7, 12.0, 9.0]
    assert summary["All homes"] == ["All homes", *summary["Ash House"][1:]]
    stacked = [s for s in report.charts[0].shapes if s.element == "rect"]
    assert stacked  # bars for the months with shifts


def test_no_shifts_is_an_empty_staffing_report(make):
    home = make.home()
    assert staffing_report(Period(date(2026, 1, 1), date(2026, 1, 31)), [home.id]).empty
