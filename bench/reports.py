"""Issue 6's figures: the whole occupancy and local placement reports for the last year of the
100-home, ten-year data set, and their statement counts for 1 home and for 100 (equal: the
reports cost a fixed number of statements whatever the number of homes)."""
from __future__ import annotations

from datetime import timedelta
from functools import partial

from sqlalchemy import select

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.reports.occupancy import occupancy_report
from homes_app.reports.periods import Period
from homes_app.reports.sufficiency import sufficiency_report

from .dataset import TODAY
from .registry import STANDARD, Bench, figure, homes, median_ms, statements

# The last whole year of the data set.
YEAR = Period(TODAY.replace(year=TODAY.year - 1), TODAY - timedelta(days=1))
REPORTS = (("occupancy_report", occupancy_report),
           ("sufficiency_report", lambda period, ids: sufficiency_report(
               period, ids, show_case_references=True)))


def _home_ids() -> list[int]:
    return list(db.session.scalars(select(Home.id).where(Home.registered_on.is_not(None))))


@figure
def report_times(bench: Bench):
    for size in (STANDARD, *bench.larger):
        suffix = f"_{homes(size)}" if size != STANDARD else ""
        with bench.data[size].app.app_context():
            ids = _home_ids()
            for name, build in REPORTS:
                yield f"{name}_ms{suffix}", median_ms(partial(build, YEAR, ids), bench.runs), "ms"
                db.session.rollback()


@figure
def report_statements(bench: Bench):
    for name, build in REPORTS:
        for size in bench.scaled:
            with bench.data[size].app.app_context():
                ids = _home_ids()
                build(YEAR, ids)  # warm: the postcode dataset loads once per process
                with statements(db.engine) as n:
                    build(YEAR, ids)
                db.session.rollback()
            yield f"{name}_queries_{homes(size)}", n[0], "statements"
