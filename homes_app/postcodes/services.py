"""Postcode look-ups for reports and exports: normalise, centroids (overrides first, then the
ONS dataset), distance, and the council's local-authority code.

The interface agreed with the reports engineer: normalise, centroids, miles_between,
council_la_code. Overrides are managed through overrides.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from ..extensions import db
from ..homes import council_settings
from . import geo
from .dataset import DATASET
from .models import PostcodeOverride

SHAPE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
LA_CODE_KEY = "postcodes.la_code"


@dataclass(frozen=True)
class Centroid:
    latitude: float  # WGS84 degrees
    longitude: float
    la_code: str  # ONS local-authority district code, e.g. E06000015; "" if the dataset has none
    source: Literal["dataset", "override"]


def normalise(postcode: str) -> str:
    """'ab1 2cd' -> 'AB1 2CD'; '' if the text is not the shape of a full UK postcode."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    if not SHAPE.match(compact):
        return ""
    return f"{compact[:-3]} {compact[-3:]}"


def centroids(postcodes: Iterable[str]) -> dict[str, Centroid]:
    """Centroids of the known postcodes among `postcodes`, in one query whatever their number.

    Keyed by each postcode as given and by its normalised form (both, where they differ), so
    callers may look up either. An override wins over the dataset; unknown and malformed
    postcodes are absent.
    """
    given = {p: normalise(p) for p in postcodes if p}
    wanted = {n for n in given.values() if n}
    if not wanted:
        return {}
    found = {row.postcode: Centroid(row.latitude, row.longitude, row.la_code, "override")
             for row in db.session.scalars(select(PostcodeOverride).where(
                 PostcodeOverride.postcode.in_(sorted(wanted))))}
    for postcode in wanted - found.keys():
        centroid = dataset_centroid(postcode)
        if centroid:
            found[postcode] = centroid
    out = dict(found)
    out.update({raw: found[n] for raw, n in given.items() if n in found})
    return out


def dataset_centroid(normalised: str) -> Centroid | None:
    """The ONS centroid of a normalised postcode, ignoring overrides."""
    hit = DATASET.find(normalised)
    if hit is None:
        return None
    easting, northing, la_code = hit
    latitude, longitude = geo.grid_to_wgs84(easting, northing)
    return Centroid(round(latitude, 6), round(longitude, 6), la_code, "dataset")


def miles_between(a: Centroid, b: Centroid) -> float:
    """Great-circle distance in miles between two centroids."""
    return geo.great_circle_miles(a.latitude, a.longitude, b.latitude, b.longitude)


def council_la_code() -> str:
    """The council's local-authority code (a council setting); '' until an administrator sets
    it."""
    return council_settings.value(LA_CODE_KEY) or ""


def known_la_codes() -> frozenset[str]:
    """Every local-authority district code in the dataset (loads all of it: seconds, once)."""
    return DATASET.la_codes()
