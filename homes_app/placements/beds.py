"""Beds and their states: add and retire beds, hold them, put them out of use and back.

Only the home's registered manager may do these. Each locks the home (so a bed change and a
move in the same home happen one at a time), bumps its version, audits and flushes; the caller
commits. A night belongs to a period when start <= night < end (no end: open).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..audit.services import record, snapshot
from ..auth.services import may_record_moves
from ..common.dates import long_date
from ..common.sql import overlaps
from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..homes.models import HOLD_REASONS, OUT_OF_USE_REASONS, Bed, BedHold, BedOutOfUse, Home
from ..homes.services import lock_home
from .models import Placement

OUT_OF_USE = "out of use"
HELD = "held for matching"


# Audit actions name the record in the singular: bed_hold.start, bed_hold.end.
_NOUN = {BedHold: "bed_hold", BedOutOfUse: "bed_out_of_use"}

def _managed_home(home_id: int, actor, seen_version: int | None) -> Home:
    if not may_record_moves(actor, home_id):
        raise NotAllowed()
    home = lock_home(home_id, seen_version)
    if home.status == "closed":
        raise DomainError(f"{home.name} has closed; its beds cannot be changed")
    return home


def _bed(home: Home, bed_id: int) -> Bed:
    bed = db.session.get(Bed, bed_id)
    if bed is None or bed.home_id != home.id:
        raise DomainError("Choose a bed in this home", "bed_id")
    return bed


def _until(end: date | None) -> str:
    return f" until {long_date(end)}" if end else ""


def add_bed(home_id: int, label: str, in_service_from: date, *, actor, today: date,
            seen_version: int | None = None) -> Bed:
    home = _managed_home(home_id, actor, seen_version)
    label = (label or "").strip()
    if not label:
        raise DomainError("Enter a name for the bed, like Bed 3 or Blue room", "label")
    if len(label) > 40:
        raise DomainError("Bed name must be 40 characters or fewer", "label")
    if db.session.scalar(select(Bed.id).where(Bed.home_id == home.id,
                                              func.lower(Bed.label) == label.lower())):
        raise DomainError(f"{home.name} already has a bed called {label}", "label")
    bed = Bed(home_id=home.id, label=label, in_service_from=in_service_from)
    db.session.add(bed)
    home.version += 1
    record(actor, "bed.add", bed, after=snapshot(bed), home_id=home.id)
    return bed


def retire_bed(home_id: int, bed_id: int, in_service_until: date, *, actor, today: date,
               seen_version: int | None = None) -> Bed:
    """The bed leaves service on `in_service_until`: its last night is the night before."""
    home = _managed_home(home_id, actor, seen_version)
    bed = _bed(home, bed_id)
    field = "in_service_until"
    if bed.in_service_until is not None:
        raise DomainError(f"{bed.label} already leaves service on {long_date(bed.in_service_until)}",
                          field)
    if in_service_until <= bed.in_service_from:
        raise DomainError(f"The date must be after the bed came into service "
                          f"({long_date(bed.in_service_from)})", field)
    stay = _first_stay(bed, in_service_until, None)
    if stay is not None:
        night = max(stay.held_from, in_service_until)
        raise DomainError(f"{bed.label} is {_stay_state(stay, night)} on the night of "
                          f"{long_date(night)}; record the child's move first", field)
    for model in (BedHold, BedOutOfUse):
        _trim(model, bed, in_service_until, actor)
    before = snapshot(bed)
    bed.in_service_until = in_service_until
    home.version += 1
    record(actor, "bed.retire", bed, before=before, after=snapshot(bed), home_id=home.id)
    return bed


def _trim(model, bed: Bed, until: date, actor) -> None:
    """Holds and out-of-use periods end when the bed leaves service."""
    for period in _periods(model, bed, until, None):
        if period.starts_on >= until:
            raise DomainError(f"{bed.label} is {_what(model)} from {long_date(period.starts_on)}, after "
                              "that date; choose a later date", "in_service_until")
        before = snapshot(period)
        period.ends_on = until
        record(actor, f"{_NOUN[model]}.end", period, before=before,
               after=snapshot(period), home_id=bed.home_id)


def hold_bed(home_id: int, bed_id: int, starts_on: date, ends_on: date | None, *, note: str = "",
             reason: str = "matching", actor, today: date,
             seen_version: int | None = None) -> BedHold:
    """Keep a bed empty on purpose, e.g. because the current child must live alone."""
    home = _managed_home(home_id, actor, seen_version)
    if reason not in HOLD_REASONS:
        raise DomainError("Select why the bed is held", "reason")
    bed = _bed(home, bed_id)
    _bed_free(bed, starts_on, ends_on)
    hold = BedHold(bed_id=bed.id, reason=reason, note=(note or "").strip(),
                   starts_on=starts_on, ends_on=ends_on)
    db.session.add(hold)
    home.version += 1
    record(actor, f"{_NOUN[BedHold]}.start", hold, after=snapshot(hold), home_id=home.id)
    return hold


def mark_out_of_use(home_id: int, bed_id: int, reason: str, starts_on: date,
                    ends_on: date | None, *, note: str = "", actor, today: date,
                    seen_version: int | None = None) -> BedOutOfUse:
    home = _managed_home(home_id, actor, seen_version)
    if reason not in OUT_OF_USE_REASONS:
        raise DomainError("Select why the bed is out of use", "reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise DomainError("Describe why the bed is out of use", "note")
    bed = _bed(home, bed_id)
    _bed_free(bed, starts_on, ends_on)
    period = BedOutOfUse(bed_id=bed.id, reason=reason, note=note, starts_on=starts_on,
                         ends_on=ends_on)
    db.session.add(period)
    home.version += 1
    record(actor, f"{_NOUN[BedOutOfUse]}.start", period, after=snapshot(period), home_id=home.id)
    return period


def end_hold(home_id: int, hold_id: int, ends_on: date, *, actor, today: date,
             seen_version: int | None = None) -> BedHold:
    return _end(BedHold, home_id, hold_id, ends_on, actor=actor, seen_version=seen_version)


def end_out_of_use(home_id: int, period_id: int, ends_on: date, *, actor, today: date,
                   seen_version: int | None = None) -> BedOutOfUse:
    return _end(BedOutOfUse, home_id, period_id, ends_on, actor=actor,
                seen_version=seen_version)


def _end(model, home_id: int, period_id: int, ends_on: date, *, actor, seen_version):
    """Bring a period's end forward to `ends_on`: the bed is back in use from that night."""
    home = _managed_home(home_id, actor, seen_version)
    period = db.session.get(model, period_id)
    if period is None or period.bed.home_id != home.id:
        raise DomainError("Choose a period in this home")
    if ends_on <= period.starts_on:
        raise DomainError(f"The end date must be after the start date "
                          f"({long_date(period.starts_on)})", "ends_on")
    if period.ends_on is not None and ends_on > period.ends_on:
        raise DomainError(f"This already ends on {long_date(period.ends_on)}; the end date can only "
                          "be brought forward", "ends_on")
    before = snapshot(period)
    period.ends_on = ends_on
    home.version += 1
    record(actor, f"{_NOUN[model]}.end", period, before=before, after=snapshot(period),
           home_id=home.id)
    return period


