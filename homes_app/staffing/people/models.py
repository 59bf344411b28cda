"""Staff members and their compliance records: training, inductions at a home, absences."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...common.sql import one_of
from ...extensions import db
from ...types import UTCDateTime

STAFF_ROLES = {
    "registered_manager": "Registered manager",
    "deputy": "Deputy manager",
    "team_leader": "Team leader",
    "rsw": "Residential support worker",
    "waking_night": "Waking night worker",
    "relief": "Relief worker",
}


ABSENCE_KINDS = {"sick": "Sickness", "leave": "Annual leave", "other": "Other absence"}


class StaffMember(db.Model):
    """A member of staff: based at a home, or in the relief pool (no base home)."""

    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint(one_of("role", STAFF_ROLES), name="role_known"),
        CheckConstraint("(role = 'relief') = (home_id IS NULL)", name="relief_has_no_home"),
        CheckConstraint("contracted_minutes BETWEEN 0 AND 4800", name="contracted_range"),
        CheckConstraint("dbs_status_checked_on IS NULL OR dbs_issued_on IS NOT NULL",
                        name="dbs_status_after_issue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    home_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"), index=True)
    contracted_minutes: Mapped[int] = mapped_column(Integer, default=0)  # a week
    started_on: Mapped[date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Enhanced DBS with the children's barred list.
    dbs_issued_on: Mapped[date | None] = mapped_column(Date)
    dbs_barred_list: Mapped[bool] = mapped_column(Boolean, default=False)
    dbs_update_service: Mapped[bool] = mapped_column(Boolean, default=False)
    dbs_status_checked_on: Mapped[date | None] = mapped_column(Date)
    level3_achieved_on: Mapped[date | None] = mapped_column(Date)
    level5_achieved_on: Mapped[date | None] = mapped_column(Date)
    last_appraisal_on: Mapped[date | None] = mapped_column(Date)
    opted_out_48h: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped to reset the private calendar link (the link is derived from it, never stored).
    calendar_version: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)

    home = relationship("Home")
    user = relationship("User")
    training = relationship("TrainingRecord", order_by="TrainingRecord.valid_until.desc()",
                            back_populates="staff")
    inductions = relationship("Induction", back_populates="staff")

    @property
    def in_relief_pool(self) -> bool:
        return self.home_id is None

    @property
    def contracted_hours(self) -> float:
        return self.contracted_minutes / 60


class TrainingRecord(db.Model):
    __tablename__ = "training_records"
    __table_args__ = (
        CheckConstraint("valid_until >= completed_on", name="valid_after_completed"),
        Index("ix_training_records_staff_course", "staff_id", "course"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    course: Mapped[str] = mapped_column(String(80))
    completed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)  # the last day it counts

    staff = relationship("StaffMember", back_populates="training")


class Induction(db.Model):
    """A staff member has been inducted at a home."""

    __tablename__ = "inductions"
    __table_args__ = (UniqueConstraint("staff_id", "home_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    inducted_on: Mapped[date] = mapped_column(Date)

    staff = relationship("StaffMember", back_populates="inductions")
    home = relationship("Home")


class Absence(db.Model):
    __tablename__ = "staff_absences"
    __table_args__ = (
        CheckConstraint(one_of("kind", ABSENCE_KINDS), name="kind_known"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day away
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    staff = relationship("StaffMember")
