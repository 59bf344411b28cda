"""Moves: admit, plan, confirm, re-date, cancel, transfer, discharge and correct.

Each service takes the acting user and `today`, locks the home, checks the rules, changes rows,
writes the audit entry and flushes. It never commits: the caller commits once, and on a
DomainError rolls back (a refused move may leave pending changes in the session).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..audit.services import record, snapshot
from ..common.dates import long_date
from ..errors import DomainError
from ..extensions import db
from ..homes.models import Bed, Home
from ..homes.services import lock_home
from .models import DISCHARGE_DESTINATIONS, Child, Placement, PlacementCorrection
from .rules import check_stay

TAKEN = ("Someone else recorded a move for this bed or child at the same moment. "
         "Check the home's page and try again.")


def _changed(home: Home) -> None:
    home.version += 1


def _save(p: Placement, actor, action: str, before: dict | None = None) -> Placement:
    """Insert or update, turning a database-level clash into the same clear refusal."""
    try:
        with db.session.begin_nested():
            db.session.add(p)
            db.session.flush()
    except IntegrityError:
        raise DomainError(TAKEN, "bed_id") from None
    record(actor, action, p, before=before, after=snapshot(p), home_id=p.home_id,
           children=[p.child_id])
    return p


def _new(home: Home, bed: Bed, child: Child, *, status: str, admission_type: str,
         held_from: date, starts_on: date, actor, previous: Placement | None = None) -> Placement:
    """A pending stay, in the session but not flushed: a refusal rolls it back with the rest."""
    with db.session.no_autoflush:
        p = Placement(home=home, home_id=home.id, bed=bed, bed_id=bed.id, child=child,
                      child_id=child.id, status=status, admission_type=admission_type,
                      held_from=held_from, starts_on=starts_on, previous=previous,
                      created_by_id=getattr(actor, "id", None), created_at=clock.utcnow())
        db.session.add(p)
    return p


def _bed(home: Home, bed_id: int) -> Bed:
    bed = db.session.get(Bed, bed_id)
    if bed is None or bed.home_id != home.id:
        raise DomainError("Choose a bed in this home", "bed_id")
    return bed


def _not_future(day: date, today: date, field: str, what: str) -> None:
    if day > today:
        raise DomainError(f"The {what} date cannot be in the future ({long_date(day)}); "
                          "record a planned admission instead" if what == "admission" else
                          f"The {what} date cannot be in the future ({long_date(day)})", field)


def admit_child(home_id: int, bed_id: int, child: Child, starts_on: date, *, emergency: bool,
                actor, today: date, seen_version: int | None = None) -> Placement:
    """Record a child's arrival (planned or emergency) in a bed on `starts_on` (not future)."""
    home = lock_home(home_id, seen_version)
    _not_future(starts_on, today, "starts_on", "admission")
    p = _new(home, _bed(home, bed_id), child, status="confirmed",
             admission_type="emergency" if emergency else "planned",
             held_from=starts_on, starts_on=starts_on, actor=actor)
    check_stay(p, admission=True)
    _changed(home)
    return _save(p, actor, "placement.admit")


def plan_admission(home_id: int, bed_id: int, child: Child, starts_on: date, *, actor,
                   today: date, seen_version: int | None = None) -> Placement:
    """Reserve a bed from today for a child expected on `starts_on` (today or later)."""
    home = lock_home(home_id, seen_version)
    if starts_on < today:
        raise DomainError("A planned admission must be today or later", "starts_on")
    p = _new(home, _bed(home, bed_id), child, status="planned", admission_type="planned",
             held_from=today, starts_on=starts_on, actor=actor)
    check_stay(p, admission=True)
    _changed(home)
    return _save(p, actor, "placement.plan")


def _planned(placement: Placement) -> None:
    if placement.status != "planned":
        raise DomainError("Only a planned admission can be changed this way")


