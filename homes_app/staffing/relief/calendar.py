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
    return staff is not None and staff.active and hmac.compare_digest(token(staff, secret),
                                                                      given)


def feed(staff: StaffMember, now: datetime) -> str:
    """The person's bookings of shifts ending in the last 60 days or later: one query."""
    rows = db.session.scalars(
        select(ShiftAssignment)
        .options(joinedload(ShiftAssignment.shift).joinedload(Shift.home),
                 joinedload(ShiftAssignment.shift).joinedload(Shift.shift_type))
        .join(Shift, Shift.id == ShiftAssignment.shift_id)
        .where(ShiftAssignment.staff_id == staff.id,
               Shift.ends_at > now - timedelta(days=60))
        .order_by(Shift.starts_at, Shift.id)).all()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", _text("X-WR-CALNAME", f"Shifts: {staff.name}")]
    for a in rows:
        lines += _event(a, now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(a: ShiftAssignment, now: datetime) -> list[str]:
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
    out = ["BEGIN:VEVENT", f"UID:shift-{shift.id}-staff-{a.staff_id}@homes-app",
           f"DTSTAMP:{_utc(now)}", f"LAST-MODIFIED:{_utc(a.updated_at)}",
           f"DTSTART:{_utc(shift.starts_at)}", f"DTEND:{_utc(shift.ends_at)}",
           f"SEQUENCE:{a.sequence}", f"STATUS:{status}", _text("SUMMARY", summary),
           _text("LOCATION", ", ".join(p for p in (shift.home.address.replace("\n", ", "),
                                                    shift.home.postcode) if p))]
    if note:
        out.append(_text("DESCRIPTION", note))
    out.append("END:VEVENT")
    return out


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(name: str, value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
               .replace("\r\n", "\\n").replace("\n", "\\n"))
    return f"{name}:{escaped}"


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, start = [], 0
    limit = 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)
