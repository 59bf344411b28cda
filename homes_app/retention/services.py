"""The retention review and the administrator's decisions on what it finds.

run_review() records each record past retention once (reruns, and two schedulers by mistake,
add nothing twice); dispose() performs the documented disposal and keep() records a reason to
keep, each audited with the record type and internal id only: never a name, date of birth or
case reference.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from . import disposal, finders, rules
from .models import RetentionReview

REASON_MAX = 500


@dataclass
class ReviewResult:
    found: int      # new findings this run
    reopened: int   # kept findings whose reason is due to be reconsidered
    awaiting: int   # all findings now awaiting an administrator

    def summary(self) -> str:
        noun = "record" if self.awaiting == 1 else "records"
        return (f"{self.awaiting} {noun} past retention awaiting confirmation "
                f"({self.found} new, {self.reopened} kept records due for another look)")


def run_review(today: date, now: datetime) -> ReviewResult:
    """Find what is past retention on `today` and record it as awaiting; flushes, never commits.

    A fixed number of statements: one per rule, one for the months already reviewed, one
    insert, one to reopen old keeps and one count.
    """
    reviewed = _reviewed_months()
    rows = []
    for key, find in finders.PER_RECORD.items():
        rows += [_row(key, found, now) for found in find(today)]
    for key, find in finders.MONTHLY.items():
        rows += [_row(key, found, now) for found in find(today, reviewed.get(key, set()))]
    found = _insert_new(rows)
    reopened = db.session.execute(
        update(RetentionReview)
        .where(RetentionReview.state == "kept",
               RetentionReview.decided_at <= now - rules.KEEP_REVIEWED_AFTER)
        .values(state="awaiting")).rowcount
    awaiting = db.session.scalar(select(func.count()).select_from(RetentionReview)
                                 .where(RetentionReview.state == "awaiting"))
    return ReviewResult(found=found, reopened=reopened, awaiting=awaiting)


def _reviewed_months() -> dict[str, set[int]]:
    monthly = [k for k, r in rules.RULES.items() if r.monthly]
    result: dict[str, set[int]] = {}
    for key, record_id in db.session.execute(select(
            RetentionReview.record_type, RetentionReview.record_id)
            .where(RetentionReview.record_type.in_(monthly))):
        result.setdefault(key, set()).add(record_id)
    return result


def _row(key: str, found: finders.Finding, now: datetime) -> dict:
    record_id, count, due = found
    return {"record_type": key, "record_id": record_id, "record_count": count, "due_on": due,
            "found_at": now, "state": "awaiting"}


def _insert_new(rows: list[dict]) -> int:
    """Insert the findings, skipping any another run recorded meanwhile (the unique key)."""
    if not rows:
        return 0
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(RetentionReview).on_conflict_do_nothing(
        index_elements=["record_type", "record_id"]).returning(RetentionReview.id)
    # RETURNING gives exactly the rows inserted (rowcount after executemany is unreliable).
    return len(db.session.connection().execute(stmt, rows).all())


def awaiting() -> list[RetentionReview]:
    """Findings awaiting a decision, the longest overdue first."""
    return list(db.session.scalars(select(RetentionReview)
                                   .where(RetentionReview.state == "awaiting")
                                   .order_by(RetentionReview.due_on, RetentionReview.id)))


def _awaiting(review: RetentionReview | None) -> RetentionReview:
    if review is None:
        raise DomainError("That record is no longer on the list. Check the page again.")
    if review.state != "awaiting":
        raise DomainError("That record has already been decided: "
                          f"{review.state} on {review.decided_at:%d %b %Y}.")
    return review


def dispose(review: RetentionReview | None, *, actor, now: datetime) -> int:
    """Dispose of the record as docs/retention.md says, in the caller's transaction.

    Refused for audit events (the operator procedure disposes of those) and for anything not
    awaiting a decision. Returns how many records were disposed of.
    """
    review = _awaiting(review)
    act = disposal.DISPOSE.get(review.record_type)
    if act is None:
        raise DomainError("Audit events are deleted by the operator procedure in "
                          "docs/retention.md, not from this page.")
    _decide(review, "disposed", actor, now)
    count = act(review.record_id)
    record(actor, "retention.dispose", review,
           after={"record_type": review.record_type, "record_id": review.record_id,
                  "due_on": review.due_on.isoformat(), "records_disposed": count},
           children=_child_of(review))
    return count


def keep(review: RetentionReview | None, reason: str, *, actor, now: datetime) -> None:
    """Keep the record past its retention date for a stated reason (e.g. a legal hold)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why the record must be kept, for example a legal hold",
                          "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"The reason must be {REASON_MAX} characters or fewer", "reason")
    review = _awaiting(review)
    _decide(review, "kept", actor, now, reason=reason)
    record(actor, "retention.keep", review,
           after={"record_type": review.record_type, "record_id": review.record_id,
                  "reason": reason}, children=_child_of(review))


def _child_of(review: RetentionReview) -> list[int]:
    """A decision on a child's record is on that child's audit trail ("who has seen it")."""
    return [review.record_id] if review.record_type == rules.CHILD.key else []


def _decide(review: RetentionReview, state: str, actor, now: datetime,
            reason: str | None = None) -> None:
    """Claim the decision: one conditional update, so two administrators deciding the same
    record at once cannot both act on it."""
    values = {"state": state, "decided_by_id": getattr(actor, "id", None), "decided_at": now}
    if reason is not None:
        values["reason"] = reason
    claimed = db.session.execute(
        update(RetentionReview)
        .where(RetentionReview.id == review.id, RetentionReview.state == "awaiting")
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise DomainError("Someone else has just decided this record. Check the page again.")
    db.session.refresh(review)


def purge_audit(review: RetentionReview | None, *, actor, now: datetime) -> int:
    """The operator procedure for audit events past retention (docs/retention.md): delete the
    month's events with the append-only trigger lifted inside this one transaction only, and
    record the purge as a new audit event. Returns how many events were deleted."""
    review = _awaiting(review)
    if review.record_type != rules.AUDIT.key:
        raise DomainError("Only audit events are purged this way; decide other records on "
                          "the retention page.")
    _decide(review, "disposed", actor, now)
    count = disposal.audit_events(review.record_id)
    record(actor, "retention.audit_purge", review,
           after={"record_type": review.record_type, "record_id": review.record_id,
                  "due_on": review.due_on.isoformat(), "records_disposed": count})
    return count
