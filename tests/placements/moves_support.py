"""Shared helpers for the HTTP tests of children's pages and moves."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select

from homes_app.audit.models import AuditEvent
from homes_app.audit.personal_data import READS
from homes_app.audit.services import snapshot
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.placements import services
from homes_app.placements.models import Child, Placement, PlacementCorrection
from tests.helpers import submit

TODAY = date(2026, 11, 22)  # the frozen clock's date


def day(d: date) -> list[str]:
    """A date as the three boxes of a GOV.UK date input."""
    return [str(d.day), str(d.month), str(d.year)]


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def state() -> dict:
    """Everything a refused move must leave alone."""
    db.session.expire_all()
    return {
        "placements": [snapshot(p) for p in db.session.scalars(
            select(Placement).order_by(Placement.id))],
        "children": [snapshot(c) for c in db.session.scalars(select(Child).order_by(Child.id))],
        "corrections": db.session.scalar(select(func.count(PlacementCorrection.id))),
        # Changes only: the pages a refused move was tried from are audited reads.
        "audit": db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action.not_in(READS))),
        "versions": [h.version for h in db.session.scalars(select(Home).order_by(Home.id))],
    }


def audit(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def placements(**where) -> list[Placement]:
    db.session.expire_all()
    stmt = select(Placement).order_by(Placement.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Placement, key) == value)
    return list(db.session.scalars(stmt))


def admit_now(home: Home, child: Child, on: date, manager, bed=None) -> Placement:
    """An admission made directly through the service, committed (for set-up)."""
    bed = bed or home.beds[0]
    p = services.admit_child(home.id, bed.id, child, on, emergency=False, actor=manager,
                             today=TODAY)
    db.session.commit()
    return p


def plan_now(home: Home, child: Child, on: date, manager, bed=None) -> Placement:
    bed = bed or home.beds[0]
    p = services.plan_admission(home.id, bed.id, child, on, actor=manager, today=TODAY)
    db.session.commit()
    return p


def admit_form(client, home: Home, child: Child, bed, on: date, kind: str = "planned"):
    url = f"/homes/{home.id}/admit"
    return submit(client, url, {"child_id": str(child.id), "bed_id": str(bed.id),
                                "starts_on": day(on), "admission_type": kind})
