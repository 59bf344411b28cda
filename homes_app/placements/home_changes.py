"""Changes to a home that must be checked against the children living there: an edit of its
details and conditions of registration (the maximum cannot fall below the children placed on
any night to come; it cannot close while a child is placed or expected), and Ofsted's
registration of a new home. The home's own rules are in homes.services."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from ..common.dates import long_date
from ..common.sql import overlaps
from ..errors import DomainError
from ..extensions import db
from ..homes.models import HOME_STATUSES, Home
from ..homes.services import (
    HomeDetails,
    apply_change,
    checked_change,
    details_of,
    lock_home,
    require_administrator,
)
from .models import Placement


def update_home(home_id: int, details: HomeDetails, *, actor, today: date,
                seen_version: int | None) -> Home:
    """An administrator's edit of a home, refused when it breaks the home's own rules or no
    longer fits the children placed there; StaleForm when the home changed meanwhile."""
    require_administrator(actor)
    return _update(lock_home(home_id, seen_version), details, actor, today)


def _update(home: Home, details: HomeDetails, actor, today: date) -> Home:
    values = checked_change(home, details, today)
    if values["max_children"] < home.max_children:
        _fits_maximum(home, values["max_children"], today)
    if values["status"] == "closed":
        _empty_from(home, values["closed_on"])
    return apply_change(home, values, actor)


def record_registration(home_id: int, *, ofsted_urn: str, registered_on: date,
                        conditions: dict, actor, today: date) -> Home:
    """Ofsted registered the home: record its URN (either format), the date and the
    conditions of registration, and make it "registered" (a planned home passes through
    "registering"), under the same rules and audit as an administrator's edit. The caller
    decides who may (the registration decision step of the home's plan)."""
    home = lock_home(home_id)
    if home.status == "planned":
        home = _update(home, replace(details_of(home), status="registering"), actor, today)
    if home.status != "registering":
        raise DomainError(f"{home.name} is {HOME_STATUSES[home.status].lower()}, not "
                          "registering with Ofsted")
    return _update(home, replace(details_of(home), status="registered",
                                 ofsted_urn=ofsted_urn, registered_on=registered_on,
                                 **conditions), actor, today)


def _live_stays(home_id: int, start: date):
    """Stays and planned admissions in the home on any night from `start` on."""
    return db.session.scalars(select(Placement).where(
        Placement.home_id == home_id, Placement.status != "cancelled",
        overlaps(Placement.held_from, Placement.ends_on, start, None),
    ).order_by(Placement.held_from)).all()


def _fits_maximum(home: Home, maximum: int, today: date) -> None:
    night, count = _peak(_live_stays(home.id, today), today, maximum)
    if night is not None:
        raise DomainError(f"{count} children are placed in {home.name} on the night of "
                          f"{long_date(night)}; the maximum cannot be lower than that",
                          "max_children")


def _peak(stays, start: date, above: int) -> tuple[date | None, int]:
    """The first night from `start` with more than `above` children, and how many."""
    events: dict[date, int] = {}
    for s in stays:
        first = max(s.starts_on, start)
        events[first] = events.get(first, 0) + 1
        if s.ends_on is not None:
            events[s.ends_on] = events.get(s.ends_on, 0) - 1
    count = 0
    for night in sorted(events):
        count += events[night]
        if count > above:
            return night, count
    return None, 0


def _empty_from(home: Home, closed_on: date) -> None:
    stays = _live_stays(home.id, closed_on)
    if stays:
        raise DomainError(f"A child is placed or expected in {home.name} on the night of "
                          f"{long_date(max(stays[0].held_from, closed_on))}; record their move first",
                          "closed_on")
