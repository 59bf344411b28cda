"""The compliance calendar of an open home: the council's rules (data it edits), each home's
occurrences of them, Ofsted inspection outcomes and the Reg 40 notifications log."""
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...common.sql import one_of
from ...extensions import db
from ...types import UTCDateTime

SCHEDULES = {
    "months": "Every so many months after it was last done",
    "inspection_year": "Ofsted's inspection year, 1 April to 31 March (twice a year after "
                       "requires improvement or inadequate)",
}
OCCURRENCE_KINDS = {"due": "Due", "report": "Report due"}
# Ofsted's wording for the three judgements of a full inspection.
JUDGEMENTS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
INSPECTION_TYPES = {
    "full": "Full inspection",
    "monitoring": "Monitoring inspection",
    "assurance": "Assurance visit",
}
JUDGEMENT_AREAS = {
    "overall_experiences": "Overall experiences and progress of children and young people",
    "help_and_protection": "How well children and young people are helped and protected",
    "leadership": "The effectiveness of leaders and managers",
}
# Events a children's home must notify under regulation 40.
REG40_EVENTS = {
    "death": "Death of a child",
    "serious_injury": "Serious injury or serious illness of a child",
    "child_protection": "Child protection referral or enquiry",
    "allegation": "Allegation of abuse against the home or a person working there",
    "exploitation": "Child sexual or criminal exploitation",
    "police": "Serious incident involving the police",
    "complaint": "Serious complaint about the home",
    "other": "Other serious incident",
}
REG40_RECIPIENTS = {
    "ofsted": "Ofsted",
    "placing_authority": "Placing authority",
    "area_authority": "Local authority for the area",
    "police": "Police",
    "parents": "Parents or others with parental responsibility",
}
_OPEN_DUE = text("completed_on IS NULL AND kind = 'due'")


class ComplianceRule(db.Model):
    """A recurring obligation of every open home, as the council sets it."""

    __tablename__ = "compliance_rules"
    __table_args__ = (
        CheckConstraint(one_of("schedule", SCHEDULES), name="schedule_known"),
        CheckConstraint("schedule <> 'months' OR interval_months BETWEEN 1 AND 120",
                        name="interval_range"),
        CheckConstraint("report_due_days IS NULL OR report_due_days BETWEEN 1 AND 365",
                        name="report_days_range"),
        CheckConstraint("notice_days BETWEEN 0 AND 365", name="notice_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    schedule: Mapped[str] = mapped_column(String(20), default="months")
    interval_months: Mapped[int | None] = mapped_column(Integer)
    # A report that falls due this many days after each completion (Reg 45: 28 days).
    report_name: Mapped[str] = mapped_column(String(120), default="")
    report_due_days: Mapped[int | None] = mapped_column(Integer)
    # Shown as due this many days before its date.
    notice_days: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ComplianceOccurrence(db.Model):
    """One time an obligation falls due at a home, and when and how it was done."""

    __tablename__ = "compliance_occurrences"
    __table_args__ = (
        CheckConstraint(one_of("kind", OCCURRENCE_KINDS), name="kind_known"),
        CheckConstraint("(completed_on IS NULL) = (completed_at IS NULL)",
                        name="completion_whole"),
        CheckConstraint("opens_on IS NULL OR opens_on <= due_on", name="opens_before_due"),
        # One occurrence of a rule open at a time in each home: the next is made on completion.
        Index("uq_compliance_occurrences_open_due", "home_id", "rule_id", unique=True,
              sqlite_where=_OPEN_DUE, postgresql_where=_OPEN_DUE),
        Index("ix_compliance_occurrences_home_due", "home_id", "completed_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    rule_id: Mapped[int] = mapped_column(ForeignKey("compliance_rules.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="due")
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_occurrences.id"))
    opens_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(String(120), default="")
    outcome: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    rule = relationship("ComplianceRule")
    home = relationship("Home")
    follows = relationship("ComplianceOccurrence", remote_side=[id])

    @property
    def title(self) -> str:
        if self.kind == "report":
            return self.rule.report_name or f"{self.rule.name}: report"
        return self.rule.name


class InspectionOutcome(db.Model):
    """An Ofsted inspection of a home and, for a full inspection, its three judgements."""

    __tablename__ = "inspection_outcomes"
    __table_args__ = (
        CheckConstraint(one_of("inspection_type", INSPECTION_TYPES), name="type_known"),
        *(CheckConstraint(f"{area} IS NULL OR {one_of(area, JUDGEMENTS)}", name=f"{area}_known")
          for area in JUDGEMENT_AREAS),
        CheckConstraint("inspection_type <> 'full' OR (overall_experiences IS NOT NULL AND "
                        "help_and_protection IS NOT NULL AND leadership IS NOT NULL)",
                        name="full_has_judgements"),
        Index("ix_inspection_outcomes_home_date", "home_id", "inspected_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    inspected_on: Mapped[date] = mapped_column(Date)
    inspection_type: Mapped[str] = mapped_column(String(12))
    overall_experiences: Mapped[str | None] = mapped_column(String(24))
    help_and_protection: Mapped[str | None] = mapped_column(String(24))
    leadership: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reg40Notification(db.Model):
    """A serious event at a home and when, and to whom, it was notified (within 24 hours)."""

    __tablename__ = "reg40_notifications"
    __table_args__ = (
        CheckConstraint(one_of("event_type", REG40_EVENTS), name="event_type_known"),
        CheckConstraint("notified_at IS NULL OR notified_at >= event_at",
                        name="notified_after_event"),
        CheckConstraint("(notified_at IS NULL) = (notified_to = '')", name="notified_to_whom"),
        Index("ix_reg40_notifications_home_event", "home_id", "event_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    event_type: Mapped[str] = mapped_column(String(20))
    event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(Text, default="")
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_to: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    home = relationship("Home")

    @property
    def recipients(self) -> list[str]:
        return [r for r in self.notified_to.split(",") if r]




OPEN_STATUSES = ("registered", "temporarily_closed")  # registered with Ofsted
