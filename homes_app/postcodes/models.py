"""PostcodeOverride: a centroid the council sets by hand for a postcode the dataset lacks or
places wrongly (new builds, recent changes)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime


class PostcodeOverride(db.Model):
    __tablename__ = "postcode_overrides"
    __table_args__ = (
        CheckConstraint("latitude BETWEEN 49 AND 61", name="latitude_in_uk"),
        CheckConstraint("longitude BETWEEN -9 AND 2", name="longitude_in_uk"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(String(8), unique=True)  # normalised, "AB1 2CD"
    latitude: Mapped[float] = mapped_column(Float)  # WGS84 degrees
    longitude: Mapped[float] = mapped_column(Float)
    la_code: Mapped[str] = mapped_column(String(9))
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
