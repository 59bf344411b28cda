"""The alert jobs the scheduler runs (homes_app/scheduler/jobs.py lists them): each reads the
clock once, calls the domain functions, commits once and returns a one-line summary."""
from __future__ import annotations

from .. import clock
from ..extensions import db
from . import email, notify
from .sweep import sweep


def sweep_job() -> str:
    """Raise, refresh and resolve alerts; queue the immediate emails for new high ones."""
    now = clock.now()
    result = sweep(now)
    queued = notify.queue_immediate(result.raised + result.escalated, now)
    db.session.commit()
    return f"{result}; {queued} urgent emails queued"


def digest_job() -> str:
    queued = notify.queue_digests(clock.now())
    db.session.commit()
    return f"{queued} digests queued"


def outbox_job() -> str:
    summary = email.deliver(clock.now())
    db.session.commit()
    return summary
