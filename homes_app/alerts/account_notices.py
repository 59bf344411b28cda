"""Emails telling a person about something done to their account by someone else, so that a
link sent to the wrong place is noticed by the one person who knows they did not ask for it.
Never carries the link itself. Goes to the outbox (email.py) like alert emails; with email off
(no SMTP_HOST) nothing is queued."""
from __future__ import annotations

from datetime import datetime

from ..auth.models import User
from ..clock import LONDON
from ..links import external_url
from . import email
from .models import OutboxEmail


def link_issued(user: User, actor: User, now: datetime) -> OutboxEmail | None:
    """A set-password link was issued for `user` by `actor`, an administrator."""
    if email.settings() is None:
        return None
    body = (f"{actor.display_name}, an administrator, issued a link to set the password of "
            f"your account ({user.email}) at {now.astimezone(LONDON):%H:%M on %-d %B %Y}.\n\n"
            "The link is not in this email: they send it to you themselves. It works once, "
            "and any earlier link for your account no longer works.\n\n"
            "If you did not expect this, tell your administrator or the council's IT "
            "service desk at once: whoever has the link can set your password.\n\n"
            f"Sign in: {external_url('auth.login')}\n")
    return email.queue(to=user.email, subject="A set-password link was issued for your account",
                       body=body, purpose="account", user_id=user.id, now=now)