def confirm_admission(placement: Placement, arrived_on: date, *, actor, today: date,
                      seen_version: int | None = None) -> Placement:
    """The planned child has arrived on `arrived_on` (not future)."""
    home = lock_home(placement.home_id, seen_version)
    _planned(placement)
    _not_future(arrived_on, today, "starts_on", "arrival")
    before = snapshot(placement)
    placement.status, placement.starts_on = "confirmed", arrived_on
    placement.held_from = min(placement.held_from, arrived_on)
    check_stay(placement, admission=True)
    _changed(home)
    return _save(placement, actor, "placement.confirm", before)


def redate_admission(placement: Placement, starts_on: date, *, actor, today: date,
                     seen_version: int | None = None) -> Placement:
    home = lock_home(placement.home_id, seen_version)
    _planned(placement)
    if starts_on < today:
        raise DomainError("A planned admission must be today or later", "starts_on")
    before = snapshot(placement)
    placement.starts_on = starts_on
    placement.held_from = min(placement.held_from, starts_on)
    check_stay(placement, admission=True)
    _changed(home)
    return _save(placement, actor, "placement.redate", before)


def cancel_admission(placement: Placement, *, actor, today: date,
                     seen_version: int | None = None) -> Placement:
    """The child will not come: the bed's hold ends today."""
    home = lock_home(placement.home_id, seen_version)
    _planned(placement)
    before = snapshot(placement)
    placement.status, placement.end_reason = "cancelled", "cancelled"
    placement.ends_on = max(today, placement.held_from)
    _changed(home)
    return _save(placement, actor, "placement.cancel", before)


def _current(placement: Placement) -> None:
    if placement.status != "confirmed" or placement.ends_on is not None:
        raise DomainError("This child is not currently living here")


def discharge_child(placement: Placement, on: date, *, destination: str, planned: bool, actor,
                    today: date, seen_version: int | None = None) -> Placement:
    """The child leaves on `on`: the last night in the home is the night before."""
    home = lock_home(placement.home_id, seen_version)
    _current(placement)
    if destination not in DISCHARGE_DESTINATIONS:
        raise DomainError("Choose where the child went", "destination")
    _not_future(on, today, "ends_on", "move-out")
    if on < placement.starts_on:
        raise DomainError(f"The move out ({long_date(on)}) cannot be before the admission "
                          f"({long_date(placement.starts_on)})", "ends_on")
    before = snapshot(placement)
    placement.ends_on, placement.end_reason = on, "discharge"
    placement.discharge_destination, placement.ending_planned = destination, planned
    _changed(home)
    return _save(placement, actor, "placement.discharge", before)


def transfer_child(placement: Placement, to_home_id: int, to_bed_id: int, on: date, *,
                   planned: bool, actor, today: date,
                   seen_version: int | None = None) -> Placement:
    """End one stay and begin the next on the same day, atomically, in this or another home."""
    from_home = lock_home(placement.home_id, seen_version)
    to_home = from_home if to_home_id == from_home.id else lock_home(to_home_id)
    _current(placement)
    _not_future(on, today, "ends_on", "transfer")
    if on < placement.starts_on:
        raise DomainError(f"The transfer ({long_date(on)}) cannot be before the admission "
                          f"({long_date(placement.starts_on)})", "ends_on")
    to_bed = _bed(to_home, to_bed_id)
    if to_bed.id == placement.bed_id:
        raise DomainError("Choose a different bed", "bed_id")
    before = snapshot(placement)
    placement.ends_on, placement.end_reason, placement.ending_planned = on, "transfer", planned
    nxt = _new(to_home, to_bed, placement.child, status="confirmed", admission_type="transfer",
               held_from=on, starts_on=on, actor=actor, previous=placement)
    check_stay(nxt, admission=to_home.id != from_home.id, together=(placement,))
    _changed(from_home)
    if to_home is not from_home:
        _changed(to_home)
    _save(placement, actor, "placement.transfer_out", before)
    return _save(nxt, actor, "placement.transfer_in")


