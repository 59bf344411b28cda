"""The leader lease: one row the leading scheduler renews before it runs out. Another scheduler
takes it only once it has expired (its holder crashed or stopped), so at most one leads."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from .models import SchedulerLease

NAME = "scheduler"


def acquire(holder: str, seconds: int) -> bool:
    """Take or renew the lease for `seconds`; True if `holder` now leads. Commits."""
    now = clock.utcnow()
    expires = now + timedelta(seconds=seconds)
    # RETURNING, not rowcount: what came back is what this statement changed, on both drivers.
    taken = db.session.scalar(update(SchedulerLease).where(
        SchedulerLease.name == NAME,
        (SchedulerLease.holder == holder) | (SchedulerLease.expires_at <= now))
        .values(holder=holder, expires_at=expires, renewed_at=now)
        .returning(SchedulerLease.name),
        execution_options={"synchronize_session": False})
    if not taken:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        taken = db.session.scalar(dialect.insert(SchedulerLease).values(
            name=NAME, holder=holder, expires_at=expires, renewed_at=now)
            .on_conflict_do_nothing()
            .returning(SchedulerLease.name))
    db.session.commit()
    return bool(taken)


def heartbeat() -> datetime | None:
    """When the leading scheduler last renewed its lease; None if none has."""
    return db.session.scalar(select(SchedulerLease.renewed_at)
                             .where(SchedulerLease.name == NAME))


def holds(holder: str) -> bool:
    """Whether `holder` leads now (its lease has not run out)."""
    lease = db.session.get(SchedulerLease, NAME, populate_existing=True)
    db.session.rollback()
    return lease is not None and lease.holder == holder and lease.expires_at > clock.utcnow()


def release(holder: str) -> None:
    db.session.execute(delete(SchedulerLease).where(SchedulerLease.name == NAME,
                                                    SchedulerLease.holder == holder))
    db.session.commit()
