"""Issue 7's retention figures: the review over 100 homes and ten years, run on a day when
every child in the data set is past their 75th birthday (the most it can ever find at once)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from homes_app.extensions import db
from homes_app.placements.models import Child
from homes_app.retention import services

from .registry import Bench, figure, median_ms, statements

# Far enough ahead that every child (born from about 1998) is due, and ten years of rota and
# audit months with them.
REVIEW_DAY = datetime(2100, 1, 1, 6, tzinfo=UTC)


@figure
def retention_review(bench: Bench):
    data = bench.data[100]
    with data.app.app_context():
        children = db.session.scalar(select(func.count(Child.id)))

        def review():
            try:
                return services.run_review(REVIEW_DAY.date(), REVIEW_DAY)
            finally:
                db.session.rollback()  # each run finds everything again

        with statements(db.engine) as n:
            found = review().found
        spent = median_ms(review, bench.runs)
    yield "retention_review_findings_100_homes", found, "records"
    yield "retention_review_children_100_homes", children, "children"
    yield "retention_review_statements", n[0], "statements"
    yield "retention_review_ms_100_homes", spent, "ms"
