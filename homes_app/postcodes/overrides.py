"""The council's postcode overrides and its local-authority code: the verbs the pages use, and
what is still unknown. Services flush and audit; the view commits."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import clock
from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from ..homes import council_settings
from ..homes.models import Home
from ..placements.models import Child, Placement
from .dataset import LA_CODE
from .models import PostcodeOverride
from .services import LA_CODE_KEY, centroids, known_la_codes, normalise

UK_LATITUDE, UK_LONGITUDE = (49.0, 61.0), (-9.0, 2.0)


def snapshot(o: PostcodeOverride) -> dict:
    return {"postcode": o.postcode, "latitude": o.latitude, "longitude": o.longitude,
            "la_code": o.la_code, "note": o.note}


def save_override(postcode: str, latitude: float | None, longitude: float | None,
                  la_code: str, note: str, *, actor,
                  override: PostcodeOverride | None = None) -> PostcodeOverride:
    """Add an override (or change `override`). Refuses a malformed postcode, one that already
    has an override, a position outside the UK, or an LA code the dataset does not use."""
    normalised = normalise(postcode)
    if not normalised:
        raise DomainError("Enter a full UK postcode, like DE22 1AA", "postcode")
    clash = db.session.scalar(select(PostcodeOverride.id).where(
        PostcodeOverride.postcode == normalised))
    if clash is not None and (override is None or clash != override.id):
        raise DomainError(f"{normalised} already has an override: change that one instead",
                          "postcode")
    _in_range(latitude, UK_LATITUDE, "latitude", "Enter a latitude between 49 and 61")
    _in_range(longitude, UK_LONGITUDE, "longitude", "Enter a longitude between -9 and 2")
    la_code = check_la_code(la_code, "la_code")
    before = snapshot(override) if override else None
    o = override or PostcodeOverride()
    o.postcode, o.latitude, o.longitude = normalised, float(latitude), float(longitude)
    o.la_code, o.note = la_code, (note or "").strip()[:200]
    o.updated_at, o.updated_by_id = clock.utcnow(), getattr(actor, "id", None)
    db.session.add(o)
    db.session.flush()
    record(actor, "postcode_override.change" if before else "postcode_override.create", o,
           before=before, after=snapshot(o))
    return o


def remove_override(override: PostcodeOverride, *, actor) -> None:
    """Delete an override; the audit keeps what it said."""
    record(actor, "postcode_override.remove", override, before=snapshot(override))
    db.session.delete(override)
    db.session.flush()


def set_council_la_code(code: str, *, actor) -> str:
    """Set the council's local-authority code, refusing one the dataset does not use."""
    return store_council_la_code(check_la_code(code, "la_code"), actor=actor)


def store_council_la_code(code: str, *, actor) -> str:
    """Set a code already known to be in the dataset (demo data takes it from the dataset)."""
    before = council_settings.put(LA_CODE_KEY, code)
    record(actor, "settings.update", council_settings.SettingsSubject(),
           before={LA_CODE_KEY: before or None}, after={LA_CODE_KEY: code})
    return code


def check_la_code(code: str, field: str) -> str:
    code = (code or "").strip().upper()
    if not LA_CODE.match(code):
        raise DomainError("Enter a local-authority code: a letter and 8 digits, like E06000015",
                          field)
    if code not in known_la_codes():
        raise DomainError(f"{code} is not a local-authority district code in the ONS postcode "
                          "data. Use the district code (E06, E07, E08, E09, W06...), not a "
                          "county code (E10)", field)
    return code


def _in_range(value, bounds: tuple[float, float], field: str, message: str) -> None:
    if value is None or not bounds[0] <= float(value) <= bounds[1]:
        raise DomainError(message, field)


@dataclass
class Unknown:
    postcode: str
    homes: list[str]
    case_references: list[str]
    child_ids: list[int] = field(default_factory=list)  # whose references these are (audit)


def unknown_postcodes() -> tuple[list[Unknown], int]:
    """Postcodes of open homes and currently placed children that no override or dataset entry
    places, and how many placed children have no postcode at all. Three queries."""
    homes = db.session.execute(select(Home.name, Home.postcode).where(
        Home.status != "closed")).all()
    children = db.session.execute(
        select(Child.case_reference, Child.home_postcode, Child.id).join(
            Placement, Placement.child_id == Child.id).where(
            Placement.status == "confirmed", Placement.ends_on.is_(None)).distinct()).all()
    known = centroids([p for _, p in homes] + [p for _, p, _ in children])
    found: dict[str, Unknown] = {}
    for name, postcode in homes:
        if postcode and postcode not in known:
            found.setdefault(postcode, Unknown(postcode, [], [])).homes.append(name)
    for reference, postcode, child_id in children:
        if postcode and postcode not in known:
            unknown = found.setdefault(postcode, Unknown(postcode, [], []))
            unknown.case_references.append(reference)
            unknown.child_ids.append(child_id)
    without = sum(1 for _, p, _ in children if not p)
    return sorted(found.values(), key=lambda u: u.postcode), without
