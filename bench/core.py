"""Issue 2's figures: data set size, the overview's query count, the occupancy report vs floor."""
from __future__ import annotations

import sys

from sqlalchemy import func, select, text

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.placements.models import Placement
from homes_app.placements.queries import occupancy_by_home

from .dataset import DIRECTOR, PASSWORD, START, TODAY
from .registry import Bench, figure, median_ms, medians_ms, statements

# The occupied bed-nights per home as one hand-written query: the floor the report is held to.
FLOOR_SQL = {
    "sqlite": """
        SELECT home_id, SUM(MAX(0, julianday(MIN(COALESCE(ends_on, :b), :b))
                                   - julianday(MAX(starts_on, :a))))
        FROM placements
        WHERE status = 'confirmed' AND starts_on < :b AND COALESCE(ends_on, :b) > :a
        GROUP BY home_id""",
    "postgresql": """
        SELECT home_id, SUM(GREATEST(0, LEAST(COALESCE(ends_on, :b), :b)
                                        - GREATEST(starts_on, :a)))
        FROM placements
        WHERE status = 'confirmed' AND starts_on < :b AND COALESCE(ends_on, :b) > :a
        GROUP BY home_id""",
}


@figure
def data_size(bench: Bench):
    big = bench.data[max(bench.data)]
    with big.app.app_context():
        homes = db.session.scalar(select(func.count(Home.id)))
        stays = db.session.scalar(select(func.count(Placement.id)).where(
            Placement.status == "confirmed"))
        years = round((TODAY - START).days / 365.25)
    yield "bench_data_homes", homes, "homes"
    yield "bench_data_stays", stays, "stays"  # confirmed; planned and cancelled rows besides
    yield "bench_data_years", years, "years"


@figure
def overview_queries(bench: Bench):
    for homes, name in ((1, "overview_queries_1_home"), (100, "overview_queries_100_homes")):
        data = bench.data[homes]
        client = _signed_in(data.app)
        with data.app.app_context():
            engine = db.engine
        # Each request brings its own app context and session, as in production.
        client.get("/overview")  # warm-up: first-request work is not the page's cost
        with statements(engine) as n:
            response = client.get("/overview")
        if response.status_code != 200:
            raise RuntimeError(f"GET /overview gave {response.status_code}")
        yield name, n[0], "statements"


@figure
def overview_time(bench: Bench):
    data = bench.data[100]
    client = _signed_in(data.app)
    yield ("overview_page_ms_100_homes",
           median_ms(lambda: client.get("/overview"), bench.runs), "ms")


def _signed_in(app):
    """A test client signed in as the bench's service director through the real form."""
    from .signing_in import signed_in_client

    return signed_in_client(app, DIRECTOR, PASSWORD)


@figure
def occupancy_by_home_against_floor(bench: Bench):
    data = bench.data[100]
    with data.app.app_context():
        dialect = db.engine.dialect.name
        a, b = (START, TODAY) if dialect == "postgresql" else (str(START), str(TODAY))

        def floor():
            return db.session.execute(text(FLOOR_SQL[dialect]), {"a": a, "b": b}).all()

        report_ms, floor_ms = medians_ms([lambda: occupancy_by_home(START, TODAY), floor],
                                         bench.runs)
        report = {h: o.occupied for h, o in occupancy_by_home(START, TODAY).items() if o.occupied}
        if report != {h: int(n) for h, n in floor() if n}:
            print("bench: occupancy_by_home and the floor query disagree", file=sys.stderr)
        db.session.rollback()
    # occupancy_by_home over ten years, all homes; issue 6 reports the whole occupancy report
    # as occupancy_report_ms (bench/reports.py).
    yield "occupancy_by_home_ms", report_ms, "ms"
    yield "occupancy_sql_floor_ms", floor_ms, "ms"
    yield "occupancy_by_home_floor_ratio", report_ms / floor_ms, "x"
