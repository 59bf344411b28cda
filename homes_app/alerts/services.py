"""What people do with alerts (acknowledge with a note, resolve with a reason; both audited)
and who sees which: managers their homes', directors and administrators all, other staff only
alerts about themselves."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import false, func, or_, select

from ..audit.services import changes, record, snapshot
from ..auth.models import Role, User
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..homes import council_settings
from ..staffing.people.models import StaffMember
from .models import Alert, NotificationPreference
from .notify import default_preference
from .settings import ADMINISTRATOR_KINDS, KINDS, LIMITS, AlertSettings, check, load, store

NOTE_MAX = 1000
FIELDS = ["state", "acknowledged_by_id", "acknowledged_at", "acknowledged_note", "resolved_at",
          "resolved_by_id", "resolved_reason"]
# Who may acknowledge or resolve: the people who act on alerts about homes.
ACTORS = (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER)


def visible_to(user: User):
    """SQL condition: the alerts `user` may see."""
    if user.role == Role.ADMINISTRATOR:
        return Alert.id.is_not(None)
    if user.role == Role.SERVICE_DIRECTOR:
        return Alert.kind.not_in(ADMINISTRATOR_KINDS)
    mine = Alert.staff_id.in_(select(StaffMember.id).where(StaffMember.user_id == user.id))
    if user.role == Role.REGISTERED_MANAGER:
        home_ids = [h.id for h in user.homes]
        return or_(Alert.home_id.in_(home_ids), mine) if home_ids else or_(false(), mine)
    return mine


def open_count(user: User) -> int:
    """The person's open alerts (nobody has acknowledged them yet), for the page header: one
    query."""
    return db.session.scalar(select(func.count(Alert.id)).where(
        Alert.state == "open", visible_to(user))) or 0


def may_act(user: User, alert: Alert) -> bool:
    if user.role not in ACTORS:
        return False
    return db.session.scalar(select(func.count(Alert.id)).where(
        Alert.id == alert.id, visible_to(user))) == 1


def _locked(alert_id: int, actor: User) -> Alert:
    alert = db.session.scalar(select(Alert).where(Alert.id == alert_id).with_for_update())
    if alert is None:
        raise DomainError("That alert no longer exists.")
    if not may_act(actor, alert):
        raise NotAllowed()
    return alert


def _text(value: str | None, field: str, what: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter the {what}", field)
    if len(value) > NOTE_MAX:
        raise DomainError(f"The {what} must be {NOTE_MAX} characters or fewer", field)
    return value


def acknowledge(alert_id: int, *, note: str | None, actor: User, now: datetime) -> Alert:
    """Mark an open alert acknowledged: someone is dealing with it. The note is optional.
    Refused if it is already acknowledged or resolved (say who, so nobody acts twice)."""
    alert = _locked(alert_id, actor)
    if alert.state != "open":
        by = alert.acknowledged_by if alert.state == "acknowledged" else alert.resolved_by
        raise DomainError(f"This alert is already {alert.state}"
                          f"{f' by {by.display_name}' if by else ''}.")
    before = snapshot(alert, FIELDS)
    alert.state = "acknowledged"
    alert.acknowledged_by_id = actor.id
    alert.acknowledged_at = now
    alert.acknowledged_note = _text(note, "note", "note", required=False) or None
    record(actor, "alert.acknowledge", alert, before=before, after=snapshot(alert, FIELDS),
           home_id=alert.home_id)
    return alert


def resolve(alert_id: int, *, reason: str | None, actor: User, now: datetime) -> Alert:
    """Resolve an open or acknowledged alert by hand, with the reason (required). It is not
    raised again while its condition stands; if the condition clears and comes back, a new
    alert is."""
    alert = _locked(alert_id, actor)
    if alert.state == "resolved":
        raise DomainError("This alert is already resolved.")
    text = _text(reason, "reason", "reason for resolving it", required=True)
    before = snapshot(alert, FIELDS)
    alert.state = "resolved"
    alert.resolved_at = now
    alert.resolved_by_id = actor.id
    alert.resolved_reason = text
    record(actor, "alert.resolve", alert, before=before, after=snapshot(alert, FIELDS),
           home_id=alert.home_id)
    return alert


# ---- settings and preferences --------------------------------------------------------------

def _described(s: AlertSettings) -> dict:
    return {**{name: getattr(s, name) for name in LIMITS}, "disabled": sorted(s.disabled)}


def update_settings(values: dict[str, int | None], enabled, *, actor: User) -> AlertSettings:
    """Save the council's alert settings: every number in its range (no negative lead time),
    every kind one that exists. Administrators only."""
    if actor.role != Role.ADMINISTRATOR:
        raise NotAllowed()
    unknown = sorted(set(enabled) - set(KINDS))
    if unknown:
        raise DomainError(f"Unknown alert kind: {', '.join(unknown)}", "enabled")
    new = check(values, set(KINDS) - set(enabled))
    before = _described(load())
    store(new)
    old, after = changes(before, _described(new))
    if after:
        record(actor, "settings.alerts", council_settings.SettingsSubject(), before=old,
               after=after)
    return new


def preference(user_id: int) -> NotificationPreference:
    return db.session.get(NotificationPreference, user_id) or default_preference(user_id)


def set_preferences(user: User, *, digest_enabled: bool, digest_at: time | None,
                    digest_days: list[int], immediate_high: bool) -> NotificationPreference:
    """A person's own email preferences. A digest needs a time and at least one day."""
    if digest_enabled and digest_at is None:
        raise DomainError("Enter the time for your digest, like 07:30", "digest_at")
    if digest_enabled and not digest_days:
        raise DomainError("Choose at least one day for your digest", "digest_days")
    if any(not 0 <= d <= 6 for d in digest_days):
        raise DomainError("Choose days from the list", "digest_days")
    pref = preference(user.id)
    before = snapshot(pref, PREF_FIELDS) if pref in db.session else {}
    pref.digest_enabled, pref.immediate_high = digest_enabled, immediate_high
    pref.digest_at = digest_at or pref.digest_at
    pref.digest_days = sum(1 << d for d in set(digest_days)) if digest_days else 0
    db.session.add(pref)
    db.session.flush()
    record(user, "alert_preferences.update", _Preference(user.id), before=before,
           after=snapshot(pref, PREF_FIELDS))
    return pref


PREF_FIELDS = ["digest_enabled", "digest_at", "digest_days", "immediate_high"]


class _Preference:
    __tablename__ = "notification_preferences"

    def __init__(self, user_id: int):
        self.id = user_id