def _bed_free(bed: Bed, starts_on: date, ends_on: date | None) -> None:
    """The period's dates are in order, inside the bed's service, and clash with nothing."""
    if ends_on is not None and ends_on <= starts_on:
        raise DomainError("The end date must be after the start date", "ends_on")
    if starts_on < bed.in_service_from:
        raise DomainError(f"{bed.label} comes into service on {long_date(bed.in_service_from)}",
                          "starts_on")
    until = bed.in_service_until
    if until and (ends_on is None or ends_on > until):
        raise DomainError(f"{bed.label} leaves service on {long_date(until)}; give an end date on "
                          "or before it", "ends_on")
    stay = _first_stay(bed, starts_on, ends_on)
    if stay is not None:
        night = max(stay.held_from, starts_on)
        raise DomainError(f"{bed.label} is {_stay_state(stay, night)} on the night of "
                          f"{long_date(night)}", "starts_on")
    for model in (BedHold, BedOutOfUse):
        clash = next(iter(_periods(model, bed, starts_on, ends_on)), None)
        if clash is not None:
            raise DomainError(f"{bed.label} is already {_what(model)} from "
                              f"{long_date(clash.starts_on)}{_until(clash.ends_on)}", "starts_on")


def _first_stay(bed: Bed, start: date, end: date | None) -> Placement | None:
    return db.session.scalars(select(Placement).where(
        Placement.bed_id == bed.id, Placement.status != "cancelled",
        overlaps(Placement.held_from, Placement.ends_on, start, end),
    ).order_by(Placement.held_from).limit(1)).first()


def _stay_state(stay: Placement, night: date) -> str:
    if stay.status == "confirmed" and stay.starts_on <= night:
        return "occupied"
    return "held for a planned admission"


def _periods(model, bed: Bed, start: date, end: date | None) -> list:
    return db.session.scalars(select(model).where(
        model.bed_id == bed.id, overlaps(model.starts_on, model.ends_on, start, end),
    ).order_by(model.starts_on)).all()


def _what(model) -> str:
    return HELD if model is BedHold else OUT_OF_USE