def correct_dates(placement: Placement, *, starts_on: date, ends_on: date | None, reason: str,
                  actor, today: date, seen_version: int | None = None) -> Placement:
    """Correct a past move's dates with a reason; a transfer's two stays move together."""
    if not reason.strip():
        raise DomainError("Give the reason for the correction", "reason")
    if placement.status != "confirmed":
        raise DomainError("Only a stay that happened can be corrected")
    home = lock_home(placement.home_id, seen_version)
    if starts_on > today or (ends_on and ends_on > today):
        raise DomainError("A corrected date cannot be in the future", "starts_on")
    if (ends_on is None) != (placement.ends_on is None):
        raise DomainError("A correction changes dates; record a discharge or transfer instead",
                          "ends_on")
    linked = _linked_stays(placement)
    changes = _apply(placement, starts_on, ends_on, linked)
    if not changes:
        raise DomainError("Nothing was changed", "starts_on")
    stays = (placement, *linked.values())
    for stay in stays:
        check_stay(stay, admission=False, together=stays)
    _write_in_safe_order(changes)
    for stay, field, old, new in changes:
        if field == "held_from":
            continue
        db.session.add(PlacementCorrection(
            placement_id=stay.id, field=field, old_value=old and old.isoformat(),
            new_value=new and new.isoformat(), reason=reason.strip(),
            corrected_by_id=getattr(actor, "id", None), corrected_at=clock.utcnow()))
        record(actor, "placement.correct", stay, before={field: old and old.isoformat(),
               "reason": reason.strip()}, after={field: new and new.isoformat()},
               home_id=stay.home_id, children=[stay.child_id])
    _changed(home)
    return placement


def _linked_stays(p: Placement) -> dict[str, Placement]:
    """The stays that share a transfer date with `p`: before (if it came by transfer), after."""
    linked = {}
    if p.admission_type == "transfer" and p.previous is not None:
        linked["before"] = p.previous
    if p.end_reason == "transfer":
        nxt = db.session.scalars(select(Placement).where(
            Placement.previous_placement_id == p.id)).first()
        if nxt is not None:
            linked["after"] = nxt
    return linked


def _apply(p: Placement, starts_on: date, ends_on: date | None, linked: dict) -> list:
    """Set the new dates on `p` and its linked stays; the changes as (stay, field, old, new)."""
    changes: list = []

    def change(stay: Placement, field: str, new) -> None:
        old = getattr(stay, field)
        if new != old:
            changes.append((stay, field, old, new))
            setattr(stay, field, new)

    def start(stay: Placement, new: date) -> None:
        # A bed held ahead of a planned arrival keeps its hold; otherwise the hold is the stay.
        held_ahead = stay.held_from < stay.starts_on
        change(stay, "starts_on", new)
        change(stay, "held_from", min(stay.held_from, new) if held_ahead else new)

    if starts_on != p.starts_on:
        start(p, starts_on)
        if "before" in linked:
            change(linked["before"], "ends_on", starts_on)
    if ends_on != p.ends_on:
        change(p, "ends_on", ends_on)
        if "after" in linked:
            start(linked["after"], ends_on)
    return changes


def _write_in_safe_order(changes: list) -> None:
    """The database checks each row as it is written, so stays that give up nights are written
    before the stays that take them."""
    growing = [c for c in changes if _grows(*c[1:])]
    for stay, field, old, _new in growing:
        setattr(stay, field, old)
    try:
        with db.session.begin_nested():
            db.session.flush()
            for stay, field, _old, new in growing:
                setattr(stay, field, new)
            db.session.flush()
    except IntegrityError:
        raise DomainError(TAKEN, "starts_on") from None


def _grows(field: str, old: date | None, new: date | None) -> bool:
    if field == "ends_on":
        return new is None or (old is not None and new > old)
    return new < old  # an earlier start (or hold) takes nights
