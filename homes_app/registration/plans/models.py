"""Each new home's registration plan, copied from the council's template: steps with owners,
dates, evidence, attachments and dependencies.

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...common.sql import one_of
from ...extensions import db
from ...types import UTCDateTime
from ..templates.models import MAX_LAG_DAYS, SPECIAL_STEPS, STEP_KINDS


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
              sqlite_where=SPECIAL_STEPS, postgresql_where=SPECIAL_STEPS),
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
