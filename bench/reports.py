"""Issue 6's figures: the whole occupancy and local placement reports for the last year of the
100-home, ten-year data set, and their statement counts for 1 home and for 100 (equal: the
reports cost a fixed number of statements whatever the number of homes). Issue 21's: the
occupancy report's page as the bench director is served it in process (the default period,
every home, so the summary), its HTML in KB, median time and statements, at 100 homes and at
BENCH_HOMES; bench/gunicorn.py serves the same page through gunicorn."""
from __future__ import annotations

from datetime import timedelta
from functools import partial

from sqlalchemy import select

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.reports.occupancy import occupancy_report
from homes_app.reports.periods import Period
from homes_app.reports.sufficiency import sufficiency_report

from .dataset import DIRECTOR, PASSWORD, TODAY
from .registry import STANDARD, Bench, figure, homes, median_ms, statements
from .signing_in import signed_in_client

# The last whole year of the data set.
YEAR = Period(TODAY.replace(year=TODAY.year - 1), TODAY - timedelta(days=1))
PAGE = "/reports/occupancy"
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


@figure
def occupancy_report_page(bench: Bench):
    for size in (STANDARD, *bench.larger):
        data, name = bench.data[size], homes(size)
        client = signed_in_client(data.app, DIRECTOR, PASSWORD)
        page = client.get(PAGE)
        if page.status_code != 200:
            raise RuntimeError(f"{PAGE} answered {page.status_code}")
        yield f"occupancy_report_kb_{name}", len(page.get_data()) / 1024, "KB"
        yield f"occupancy_report_page_ms_{name}", median_ms(partial(client.get, PAGE),
                                                            bench.runs), "ms"
        with data.app.app_context():
            engine = db.engine
        with statements(engine) as n:
            client.get(PAGE)
        yield f"occupancy_report_page_queries_{name}", n[0], "statements"
