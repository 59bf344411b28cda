"""Helpers for the homes tests: stays written straight to the database, counts, form data."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse, Home
from homes_app.placements.models import Placement

TODAY = date(2026, 11, 22)  # the frozen clock in tests/conftest.py


def stay(bed: Bed, child, starts_on: date, ends_on: date | None = None, *,
         status: str = "confirmed", held_from: date | None = None) -> Placement:
    """A stay (or, with status="planned", a planned admission) without the move services."""
    p = Placement(child_id=child.id, home_id=bed.home_id, bed_id=bed.id, status=status,
                  admission_type="planned", held_from=held_from or starts_on,
                  starts_on=starts_on, ends_on=ends_on,
                  end_reason="discharge" if ends_on else None, created_at=clock.utcnow())
    db.session.add(p)
    db.session.commit()
    return p


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def state() -> dict:
    """Everything the homes pieces write, to prove a refused request changed nothing."""
    db.session.expire_all()
    homes = [(h.id, h.version, h.name, h.max_children, h.ofsted_urn, h.status)
             for h in db.session.scalars(select(Home).order_by(Home.id))]
    beds = [(b.id, b.label, b.in_service_until) for b in db.session.scalars(
        select(Bed).order_by(Bed.id))]
    return {"homes": homes, "beds": beds, "holds": count(BedHold), "out": count(BedOutOfUse),
            "ends": [(h.id, h.ends_on) for h in db.session.scalars(select(BedHold))]
            + [(o.id, o.ends_on) for o in db.session.scalars(select(BedOutOfUse))],
            "audit": count(AuditEvent)}


def day(d: date) -> list[str]:
    """A date as the three GOV.UK date boxes post it."""
    return [str(d.day), str(d.month), str(d.year)]


def text(response) -> str:
    return response.get_data(as_text=True)
