"""Home (with its conditions of registration), Bed, bed holds and out-of-use periods, settings."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.sql import one_of
from ..extensions import db

HOME_TYPES = {
    "mainstream": "Mainstream",
    "solo": "Solo or specialist",
    "therapeutic": "Therapeutic",
    "edge_of_care": "Edge of care",
    "short_breaks": "Short breaks",
}
HOME_STATUSES = {
    "planned": "Planned",
    "registering": "Registering with Ofsted",
    "registered": "Registered and open",
    "temporarily_closed": "Temporarily closed",
    "closed": "Closed",
}
SEXES_ADMITTED = {"any": "Any", "female": "Female only", "male": "Male only"}
# Ofsted's categories of need for children's homes.
NEED_CATEGORIES = {
    "ebd": "Emotional and behavioural difficulties",
    "learning": "Learning disabilities",
    "physical": "Physical disabilities",
    "sensory": "Sensory impairment",
    "mental_health": "Mental disorders",
    "substance": "Drug or alcohol misuse",
}
HOLD_REASONS = {"matching": "Held for matching or a solo placement"}
OUT_OF_USE_REASONS = {
    "repairs": "Repairs",
    "damage": "Damage",
    "staffing": "Staffing shortage",
    "other": "Other",
}


class Home(db.Model):
    __tablename__ = "homes"
    __table_args__ = (
        CheckConstraint(one_of("home_type", HOME_TYPES), name="home_type_known"),
        CheckConstraint(one_of("status", HOME_STATUSES), name="status_known"),
        CheckConstraint(one_of("sex_admitted", SEXES_ADMITTED), name="sex_admitted_known"),
        CheckConstraint("max_children BETWEEN 1 AND 12", name="max_children_range"),
        CheckConstraint("min_age >= 0 AND max_age <= 18 AND min_age <= max_age", name="age_range"),
        CheckConstraint("target_occupancy_pct IS NULL OR target_occupancy_pct BETWEEN 1 AND 100",
                        name="target_range"),
        CheckConstraint("weekly_unit_cost_pence IS NULL OR weekly_unit_cost_pence >= 0",
                        name="cost_not_negative"),
        CheckConstraint("closed_on IS NULL OR registered_on IS NULL OR closed_on >= registered_on",
                        name="closed_after_registered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    district: Mapped[str] = mapped_column(String(80), default="")
    home_type: Mapped[str] = mapped_column(String(20), default="mainstream")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    ofsted_urn: Mapped[str | None] = mapped_column(String(10), unique=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    registered_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    target_occupancy_pct: Mapped[int | None] = mapped_column(Integer)
    weekly_unit_cost_pence: Mapped[int | None] = mapped_column(Integer)
    # Conditions of registration.
    max_children: Mapped[int] = mapped_column(Integer, default=1)
    min_age: Mapped[int] = mapped_column(Integer, default=8)
    max_age: Mapped[int] = mapped_column(Integer, default=17)
    sex_admitted: Mapped[str] = mapped_column(String(10), default="any")
    categories_of_need: Mapped[str] = mapped_column(String(200), default="ebd")
    # Bumped by the services on every change to the home or a move in it, under the home's row
    # lock: a form opened at an older version is stale.
    version: Mapped[int] = mapped_column(Integer, default=1)

    beds = relationship("Bed", back_populates="home", order_by="Bed.label", lazy="selectin")
    registered_manager = relationship("User", foreign_keys=[registered_manager_id])

    @property
    def needs(self) -> set[str]:
        return {c for c in self.categories_of_need.split(",") if c}

    @property
    def accepts_admissions(self) -> bool:
        return self.status == "registered"


def in_service_on(in_service_from: date, in_service_until: date | None, night: date) -> bool:
    """Whether a bed in service from `in_service_from` until `in_service_until` (its last night
    being the night before) could take a child on `night`."""
    return in_service_from <= night and (in_service_until is None or night < in_service_until)


class Bed(db.Model):
    __tablename__ = "beds"
    __table_args__ = (
        UniqueConstraint("home_id", "label"),
        CheckConstraint("in_service_until IS NULL OR in_service_until > in_service_from",
                        name="service_dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    in_service_from: Mapped[date] = mapped_column(Date)
    in_service_until: Mapped[date | None] = mapped_column(Date)

    home = relationship("Home", back_populates="beds")

    def in_service_on(self, night: date) -> bool:
        """Whether a child could sleep in this bed on `night` (its last night in service is
        the night before `in_service_until`)."""
        return in_service_on(self.in_service_from, self.in_service_until, night)


class BedHold(db.Model):
    """A bed kept empty on purpose: for matching, or because the current child must live alone."""

    __tablename__ = "bed_holds"
    __table_args__ = (
        CheckConstraint(one_of("reason", HOLD_REASONS), name="reason_known"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bed_id: Mapped[int] = mapped_column(ForeignKey("beds.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20), default="matching")
    note: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    bed = relationship("Bed")


class BedOutOfUse(db.Model):
    __tablename__ = "bed_out_of_use"
    __table_args__ = (
        CheckConstraint(one_of("reason", OUT_OF_USE_REASONS), name="reason_known"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bed_id: Mapped[int] = mapped_column(ForeignKey("beds.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    bed = relationship("Bed")


class CouncilSetting(db.Model):
    """Council-wide settings, e.g. the default occupancy target."""

    __tablename__ = "council_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
