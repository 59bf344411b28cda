"""Administering homes: their details, conditions of registration and council settings.

Like the move services: each takes the acting user and `today`, checks who may act and the
rules, changes rows, writes the audit entry and flushes. It never commits: the caller does.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit.services import changes, record, snapshot
from ..auth.models import Role, User
from ..common.dates import long_date
from ..errors import DomainError, NotAllowed, StaleForm
from ..extensions import db
from . import council_settings
from .models import (
    HOME_STATUSES,
    HOME_TYPES,
    NEED_CATEGORIES,
    SEXES_ADMITTED,
    CouncilSetting,
    Home,
)

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
URN = re.compile(r"^(SC[0-9]{6}|[0-9]{7})$")
# Where a home may go next; staying put is always allowed.
NEXT_STATUSES = {
    "planned": {"registering", "closed"},
    "registering": {"planned", "registered", "closed"},
    "registered": {"temporarily_closed", "closed"},
    "temporarily_closed": {"registered", "closed"},
    "closed": set(),
}
REGISTERED = {"registered", "temporarily_closed"}
DEFAULT_TARGET_KEY = "default_target_occupancy_pct"


@dataclass
class HomeDetails:
    """Everything an administrator sets about a home, as the form gives it."""

    name: str
    address: str = ""
    postcode: str = ""
    district: str = ""
    home_type: str = "mainstream"
    status: str = "planned"
    ofsted_urn: str = ""
    registered_on: date | None = None
    closed_on: date | None = None
    registered_manager_id: int | None = None
    target_occupancy_pct: int | None = None
    weekly_unit_cost_pence: int | None = None
    max_children: int = 1
    min_age: int = 8
    max_age: int = 17
    sex_admitted: str = "any"
    categories_of_need: tuple[str, ...] = ("ebd",)


# ---- homes -------------------------------------------------------------------------------

def lock_home(home_id: int, seen_version: int | None = None) -> Home:
    """The home, row-locked until commit, so that changes to one home (its details, beds,
    children's moves, rota) happen one at a time; StaleForm when it changed since `seen_version`."""
    home = db.session.scalars(select(Home).where(Home.id == home_id).with_for_update()).one()
    db.session.refresh(home)
    if seen_version is not None and home.version != seen_version:
        raise StaleForm("Since you opened this form, someone else changed this home. Check "
                        "the details below and submit again.")
    return home



def require_administrator(actor) -> None:
    """Only administrators create and edit homes and the council's settings."""
    if getattr(actor, "role", None) != Role.ADMINISTRATOR:
        raise NotAllowed()


def create_home(details: HomeDetails, *, actor, today: date) -> Home:
    require_administrator(actor)
    if details.status == "closed":
        raise DomainError("A new home cannot be closed", "status")
    home = Home(version=1)
    _apply(home, _checked(details, today, None))
    db.session.add(home)
    _flush_unique(home)
    _assign_manager(home, actor)
    record(actor, "home.create", home, after=snapshot(home), home_id=home.id)
    return home


def checked_change(home: Home, details: HomeDetails, today: date) -> dict:
    """The column values an edit of `home` would set, or the first rule of the home's own that
    it breaks (placements.home_changes adds the rules about the children living there)."""
    if details.status not in NEXT_STATUSES[home.status] | {home.status}:
        raise DomainError(f"A home that is {HOME_STATUSES[home.status].lower()} cannot become "
                          f"{HOME_STATUSES.get(details.status, details.status).lower()}",
                          "status")
    return _checked(details, today, home)


def apply_change(home: Home, values: dict, actor) -> Home:
    """Set checked values on a locked home; if anything changed, bump its version and audit."""
    before = snapshot(home)
    _apply(home, values)
    old, new = changes(before, snapshot(home))
    if new:
        home.version += 1
        _flush_unique(home)
        _assign_manager(home, actor)
        record(actor, "home.update", home, before=old, after=new, home_id=home.id)
    return home


def details_of(home: Home) -> HomeDetails:
    """A home's current values, as an edit of the home would start from."""
    return HomeDetails(**{f.name: getattr(home, f.name) for f in fields(HomeDetails)
                          if f.name not in ("ofsted_urn", "categories_of_need")},
                       ofsted_urn=home.ofsted_urn or "",
                       categories_of_need=tuple(sorted(home.needs)))


def _apply(home: Home, values: dict) -> None:
    for key, value in values.items():
        setattr(home, key, value)


def _checked(v: HomeDetails, today: date, home: Home | None) -> dict:
    """The column values for `v`, or the first rule it breaks."""
    values = asdict(v)
    values["name"] = v.name.strip()
    if not values["name"]:
        raise DomainError("Enter the name of the home", "name")
    for field, limit, what in (("name", 120, "Name"), ("district", 80, "Council district")):
        if len(getattr(v, field).strip()) > limit:
            raise DomainError(f"{what} must be {limit} characters or fewer", field)
    _unique_name(values["name"], home)
    if v.home_type not in HOME_TYPES:
        raise DomainError("Select the type of home", "home_type")
    if v.status not in HOME_STATUSES:
        raise DomainError("Select the home's status", "status")
    values["address"] = v.address.strip()
    values["postcode"] = normalise_postcode(v.postcode)
    if v.status != "planned" and not (values["address"] and values["postcode"]):
        field = "address" if not values["address"] else "postcode"
        raise DomainError(f"Enter the {field}: only a planned home may be without one", field)
    values["district"] = v.district.strip()
    _lifecycle_dates(v, today)
    values["ofsted_urn"] = _urn(v.ofsted_urn, v.status, home)
    _conditions(v)
    values["categories_of_need"] = ",".join(c for c in NEED_CATEGORIES if c in v.categories_of_need)
    _money(v)
    _manager(v.registered_manager_id)
    return values


def normalise_postcode(raw: str) -> str:
    """'de1  2ab' -> 'DE1 2AB'; blank stays blank; anything else not shaped like one is refused."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        return ""
    if not POSTCODE.match(compact):
        raise DomainError("Enter a real postcode, like DE1 2AB", "postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_urn(raw: str) -> str | None:
    urn = re.sub(r"\s+", "", raw or "").upper()
    if not urn:
        return None
    if not URN.match(urn):
        raise DomainError("Ofsted URN must be SC followed by 6 numbers, like SC123456, "
                          "or 7 numbers, like 2712345", "ofsted_urn")
    return urn


def _urn(raw: str, status: str, home: Home | None) -> str | None:
    urn = normalise_urn(raw)
    if urn is None and status in REGISTERED:
        raise DomainError("Enter the Ofsted URN: a registered home has one", "ofsted_urn")
    if urn is not None:
        other = db.session.scalar(select(Home).where(
            Home.ofsted_urn == urn, Home.id != (home.id if home else -1)))
        if other is not None:
            raise DomainError(f"Ofsted URN {urn} already belongs to {other.name}", "ofsted_urn")
    return urn


def _unique_name(name: str, home: Home | None) -> None:
    taken = db.session.scalar(select(Home.id).where(
        func.lower(Home.name) == name.lower(), Home.id != (home.id if home else -1)))
    if taken:
        raise DomainError(f"There is already a home called {name}", "name")


def _lifecycle_dates(v: HomeDetails, today: date) -> None:
    if v.status in REGISTERED and v.registered_on is None:
        raise DomainError("Enter the date the home was registered with Ofsted", "registered_on")
    if v.status in ("planned", "registering") and v.registered_on is not None:
        raise DomainError("Leave the registration date blank until Ofsted registers the home",
                          "registered_on")
    if v.status == "closed" and v.closed_on is None:
        raise DomainError("Enter the date the home closed", "closed_on")
    if v.status != "closed" and v.closed_on is not None:
        raise DomainError("Leave the date closed blank unless the home has closed", "closed_on")
    for field, day in (("registered_on", v.registered_on), ("closed_on", v.closed_on)):
        if day is not None and day > today:
            raise DomainError(f"The date cannot be in the future ({long_date(day)})", field)
    if v.closed_on and v.registered_on and v.closed_on < v.registered_on:
        raise DomainError(f"The date closed must be on or after the date registered "
                          f"({long_date(v.registered_on)})", "closed_on")


def _conditions(v: HomeDetails) -> None:
    if not 1 <= v.max_children <= 12:
        raise DomainError("Maximum number of children must be between 1 and 12", "max_children")
    for field, age in (("min_age", v.min_age), ("max_age", v.max_age)):
        if not 0 <= age <= 18:
            raise DomainError("Age must be between 0 and 18", field)
    if v.min_age > v.max_age:
        raise DomainError("Youngest age must be the same as or lower than the oldest age",
                          "min_age")
    if v.sex_admitted not in SEXES_ADMITTED:
        raise DomainError("Select which children the home may look after", "sex_admitted")
    if not v.categories_of_need:
        raise DomainError("Select at least one category of need", "categories_of_need")
    unknown = set(v.categories_of_need) - set(NEED_CATEGORIES)
    if unknown:
        raise DomainError("Select categories of need from the list", "categories_of_need")


def _money(v: HomeDetails) -> None:
    if v.target_occupancy_pct is not None and not 1 <= v.target_occupancy_pct <= 100:
        raise DomainError("Target occupancy must be between 1% and 100%", "target_occupancy_pct")
    if v.weekly_unit_cost_pence is not None and v.weekly_unit_cost_pence < 0:
        raise DomainError("Weekly unit cost must be £0 or more", "weekly_unit_cost")


def _manager(user_id: int | None) -> None:
    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.REGISTERED_MANAGER or not user.active:
        raise DomainError("Choose a registered manager from the list", "registered_manager_id")


def _assign_manager(home: Home, actor) -> None:
    """The registered manager may record moves in the home they manage."""
    if home.registered_manager_id is None:
        return
    user = db.session.get(User, home.registered_manager_id)
    if all(h.id != home.id for h in user.homes):
        user.homes.append(home)
        record(actor, "user.add_home", user, after={"home_id": home.id}, home_id=home.id)


def _flush_unique(home: Home) -> None:
    """Two administrators saving the same name or URN at once: one gets a clear refusal."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError("Another home was saved with this name or Ofsted URN at the same "
                          "moment. Check the list of homes and try again.", "name") from None


# ---- council settings --------------------------------------------------------------------

def set_default_target(pct: int, *, actor, today: date) -> CouncilSetting:
    require_administrator(actor)
    if not 1 <= pct <= 100:
        raise DomainError("Default target occupancy must be between 1% and 100%",
                          "default_target_occupancy_pct")
    before = council_settings.put(DEFAULT_TARGET_KEY, str(pct))
    record(actor, "settings.update", council_settings.SettingsSubject(),
           before={DEFAULT_TARGET_KEY: before}, after={DEFAULT_TARGET_KEY: str(pct)})
    return db.session.get(CouncilSetting, DEFAULT_TARGET_KEY)
