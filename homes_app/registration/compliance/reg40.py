"""The Reg 40 notifications log: a serious event (date and time, aware, Europe/London) and
when and to whom it was notified. Overdue when not notified within 24 hours of the event
(recurrence.reg40_deadline counts real hours, so a clock change moves the wall-clock time).

Like the calendar's services: actor and `now`, the home locked, the audit written, no commit.
"""
from __future__ import annotations

from datetime import datetime

from ... import clock
from ...audit.services import record, snapshot
from ...errors import DomainError
from ...extensions import db
from ...homes.services import lock_home
from .models import REG40_EVENTS, REG40_RECIPIENTS, Reg40Notification
from .services import check_lengths, require_manager


def _notified_rules(event_at: datetime, notified_at: datetime | None, notified_to: list[str],
                    now: datetime) -> str:
    if notified_at is None:
        if notified_to:
            raise DomainError("Enter when they were notified, or leave who was notified blank",
                              "notified_time")
        return ""
    if notified_at > now:
        raise DomainError("The time notified cannot be in the future", "notified_time")
    if notified_at < event_at:
        raise DomainError("The time notified cannot be before the event", "notified_time")
    if not notified_to:
        raise DomainError("Select who was notified", "notified_to")
    if set(notified_to) - set(REG40_RECIPIENTS):
        raise DomainError("Select who was notified from the list", "notified_to")
    return ",".join(r for r in REG40_RECIPIENTS if r in notified_to)


def record_reg40(home_id: int, *, event_type: str, event_at: datetime | None, summary: str,
                 notified_at: datetime | None, notified_to: list[str], actor,
                 now: datetime) -> Reg40Notification:
    """Log a serious event (aware date and time), and the notification if already made.
    It is overdue when not notified within 24 hours of the event."""
    require_manager(actor, home_id)
    lock_home(home_id)
    if event_type not in REG40_EVENTS:
        raise DomainError("Select the type of event", "event_type")
    if event_at is None:
        raise DomainError("Enter the date and time of the event", "event_time")
    if event_at > now:
        raise DomainError("The event cannot be in the future", "event_time")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("Enter what happened, briefly", "summary")
    check_lengths(summary=(summary, 2000, "What happened"))
    to = _notified_rules(event_at, notified_at, notified_to, now)
    item = Reg40Notification(home_id=home_id, event_type=event_type, event_at=event_at,
                             summary=summary, notified_at=notified_at, notified_to=to,
                             recorded_by_id=actor.id, recorded_at=clock.utcnow())
    db.session.add(item)
    record(actor, "compliance.reg40_record", item, after=snapshot(item), home_id=home_id)
    return item


def record_notified(notification_id: int, *, notified_at: datetime | None,
                    notified_to: list[str], actor, now: datetime) -> Reg40Notification:
    """Record when, and to whom, a logged event was notified."""
    item = db.session.get(Reg40Notification, notification_id)
    if item is None:
        raise DomainError("That event is not in the log")
    require_manager(actor, item.home_id)
    lock_home(item.home_id)
    db.session.refresh(item)
    if item.notified_at is not None:
        raise DomainError("This event's notification is already recorded")
    if notified_at is None:
        raise DomainError("Enter when they were notified", "notified_time")
    before = snapshot(item, ["notified_at", "notified_to"])
    item.notified_to = _notified_rules(item.event_at, notified_at, notified_to, now)
    item.notified_at = notified_at
    record(actor, "compliance.reg40_notified", item, before=before,
           after=snapshot(item, ["notified_at", "notified_to"]), home_id=item.home_id)
    return item
