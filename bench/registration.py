"""Issue 4's figures: the due-and-overdue list across homes (GET /due as a service director),
its statements for 1 and 100 homes (the same) and its median time for 100 homes.

The bench data sets have homes and stays only; the first run here seeds the compliance rules,
starts every home's calendar (each old home's obligations fall due on the bench's day) and logs
a Reg 40 event at every tenth home, through the services, and commits (kept in the cached
SQLite files; made afresh on PostgreSQL).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from homes_app.clock import LONDON
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.registration import seed
from homes_app.registration.compliance import services as calendar_services
from homes_app.registration.compliance.models import ComplianceOccurrence, Reg40Notification

from .core import _signed_in
from .dataset import TODAY
from .registry import STANDARD, Bench, figure, homes, median_ms, statements


def _prepare(app) -> None:
    with app.app_context():
        if db.session.scalar(select(ComplianceOccurrence.id).limit(1)) is None:
            seed.seed_rules()
            calendar_services.ensure_calendar(actor=None, today=TODAY)
            now = datetime.combine(TODAY, time(12), LONDON)
            for home_id in db.session.scalars(select(Home.id).order_by(Home.id))\
                    .all()[::10]:
                db.session.add(_event(home_id, now - timedelta(hours=30), now))
            db.session.commit()
        db.session.remove()


def _event(home_id: int, at: datetime, now: datetime) -> Reg40Notification:
    return Reg40Notification(home_id=home_id, event_type="police", event_at=at,
                             summary="Bench event", notified_to="", recorded_at=now)


@figure
def compliance_due_list(bench: Bench):
    clients, counts = {}, {}
    for size in bench.scaled:
        data = bench.data[size]
        _prepare(data.app)
        client = clients[size] = _signed_in(data.app)
        with data.app.app_context():
            engine = db.engine
        client.get("/due")  # warm-up: first-request work is not the page's cost
        with statements(engine) as n:
            response = client.get("/due")
        if response.status_code != 200:
            raise RuntimeError(f"GET /due gave {response.status_code}")
        counts[size] = n[0]
        yield f"compliance_due_list_queries_{homes(size)}", n[0], "statements"
    # The name for it: the same for 1 home and 100 (the 100-home count).
    yield "compliance_due_list_queries", counts[STANDARD], "statements"
    for size in (STANDARD, *bench.larger):
        name = "compliance_due_list_ms" + (f"_{homes(size)}" if size != STANDARD else "")
        yield name, median_ms(lambda c=clients[size]: c.get("/due"), bench.runs), "ms"
