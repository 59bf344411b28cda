"""Issue 2's figures: data set size, the overview's query count, the occupancy report vs floor."""
from __future__ import annotations

import sys

from sqlalchemy import func, select, text

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.placements.models import Placement
from homes_app.placements.queries import occupancy_by_home

from .dataset import DIRECTOR, PASSWORD, START, TODAY
from .registry import STANDARD, Bench, figure, median_ms, medians_ms, statements
from .registry import homes as homes_name
from .signing_in import signed_in_client

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


def _size(data) -> tuple[int, int]:
    """Homes, and confirmed stays (planned and cancelled rows besides)."""
    with data.app.app_context():
        return (db.session.scalar(select(func.count(Home.id))),
                db.session.scalar(select(func.count(Placement.id)).where(
                    Placement.status == "confirmed")))


@figure
def data_size(bench: Bench):
    homes, stays = _size(bench.data[STANDARD])
    yield "bench_data_homes", homes, "homes"
    yield "bench_data_stays", stays, "stays"
    yield "bench_data_years", round((TODAY - START).days / 365.25), "years"
    for n in bench.larger:
        yield f"bench_data_stays_{homes_name(n)}", _size(bench.data[n])[1], "stays"


@figure
def overview_queries(bench: Bench):
    for size in bench.scaled:
        data = bench.data[size]
        client = _signed_in(data.app)
        with data.app.app_context():
            engine = db.engine
        # Each request brings its own app context and session, as in production.
        client.get("/overview")  # warm-up: first-request work is not the page's cost
        with statements(engine) as n:
            response = client.get("/overview")
        if response.status_code != 200:
            raise RuntimeError(f"GET /overview gave {response.status_code}")
        yield f"overview_queries_{homes_name(size)}", n[0], "statements"


@figure
def overview_time(bench: Bench):
    for n in (STANDARD, *bench.larger):
        client = _signed_in(bench.data[n].app)
        yield (f"overview_page_ms_{homes_name(n)}",
               median_ms(lambda c=client: c.get("/overview"), bench.runs), "ms")


def _signed_in(app):
    """A test client signed in as the bench's service director through the real form."""
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
