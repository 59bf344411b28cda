"""Which outbox emails are spent, for the housekeeping job (homes_app/scheduler/housekeeping.py,
docs/retention.md): those sent more than SENT_EMAIL_KEEP_DAYS ago. An email not yet sent, or
failing and waiting for its next attempt, is never spent: it is the only copy of a message
someone is still owed."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_

from ..common.batches import Spent, whole_number_setting
from .models import OutboxEmail


def spent(now: datetime) -> list[Spent]:
    sent_before = now - timedelta(days=whole_number_setting("SENT_EMAIL_KEEP_DAYS", 0))
    return [Spent("sent emails", OutboxEmail,
                  and_(OutboxEmail.sent_at.is_not(None), OutboxEmail.sent_at < sent_before))]
