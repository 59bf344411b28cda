"""A person's private iCalendar feed: every booking with a stable UID, a SEQUENCE that rises
with each change, and STATUS:CANCELLED once it ends, so calendar apps follow changes.

The secret link is an HMAC of the person's id and calendar version under the app's secret
key: nothing secret is stored, and bumping the version (a reset) makes the old link stale.
"""
from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ..people.models import StaffMember
from ..rota.models import END_REASONS, Shift, ShiftAssignment

PRODID = "-//Council children's homes//homes_app rota//EN"


def token(staff: StaffMember, secret: str) -> str:
    message = f"calendar:{staff.id}:{staff.calendar_version}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def token_matches(staff: StaffMember | None, given: str, secret: str) -> bool:
    # As bytes: compare_digest refuses a str holding anything but ASCII (a mangled link).
    return staff is not None and staff.active and hmac.compare_digest(
        token(staff, secret).encode(), given.encode())


def feed(staff: StaffMember, now: datetime) -> str:
    """The person's bookings of shifts ending in the last 60 days or later: one query.

    Written by the icalendar library, which escapes text (a carriage return or line feed in a
    note or a home's name stays inside its property) and folds lines at 75 octets."""
    rows = db.session.scalars(
        select(ShiftAssignment)
        .options(joinedload(ShiftAssignment.shift).joinedload(Shift.home),
                 joinedload(ShiftAssignment.shift).joinedload(Shift.shift_type))
        .join(Shift, Shift.id == ShiftAssignment.shift_id)
        .where(ShiftAssignment.staff_id == staff.id,
               Shift.ends_at > now - timedelta(days=60))
        .order_by(Shift.starts_at, Shift.id)).all()
    cal = Calendar()
    for name, value in (("version", "2.0"), ("prodid", PRODID), ("calscale", "GREGORIAN"),
                        ("method", "PUBLISH"), ("x-wr-calname", f"Shifts: {staff.name}")):
        cal.add(name, value)
    for a in rows:
        cal.add_component(_event(a, now))
    return cal.to_ical().decode()


def _event(a: ShiftAssignment, now: datetime) -> Event:
    shift = a.shift
    status = {"pending": "TENTATIVE", "confirmed": "CONFIRMED"}.get(a.status, "CANCELLED")
    if a.status != "ended" and shift.status == "cancelled":
        status = "CANCELLED"
    summary = f"{shift.shift_type.name} shift at {shift.home.name}"
    if status == "TENTATIVE":
        summary += " (awaiting approval)"
    elif status == "CANCELLED":
        summary = "Cancelled: " + summary
    note = END_REASONS.get(a.end_reason or "", "")
    if a.reason:
        note = f"{note}: {a.reason}" if note else a.reason
    address = [line.strip() for line in shift.home.address.splitlines() if line.strip()]
    event = Event()
    for name, value in (
            ("uid", f"shift-{shift.id}-staff-{a.staff_id}@homes-app"),
            ("dtstamp", _utc(now)), ("last-modified", _utc(a.updated_at)),
            ("dtstart", _utc(shift.starts_at)), ("dtend", _utc(shift.ends_at)),
            ("sequence", a.sequence), ("status", status), ("summary", summary),
            ("location", ", ".join(p for p in (*address, shift.home.postcode) if p))):
        event.add(name, value)
    if note:
        event.add("description", note)
    return event


def _utc(moment: datetime) -> datetime:
    """Times in UTC (written with a Z): calendar apps show them in the phone's own zone."""
    return moment.astimezone(UTC)
