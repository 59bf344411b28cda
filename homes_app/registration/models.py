"""Registration with Ofsted: the council's template of steps, and each new home's plan copied
from it (steps with owners, dates, evidence, attachments and dependencies).

The compliance calendar's tables live in calendar_models.py and are imported here too, so
homes_app.models names this module once for the whole domain.
"""
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.sql import one_of
from ..extensions import db
from ..types import UTCDateTime

STEP_KINDS = {
    "step": "An ordinary step",
    "decision": "Ofsted's registration decision: records the URN and conditions, and "
                "registers the home",
    "opening": "The home opens: its date is the opening date",
}
MAX_LAG_DAYS = 730
MAX_START_DAYS = 1095
_SPECIAL = text("kind <> 'step'")


class TemplateStep(db.Model):
    """A step of the council's registration template; new plans copy the template."""

    __tablename__ = "registration_template_steps"
    __table_args__ = (
        CheckConstraint(one_of("kind", STEP_KINDS), name="kind_known"),
        CheckConstraint(f"start_days BETWEEN 0 AND {MAX_START_DAYS}", name="start_days_range"),
        CheckConstraint("position >= 1", name="position_positive"),
        # One decision step and one opening step at most.
        Index("uq_registration_template_steps_special_kind", "kind", unique=True,
              sqlite_where=_SPECIAL, postgresql_where=_SPECIAL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="step")
    # A new plan's target for this step is at least this many days after the plan starts.
    start_days: Mapped[int] = mapped_column(Integer, default=0)
    default_owner: Mapped[str] = mapped_column(String(120), default="")


class TemplateDependency(db.Model):
    """A template step follows another, at least `lag_days` after it."""

    __tablename__ = "registration_template_dependencies"
    __table_args__ = (
        CheckConstraint("step_id <> depends_on_id", name="not_itself"),
        CheckConstraint(f"lag_days BETWEEN 0 AND {MAX_LAG_DAYS}", name="lag_range"),
    )

    # Named here: the convention's names pass PostgreSQL's 63-character limit.
    step_id: Mapped[int] = mapped_column(
        ForeignKey("registration_template_steps.id", ondelete="CASCADE",
                   name="fk_registration_template_dependencies_step_id"), primary_key=True)
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("registration_template_steps.id", ondelete="CASCADE",
                   name="fk_registration_template_dependencies_depends_on_id"),
        primary_key=True, index=True)
    lag_days: Mapped[int] = mapped_column(Integer, default=0)


class RegistrationPlan(db.Model):
    """A home's path to registration; a service director approves it."""

    __tablename__ = "registration_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Steps, dates or dependencies changed after the director approved the plan.
    changed_since_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on every change, under the home's row lock: a form opened before is stale.
    version: Mapped[int] = mapped_column(Integer, default=1)

    home = relationship("Home")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    steps = relationship("PlanStep", back_populates="plan", order_by="PlanStep.position")


class PlanStep(db.Model):
    __tablename__ = "registration_steps"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint(one_of("kind", STEP_KINDS), name="kind_known"),
        CheckConstraint("(actual_on IS NULL) = (completed_at IS NULL)", name="completion_whole"),
        Index("uq_registration_steps_plan_special_kind", "plan_id", "kind", unique=True,
              sqlite_where=_SPECIAL, postgresql_where=_SPECIAL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("registration_plans.id"), index=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    template_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_template_steps.id", ondelete="SET NULL",
                   name="fk_registration_steps_template_step_id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="step")
    owner: Mapped[str] = mapped_column(String(120), default="")
    target_on: Mapped[date | None] = mapped_column(Date)
    actual_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    plan = relationship("RegistrationPlan", back_populates="steps")
    completed_by = relationship("User", foreign_keys=[completed_by_id])
    attachments = relationship("StepAttachment", order_by="StepAttachment.id",
                               back_populates="step")

    @property
    def done(self) -> bool:
        return self.actual_on is not None


class StepDependency(db.Model):
    """A plan step follows another, at least `lag_days` after it."""

    __tablename__ = "registration_step_dependencies"
    __table_args__ = (
        CheckConstraint("step_id <> depends_on_id", name="not_itself"),
        CheckConstraint(f"lag_days BETWEEN 0 AND {MAX_LAG_DAYS}", name="lag_range"),
    )

    step_id: Mapped[int] = mapped_column(
        ForeignKey("registration_steps.id", ondelete="CASCADE",
                   name="fk_registration_step_dependencies_step_id"), primary_key=True)
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("registration_steps.id", ondelete="CASCADE",
                   name="fk_registration_step_dependencies_depends_on_id"),
        primary_key=True, index=True)
    lag_days: Mapped[int] = mapped_column(Integer, default=0)


class StepAttachment(db.Model):
    """Evidence for a step: a file's name and where it is kept (the file stays there)."""

    __tablename__ = "registration_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("registration_steps.id"), index=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    kept_at: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    step = relationship("PlanStep", back_populates="attachments")


from .calendar_models import (  # noqa: E402, F401, I001
    ComplianceOccurrence, ComplianceRule, InspectionOutcome, Reg40Notification)
