"""Child and Placement (a stay in a bed), and corrections to past moves."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.sql import one_of
from ..extensions import db
from ..types import UTCDateTime

CHILD_SEXES = {"female": "Female", "male": "Male"}
# SSDA903 legal status codes.
LEGAL_STATUSES = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted",
    "E1": "Placement order granted",
    "J1": "Remanded to local authority accommodation or youth detention",
    "J2": "Placed under police protection in local authority accommodation",
    "J3": "Sentenced to youth rehabilitation order with residence requirement",
    "L1": "Under police protection and in local authority accommodation",
    "L2": "Emergency protection order",
    "L3": "Under child assessment order and in local authority accommodation",
    "V2": "Single period of accommodation under section 20",
    "V3": "Accommodated under an agreed series of short-term breaks",
    "V4": "Accommodated under an agreed series of short-term breaks, when agreements are recorded",
}
PLACEMENT_STATUSES = {"planned": "Planned", "confirmed": "Confirmed", "cancelled": "Cancelled"}
ADMISSION_TYPES = {"planned": "Planned", "emergency": "Emergency", "transfer": "Transfer"}
END_REASONS = {"discharge": "Discharge", "transfer": "Transfer", "cancelled": "Cancelled"}
DISCHARGE_DESTINATIONS = {
    "family": "Home to family",
    "foster_care": "Foster care",
    "council_home": "Another council home",
    "external_residential": "External residential",
    "supported_16_plus": "Supported accommodation (16+)",
    "leaving_care": "Leaving care at 18",
    "secure": "Secure",
    "hospital": "Hospital or Tier 4 CAMHS",
    "custody": "Custody",
    "other": "Other",
}


class Child(db.Model):
    __tablename__ = "children"
    __table_args__ = (
        CheckConstraint(one_of("sex", CHILD_SEXES), name="sex_known"),
        CheckConstraint(one_of("legal_status", LEGAL_STATUSES), name="legal_status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(40), unique=True)
    preferred_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    legal_status: Mapped[str] = mapped_column(String(2))
    home_postcode: Mapped[str] = mapped_column(String(10), default="")
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[str] = mapped_column(String(200), default="")

    placements = relationship("Placement", back_populates="child", order_by="Placement.starts_on")

    @property
    def need_set(self) -> set[str]:
        return {c for c in self.needs.split(",") if c}

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Placement(db.Model):
    """A child's stay in one bed of one home.

    The bed is reserved from `held_from` (a planned admission holds it before the child
    arrives) and occupied on each night from `starts_on` up to, not including, `ends_on`.
    """

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint(one_of("status", PLACEMENT_STATUSES), name="status_known"),
        CheckConstraint(one_of("admission_type", ADMISSION_TYPES), name="admission_type_known"),
        CheckConstraint(f"end_reason IS NULL OR {one_of('end_reason', END_REASONS)}",
                        name="end_reason_known"),
        CheckConstraint("held_from <= starts_on", name="held_before_start"),
        CheckConstraint("ends_on IS NULL OR ends_on >= held_from", name="ends_after_hold"),
        CheckConstraint("status <> 'confirmed' OR ends_on IS NULL OR ends_on >= starts_on",
                        name="ends_after_start"),
        CheckConstraint("(ends_on IS NULL) = (end_reason IS NULL)", name="end_has_reason"),
        Index("ix_placements_bed_dates", "bed_id", "held_from", "ends_on"),
        Index("ix_placements_home_dates", "home_id", "starts_on", "ends_on"),
        Index("ix_placements_child", "child_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    bed_id: Mapped[int] = mapped_column(ForeignKey("beds.id"))
    status: Mapped[str] = mapped_column(String(10))
    admission_type: Mapped[str] = mapped_column(String(10))
    held_from: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(10))
    discharge_destination: Mapped[str | None] = mapped_column(String(30))
    ending_planned: Mapped[bool | None] = mapped_column(Boolean)
    previous_placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    child = relationship("Child", back_populates="placements")
    home = relationship("Home")
    bed = relationship("Bed")
    previous = relationship("Placement", remote_side=[id])

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class PlacementCorrection(db.Model):
    """A correction to a past move: the old and new value and why; the placement keeps the new."""

    __tablename__ = "placement_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime())

    corrected_by = relationship("User")
