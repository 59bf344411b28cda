"""The report's months come from one statement (occupancy_in_periods): its figures equal one
occupancy_by_home call per month, on four years of generated stays (holds for matching, planned
admissions, cancelled plans, transfers, beds out of use with and without an end) and homes and
beds that open, close or leave service mid-month, for periods across a year's end, both clock
changes and the leap day, and for the overlapping periods a home's page asks for."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from bench.dataset import INSERT_ORDER
from bench.generate import generate
from homes_app.extensions import db
from homes_app.homes.models import Bed, Home
from homes_app.placements.queries import occupancy_by_home, occupancy_in_periods
from homes_app.reports.occupancy import monthly
from homes_app.reports.periods import Period
from tests.test_access import QueryCounter

DAY = timedelta(days=1)


@pytest.fixture
def varied(app):
    rows = generate(8, date(2024, 6, 1), date(2028, 6, 1), seed=21)
    for table, model in INSERT_ORDER:
        if rows.tables[table]:
            db.session.execute(insert(model.__table__), rows.tables[table])
    homes = db.session.scalars(select(Home).order_by(Home.id)).all()
    homes[0].closed_on = date(2027, 10, 17)  # closes mid-month, stays and all
    homes[1].registered_on, homes[1].closed_on = None, None  # never registered: no places
    beds = db.session.scalars(select(Bed).order_by(Bed.id)).all()
    beds[-1].in_service_until = date(2027, 3, 28)  # leaves service on the clocks' change
    moved = beds[-2]
    moved.in_service_from = max(moved.in_service_from, date(2027, 1, 1)) + timedelta(days=15)
    db.session.commit()
    ids = [h.id for h in homes]
    assert len(rows.tables["bed_holds"]) and len(rows.tables["bed_out_of_use"])
    return ids


def per_month(periods, ids):
    return [occupancy_by_home(start, end, ids) for start, end in periods]


@pytest.mark.parametrize(("first", "last"), [
    (date(2026, 11, 1), date(2027, 10, 31)),  # both clock changes, a mid-month closure
    (date(2027, 12, 15), date(2028, 3, 10)),  # a year's end and the leap day, part months
    (date(2028, 2, 29), date(2028, 2, 29)),  # one night
    (date(2024, 1, 1), date(2028, 12, 31)),  # five years: before the data begins and after
])
def test_the_months_in_one_statement_equal_one_call_per_month(varied, first, last):
    periods = [(m.start, m.end) for m in Period(first, last).months()]
    by_month = occupancy_in_periods(periods, varied)
    assert by_month == per_month(periods, varied)
    assert by_month == occupancy_in_periods(periods)  # every home, unfiltered
    assert sum(o.occupied for month in by_month for o in month.values()) > 0  # not all zeros


def test_the_data_has_every_kind_of_bed_night(varied):
    """So that the comparisons above compare something in every column."""
    five_years = occupancy_in_periods([(date(2024, 1, 1), date(2029, 1, 1))], varied)[0]
    for field in ("registered", "in_service", "occupied", "out_of_use", "held_matching",
                  "held_planned"):
        assert sum(getattr(o, field) for o in five_years.values()) > 0, field


def test_overlapping_periods_in_any_order_equal_a_call_each(varied):
    today = date(2027, 10, 20)
    periods = [(today.replace(day=1), date(2027, 11, 1)), (today.replace(day=1), today + DAY),
               (date(2027, 3, 20), date(2027, 4, 5)), (date(2026, 12, 31), date(2027, 1, 2))]
    assert occupancy_in_periods(periods, varied[:3]) == per_month(periods, varied[:3])


def test_the_report_reads_its_months_in_one_statement_however_many(varied):
    for last, months in ((date(2024, 1, 31), 1), (date(2024, 12, 31), 12),
                         (date(2028, 12, 31), 60)):
        period = Period(date(2024, 1, 1), last)
        assert len(period.months()) == months
        with QueryCounter(db.engine) as counter:
            monthly(period, varied)
        assert counter.count == 1, months
