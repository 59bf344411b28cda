"""The rules every stay must keep; each refusal names the rule and the date it fails on.

Nights are half-open intervals: a stay occupies each night from `starts_on` up to, not
including, `ends_on` (None: still open). A bed is reserved from `held_from`.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, true

from ..common.dates import long_date
from ..common.sql import overlaps
from ..errors import DomainError
from ..extensions import db
from ..homes.models import NEED_CATEGORIES, SEXES_ADMITTED, Bed, BedHold, BedOutOfUse, Home
from .models import Placement

# A clash with a stay in another home: its dates (and home) are not said, since a manager
# sees only their own homes' stays.
ELSEWHERE = ("This child already has a stay in another home at that time: ask the placements "
             "team (a service director), who see all of the child's stays")


def check_stay(p: Placement, *, admission: bool, together: tuple[Placement, ...] = ()) -> None:
    """Refuse a stay that breaks a rule. `admission`: also check the home is open and the
    child meets the conditions of registration on the admission date.

    Nothing is flushed: `p` may be new or changed. `together` are stays changed with it (the two
    sides of a transfer), checked on their own and left out of each other's checks."""
    with db.session.no_autoflush:
        _check(p, admission, {s.id for s in (p, *together) if s.id})


def _check(p: Placement, admission: bool, exclude: set[int]) -> None:
    home, bed = p.home or db.session.get(Home, p.home_id), p.bed or db.session.get(Bed, p.bed_id)
    _dates_in_order(p)
    if bed.home_id != home.id:
        raise DomainError("That bed is not in this home", "bed_id")
    if admission:
        _home_takes_children(home, p.starts_on)
        _conditions_of_registration(home, p)
    _bed_in_service(bed, p)
    _bed_not_out_of_use(bed, p)
    _bed_not_held(bed, p)
    _bed_free(bed, p, exclude)
    _child_not_elsewhere(p, exclude)
    _within_maximum(home, p, exclude)


def _dates_in_order(p: Placement) -> None:
    if p.held_from > p.starts_on:
        raise DomainError("The bed cannot be held from a date after the admission", "held_from")
    if p.ends_on is not None and p.status == "confirmed" and p.ends_on < p.starts_on:
        raise DomainError(f"The move out ({long_date(p.ends_on)}) cannot be before the admission "
                          f"({long_date(p.starts_on)})", "ends_on")


def _home_takes_children(home: Home, day: date) -> None:
    if not home.accepts_admissions:
        raise DomainError(f"{home.name} is not registered with Ofsted and open, so it cannot "
                          "take children", "bed_id")
    if home.registered_on and day < home.registered_on:
        raise DomainError(f"{home.name} was registered on {long_date(home.registered_on)}; a child "
                          f"cannot be admitted on {long_date(day)}", "starts_on")


def _conditions_of_registration(home: Home, p: Placement) -> None:
    child = p.child
    age = child.age_on(p.starts_on)
    if not home.min_age <= age <= home.max_age:
        raise DomainError(f"Conditions of registration: {home.name} takes children aged "
                          f"{home.min_age} to {home.max_age}; this child is {age} on "
                          f"{long_date(p.starts_on)}", "child_id")
    if home.sex_admitted != "any" and child.sex != home.sex_admitted:
        raise DomainError(f"Conditions of registration: {home.name} is registered for "
                          f"{SEXES_ADMITTED[home.sex_admitted].lower()} children", "child_id")
    outside = child.need_set - home.needs
    if outside:
        names = ", ".join(NEED_CATEGORIES.get(n, n).lower() for n in sorted(outside))
        raise DomainError(f"Conditions of registration: {home.name} is not registered for "
                          f"{names}", "child_id")


def _bed_in_service(bed: Bed, p: Placement) -> None:
    if p.held_from < bed.in_service_from:
        raise DomainError(f"{bed.label} is not in service until "
                          f"{long_date(bed.in_service_from)}", "starts_on")
    if bed.in_service_until and (p.ends_on is None or p.ends_on > bed.in_service_until):
        raise DomainError(f"{bed.label} leaves service on {long_date(bed.in_service_until)}",
                          "bed_id")


