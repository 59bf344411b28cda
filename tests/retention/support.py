"""Builders for retention tests: records made in 2026, reviewed decades later."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.placements import services as moves
from homes_app.retention import services
from homes_app.retention.models import RetentionReview
from homes_app.staffing.rota.models import RotaPublication

TODAY = date(2026, 11, 22)


def stay(make, home, child, starts_on: date, ends_on: date | None = None, bed: int = 0):
    """A confirmed stay (discharged on `ends_on` if given), committed."""
    p = moves.admit_child(home.id, home.beds[bed].id, child, starts_on, emergency=False,
                          actor=None, today=TODAY)
    if ends_on:
        moves.discharge_child(p, ends_on, destination="family", planned=True, actor=None,
                              today=TODAY)
    db.session.commit()
    return p


def publication(home, week_start: date) -> RotaPublication:
    pub = RotaPublication(home_id=home.id, week_start=week_start, version=1,
                          published_at=clock.utcnow(), snapshot=[])
    db.session.add(pub)
    db.session.commit()
    return pub


def review_on(day: date):
    """Run the review as the scheduled job would on `day` (clock moved there), committed."""
    clock.freeze(datetime(day.year, day.month, day.day, 10))
    result = services.run_review(clock.today(), clock.utcnow())
    db.session.commit()
    return result


def findings(record_type: str | None = None) -> list[tuple]:
    stmt = select(RetentionReview.record_type, RetentionReview.record_id,
                  RetentionReview.record_count, RetentionReview.due_on, RetentionReview.state)
    if record_type:
        stmt = stmt.where(RetentionReview.record_type == record_type)
    return [tuple(r) for r in db.session.execute(stmt.order_by(RetentionReview.id))]


def review_of(record_type: str, record_id: int) -> RetentionReview:
    return db.session.scalar(select(RetentionReview).where(
        RetentionReview.record_type == record_type, RetentionReview.record_id == record_id))


def audit_rows(action: str) -> list[AuditEvent]:
    """In the order they were written (without an ORDER BY, PostgreSQL may return any)."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
