"""The council's registration template: the steps every new home's plan is copied from, and
which steps each follows."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ...common.sql import one_of
from ...extensions import db

STEP_KINDS = {
    "step": "An ordinary step",
    "decision": "Ofsted's registration decision: records the URN and conditions, and "
                "registers the home",
    "opening": "The home opens: its date is the opening date",
}


MAX_LAG_DAYS = 730


MAX_START_DAYS = 1095


SPECIAL_STEPS = text("kind <> 'step'")


class TemplateStep(db.Model):
    """A step of the council's registration template; new plans copy the template."""

    __tablename__ = "registration_template_steps"
    __table_args__ = (
        CheckConstraint(one_of("kind", STEP_KINDS), name="kind_known"),
        CheckConstraint(f"start_days BETWEEN 0 AND {MAX_START_DAYS}", name="start_days_range"),
        CheckConstraint("position >= 1", name="position_positive"),
        # One decision step and one opening step at most.
        Index("uq_registration_template_steps_special_kind", "kind", unique=True,
              sqlite_where=SPECIAL_STEPS, postgresql_where=SPECIAL_STEPS),
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