def _bed_not_out_of_use(bed: Bed, p: Placement) -> None:
    clash = db.session.scalars(select(BedOutOfUse).where(
        BedOutOfUse.bed_id == bed.id,
        overlaps(BedOutOfUse.starts_on, BedOutOfUse.ends_on, p.held_from, p.ends_on),
    ).order_by(BedOutOfUse.starts_on).limit(1)).first()
    if clash:
        raise DomainError(f"{bed.label} is out of use from {long_date(clash.starts_on)}"
                          f"{_until(clash.ends_on)}", "bed_id")


def _bed_not_held(bed: Bed, p: Placement) -> None:
    clash = db.session.scalars(select(BedHold).where(
        BedHold.bed_id == bed.id,
        overlaps(BedHold.starts_on, BedHold.ends_on, p.held_from, p.ends_on),
    ).order_by(BedHold.starts_on).limit(1)).first()
    if clash:
        raise DomainError(f"{bed.label} is held for matching from {long_date(clash.starts_on)}"
                          f"{_until(clash.ends_on)}; release the hold first", "bed_id")


def _not(exclude: set[int]):
    return Placement.id.not_in(exclude) if exclude else true()


def _others(*criteria):
    return db.session.scalars(select(Placement).where(
        Placement.status != "cancelled", *criteria).order_by(Placement.held_from))


def _bed_free(bed: Bed, p: Placement, exclude: set[int]) -> None:
    clash = _others(Placement.bed_id == bed.id, _not(exclude),
                    overlaps(Placement.held_from, Placement.ends_on, p.held_from, p.ends_on)
                    ).first()
    if clash:
        first = max(clash.held_from, p.held_from)
        what = "held for a planned admission" if clash.status == "planned" else "occupied"
        raise DomainError(f"{bed.label} is {what} on the night of {long_date(first)}", "bed_id")


def _child_not_elsewhere(p: Placement, exclude: set[int]) -> None:
    clash = _others(Placement.child_id == p.child_id,
                    _not(exclude),
                    overlaps(Placement.starts_on, Placement.ends_on, p.starts_on, p.ends_on)
                    ).first()
    if clash and clash.home_id != p.home_id:  # a stay the home's manager may not see
        raise DomainError(ELSEWHERE, "child_id")
    if clash:
        first = max(clash.starts_on, p.starts_on)
        raise DomainError(f"This child already has a stay on the night of {long_date(first)}",
                          "child_id")


def _within_maximum(home: Home, p: Placement, exclude: set[int]) -> None:
    """The home's registered maximum holds on every night of the stay."""
    others = list(_others(Placement.home_id == home.id,
                          _not(exclude),
                          overlaps(Placement.starts_on, Placement.ends_on, p.starts_on, p.ends_on)))
    night = _busiest_night(others, p.starts_on, p.ends_on, home.max_children)
    if night is not None:
        raise DomainError(f"Conditions of registration: {home.name} may look after at most "
                          f"{_children(home.max_children)}; this would make "
                          f"{home.max_children + 1} on the night of {long_date(night)}", "starts_on")


def _busiest_night(stays, start: date, end: date | None, limit: int) -> date | None:
    """The first night in [start, end) on which `stays` already number `limit` or more."""
    events: dict[date, int] = {}
    for s in stays:
        events[max(s.starts_on, start)] = events.get(max(s.starts_on, start), 0) + 1
        if s.ends_on is not None:
            events[s.ends_on] = events.get(s.ends_on, 0) - 1
    count = 0
    for day in sorted(events):
        count += events[day]
        if count >= limit and (end is None or day < end):
            return day
    return None


def _children(n: int) -> str:
    return f"{n} child" if n == 1 else f"{n} children"


def _until(end: date | None) -> str:
    return f" until {long_date(end)}" if end else ""
