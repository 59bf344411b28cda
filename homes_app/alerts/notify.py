"""Who is told of which alert by email: a digest per person at the time and on the days they
chose (07:30 on weekdays unless they changed it), and at once for high-severity alerts to the
people who must act. Emails go to the outbox (email.py); nothing here sends."""
from __future__ import annotations

import logging
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from ..auth.models import Role, User
from ..extensions import db
from ..links import external_url
from ..staffing.people.models import StaffMember
from . import email
from .models import SEVERITIES, Alert, NotificationPreference
from .settings import ADMINISTRATOR_KINDS

WEEKDAYS = 0b0011111
log = logging.getLogger(__name__)


def default_preference(user_id: int) -> NotificationPreference:
    return NotificationPreference(user_id=user_id, digest_enabled=True, digest_at=time(7, 30),
                                  digest_days=WEEKDAYS, immediate_high=True)


def sees(user: User, alert: Alert, staff_user: dict[int, int | None]) -> bool:
    """services.visible_to, in Python, for alerts already loaded."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.SERVICE_DIRECTOR:
        return alert.kind not in ADMINISTRATOR_KINDS
    if alert.staff_id is not None and staff_user.get(alert.staff_id) == user.id:
        return True
    return user.role == Role.REGISTERED_MANAGER and alert.home_id in {h.id for h in user.homes}


def must_act(user: User, alert: Alert, staff_user: dict[int, int | None]) -> bool:
    """Who is emailed at once: the home's managers, the person an alert is about, and directors
    for alerts about no home in particular (e.g. every home full)."""
    if alert.staff_id is not None and staff_user.get(alert.staff_id) == user.id:
        return True
    if user.role == Role.REGISTERED_MANAGER:
        return alert.home_id in {h.id for h in user.homes}
    return user.role == Role.SERVICE_DIRECTOR and alert.home_id is None \
        and alert.staff_id is None


def _people() -> tuple[list[User], dict[int, NotificationPreference], dict[int, int | None]]:
    users = db.session.scalars(select(User).options(selectinload(User.homes))
                               .where(User.active.is_(True)).order_by(User.id)).all()
    prefs = {p.user_id: p for p in db.session.scalars(select(NotificationPreference))}
    staff_user = dict(db.session.execute(select(StaffMember.id, StaffMember.user_id).where(
        StaffMember.user_id.is_not(None))).all())
    return list(users), prefs, staff_user


def link(alert: Alert) -> str:
    if alert.link_endpoint:
        try:
            return external_url(alert.link_endpoint, **(alert.link_args or {}))
        except BuildError:
            log.warning("alert %s: no page for its link %s", alert.id, alert.link_endpoint)
    return external_url("alerts.index")


def _line(alert: Alert) -> str:
    return f"- [{SEVERITIES[alert.severity]}] {alert.message}\n  {link(alert)}"


def queue_immediate(alert_ids: list[int], now: datetime) -> int:
    """Queue an email per high-severity alert to each person who must act and wants them."""
    if not alert_ids or email.settings() is None:
        return 0
    alerts = db.session.scalars(select(Alert).where(Alert.id.in_(alert_ids),
                                                    Alert.severity == "high")).all()
    if not alerts:
        return 0
    users, prefs, staff_user = _people()
    queued = 0
    for user in users:
        if not prefs.get(user.id, default_preference(user.id)).immediate_high:
            continue
        for alert in alerts:
            if must_act(user, alert, staff_user):
                email.queue(to=user.email, subject=f"Urgent: {alert.message[:150]}",
                            body=f"{alert.message}\n\nDeal with it here: {link(alert)}\n",
                            purpose="immediate", user_id=user.id, now=now)
                queued += 1
    db.session.flush()
    return queued


def digest_due(pref: NotificationPreference, now: datetime) -> bool:
    """Whether the person's digest is due at `now` (London): a chosen day, at or after the
    chosen time, and not yet sent today."""
    return (pref.digest_enabled and bool(pref.digest_days & (1 << now.weekday()))
            and now.time() >= pref.digest_at and pref.last_digest_on != now.date())


def queue_digests(now: datetime) -> int:
    """Queue each person's digest of their unresolved alerts when it is due: a fixed number of
    queries, whatever the number of people and alerts."""
    if email.settings() is None:
        return 0
    users, prefs, staff_user = _people()
    due = [u for u in users if digest_due(prefs.get(u.id) or default_preference(u.id), now)]
    if not due:
        return 0
    alerts = db.session.scalars(select(Alert).where(Alert.state != "resolved")
                                .order_by(Alert.raised_at.desc(), Alert.id.desc())).all()
    queued = 0
    for user in due:
        pref = prefs.get(user.id)
        if pref is None:
            pref = default_preference(user.id)
            db.session.add(pref)
        pref.last_digest_on = now.date()
        theirs = [a for a in alerts if sees(user, a, staff_user)]
        if not theirs:
            continue
        body = "\n".join(_line(a) for a in theirs)
        email.queue(to=user.email, subject=f"{len(theirs)} open alert"
                    f"{'s' if len(theirs) != 1 else ''} for {now.strftime('%-d %b %Y')}",
                    body=f"Alerts that need someone's action:\n\n{body}\n\nAll alerts: "
                    f"{external_url('alerts.index')}\n",
                    purpose="digest", user_id=user.id, now=now)
        queued += 1
    db.session.flush()
    return queued
