"""The scheduled retention review: finds records past retention for an administrator."""
from __future__ import annotations

from .. import clock
from ..extensions import db
from . import services


def retention_review_job() -> str:
    """Run the review now (in the caller's app context), commit once, and say what it found."""
    try:
        result = services.run_review(clock.today(), clock.utcnow())
    except Exception:
        db.session.rollback()  # leave the session clean for the scheduler's next job
        raise
    db.session.commit()
    return result.summary()
