"""The rota's records: shift types, minimum staffing, rota patterns, shifts with their
assignments, and published rotas."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...common.sql import one_of
from ...extensions import db
from ...types import UTCDateTime

SHIFT_KINDS = {"day": "Day", "waking_night": "Waking night", "sleep_in": "Sleep-in"}
SHIFT_STATUSES = {"active": "On the rota", "cancelled": "Cancelled"}
COVER = {"contracted": "Contracted hours", "overtime": "Overtime", "relief": "Relief pool",
         "agency": "Agency"}
ASSIGNMENT_STATUSES = {"pending": "Awaiting the manager's approval", "confirmed": "Confirmed",
                       "ended": "Ended"}
END_REASONS = {
    "released": "Released by the worker",
    "cancelled": "Cancelled by the home",
    "declined": "Not approved by the home",
    "absence": "Absence recorded",
    "reassigned": "Given to someone else",
    "shift_cancelled": "Shift cancelled",
}
WORKED_OUTCOMES = {
    "worked": "Worked as planned",
    "swapped": "Someone else worked it (swap or cover on the day)",
    "sick": "Off sick, nobody covered",
    "absent": "Did not attend, nobody covered",
}


class ShiftType(db.Model):
    """A home's kind of shift: local start and end times; an end at or before the start is the
    next day."""

    __tablename__ = "shift_types"
    __table_args__ = (
        UniqueConstraint("home_id", "name"),
        CheckConstraint(one_of("kind", SHIFT_KINDS), name="kind_known"),
        CheckConstraint("starts_at <> ends_at", name="has_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(20), default="day")
    counts_as_work: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    rules = relationship("StaffingRule", order_by="StaffingRule.min_children", lazy="selectin",
                         back_populates="shift_type")

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at <= self.starts_at


class StaffingRule(db.Model):
    """At least `minimum` staff on this shift once `min_children` or more are in residence."""

    __tablename__ = "staffing_rules"
    __table_args__ = (
        UniqueConstraint("shift_type_id", "min_children"),
        CheckConstraint("min_children BETWEEN 0 AND 12", name="children_range"),
        CheckConstraint("minimum BETWEEN 0 AND 20", name="minimum_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_types.id"))
    min_children: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[int] = mapped_column(Integer)

    shift_type = relationship("ShiftType", back_populates="rules")


class RotaPattern(db.Model):
    """A repeating rota template of `weeks` weeks; week 1 begins on `starts_on` (a Monday)."""

    __tablename__ = "rota_patterns"
    __table_args__ = (
        UniqueConstraint("home_id", "name"),
        CheckConstraint("weeks BETWEEN 1 AND 8", name="weeks_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    weeks: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)

    slots = relationship("PatternSlot", order_by="(PatternSlot.week, PatternSlot.weekday, "
                         "PatternSlot.id)", lazy="selectin", back_populates="pattern",
                         cascade="all, delete-orphan")


class PatternSlot(db.Model):
    __tablename__ = "pattern_slots"
    __table_args__ = (
        CheckConstraint("week >= 1 AND week <= 8", name="week_range"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern_id: Mapped[int] = mapped_column(ForeignKey("rota_patterns.id"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday .. 6 Sunday
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_types.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))

    pattern = relationship("RotaPattern", back_populates="slots")
    shift_type = relationship("ShiftType", lazy="joined")
    staff = relationship("StaffMember", lazy="joined")


class Shift(db.Model):
    """One shift on a home's rota: its times as aware UTC moments computed from the home's
    local date and times, who is planned to work it (one person at most) and how it is
    covered, whether it is offered to the relief pool, and what was actually worked."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("minutes > 0 AND minutes <= 1500", name="minutes_range"),
        CheckConstraint(one_of("status", SHIFT_STATUSES), name="status_known"),
        CheckConstraint(one_of("kind", SHIFT_KINDS), name="kind_known"),
        CheckConstraint(f"cover IS NULL OR {one_of('cover', COVER)}", name="cover_known"),
        CheckConstraint("(cover IS NULL) = (assignee_id IS NULL AND agency_name IS NULL)",
                        name="covered_has_cover"),
        CheckConstraint("assignee_id IS NULL OR agency_name IS NULL", name="one_cover"),
        CheckConstraint("agency_name IS NULL OR cover = 'agency'", name="agency_named"),
        CheckConstraint("cover <> 'agency' OR agency_name IS NOT NULL", name="agency_has_name"),
        CheckConstraint("NOT claim_pending OR assignee_id IS NOT NULL", name="pending_has_claim"),
        CheckConstraint("pool_from IS NULL OR offered_at IS NOT NULL", name="pool_after_offer"),
        CheckConstraint(f"worked_outcome IS NULL OR {one_of('worked_outcome', WORKED_OUTCOMES)}",
                        name="worked_outcome_known"),
        Index("ix_shifts_home_date", "home_id", "on_date"),
        Index("ix_shifts_assignee_start", "assignee_id", "starts_at"),
        Index("ix_shifts_offered", "offered_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_types.id"))
    on_date: Mapped[date] = mapped_column(Date)  # the local date it starts on
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    counts_as_work: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    cover: Mapped[str | None] = mapped_column(String(12))
    agency_name: Mapped[str | None] = mapped_column(String(120))
    claim_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pool_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    worked_outcome: Mapped[str | None] = mapped_column(String(10))
    worked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    worked_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    home = relationship("Home")
    shift_type = relationship("ShiftType")
    assignee = relationship("StaffMember", foreign_keys=[assignee_id])
    worked_by = relationship("StaffMember", foreign_keys=[worked_by_id])

    # Every ORM update checks the row is as it was read: a pick-up or another manager's change
    # in between makes the write stale rather than silently overwriting it.
    __mapper_args__ = {"version_id_col": version}

    @property
    def covered(self) -> bool:
        return self.cover is not None

    @property
    def open(self) -> bool:
        """Offered and not yet taken."""
        return self.status == "active" and self.offered_at is not None and self.cover is None


class ShiftAssignment(db.Model):
    """A person's booking of a shift, kept after it ends so that they are told (their page and
    calendar feed show the cancellation); at most one live booking per shift."""

    __tablename__ = "shift_assignments"
    __table_args__ = (
        UniqueConstraint("shift_id", "staff_id"),
        CheckConstraint(one_of("status", ASSIGNMENT_STATUSES), name="status_known"),
        CheckConstraint(f"end_reason IS NULL OR {one_of('end_reason', END_REASONS)}",
                        name="end_reason_known"),
        CheckConstraint("(status = 'ended') = (end_reason IS NOT NULL)", name="ended_has_reason"),
        Index("uq_shift_assignments_live", "shift_id", unique=True,
              sqlite_where=text("status <> 'ended'"), postgresql_where=text("status <> 'ended'")),
        Index("ix_shift_assignments_staff", "staff_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    status: Mapped[str] = mapped_column(String(10))
    end_reason: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)  # the manager's words, shown to the person
    warnings: Mapped[str | None] = mapped_column(Text)
    compensatory_rest: Mapped[str | None] = mapped_column(Text)
    induction: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    shift = relationship("Shift")
    staff = relationship("StaffMember")


class RotaPublication(db.Model):
    """A home's week of rota as published: kept as it was; later changes publish new versions."""

    __tablename__ = "rota_publications"
    __table_args__ = (
        UniqueConstraint("home_id", "week_start", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    week_start: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[list] = mapped_column(JSON)

    published_by = relationship("User")
