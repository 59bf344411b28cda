"""Shared records for postcode tests (and the generated access and scope tests)."""
from __future__ import annotations

from sqlalchemy import select

from homes_app import clock
from homes_app.extensions import db
from homes_app.postcodes.models import PostcodeOverride


def scope_override() -> PostcodeOverride:
    """One override (council-wide, so the same for every home's records)."""
    found = db.session.scalar(select(PostcodeOverride).where(
        PostcodeOverride.postcode == "ZZ9 9ZZ"))
    if found is None:
        found = PostcodeOverride(postcode="ZZ9 9ZZ", latitude=52.9, longitude=-1.47,
                                 la_code="E06000015", note="", updated_at=clock.utcnow())
        db.session.add(found)
        db.session.flush()
    return found
