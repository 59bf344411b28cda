"""Read models: a plan with its projected dates, the pipeline of homes in registration, and
the summary on a home's page (its calendar once open, its projected opening before).

The due list costs the same few statements for one home or a hundred: homes, then their open
occurrences within notice, then their Reg 40 events not yet notified.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from ...extensions import db
from ...homes.models import Home
from ..compliance.models import JUDGEMENTS, OPEN_STATUSES, InspectionOutcome
from ..compliance.queries import DueList, due_list, latest_inspections
from ..templates.projection import Projection, StepDate, project
from .models import PlanStep, RegistrationPlan, StepDependency

PLANNING = ("planned", "registering")


# ---- plans ---------------------------------------------------------------------------------

@dataclass
class StepRow:
    step: PlanStep
    date: StepDate
    follows: list[tuple[PlanStep, int]]
    on_path: bool = False

    @property
    def open_before(self) -> list[PlanStep]:
        return [s for s, _ in self.follows if not s.done]

    @property
    def status(self) -> str:
        if self.step.done:
            return "done"
        return "late" if self.date.late_days else "to do"


@dataclass
class PlanView:
    plan: RegistrationPlan
    projection: Projection
    rows: list[StepRow]  # in the plan's order
    by_id: dict[int, StepRow]

    @property
    def timeline(self) -> list[StepRow]:
        return sorted(self.rows, key=lambda r: (r.date.projected, r.step.position))

    @property
    def path(self) -> list[PlanStep]:
        return [self.by_id[i].step for i in self.projection.path]

    @property
    def driver(self) -> StepRow | None:
        sid = self.projection.driver
        return self.by_id[sid] if sid is not None else None

    @property
    def opening_step(self) -> PlanStep | None:
        return next((r.step for r in self.rows if r.step.kind == "opening"), None)

    @property
    def days_late(self) -> int:
        """How far the projected opening is behind the opening step's target date."""
        step = self.opening_step
        if step is None or step.target_on is None or self.projection.opening is None:
            return 0
        return max((self.projection.opening - step.target_on).days, 0)

    @property
    def reached(self) -> PlanStep | None:
        done = [r.step for r in self.rows if r.step.done]
        return max(done, key=lambda s: s.position) if done else None

    @property
    def next_open(self) -> PlanStep | None:
        return next((r.step for r in self.rows if not r.step.done), None)


def build_view(plan: RegistrationPlan, steps: list[PlanStep],
               edges: list[tuple[int, int, int]], today: date) -> PlanView:
    projection = project(steps, edges, today)
    by_step = {s.id: s for s in steps}
    follows: dict[int, list[tuple[PlanStep, int]]] = {s.id: [] for s in steps}
    for sid, before, lag in edges:
        if sid in follows and before in by_step:
            follows[sid].append((by_step[before], lag))
    on_path = set(projection.path)
    rows = [StepRow(s, projection.dates[s.id],
                    sorted(follows[s.id], key=lambda f: f[0].position), s.id in on_path)
            for s in steps]
    return PlanView(plan, projection, rows, {r.step.id: r for r in rows})


def plan_view(home_id: int, today: date) -> PlanView | None:
    plan = db.session.scalar(select(RegistrationPlan).where(RegistrationPlan.home_id == home_id))
    if plan is None:
        return None
    steps = db.session.scalars(select(PlanStep).where(PlanStep.plan_id == plan.id)
                               .options(selectinload(PlanStep.attachments))
                               .order_by(PlanStep.position, PlanStep.id)).all()
    edges = [(r.step_id, r.depends_on_id, r.lag_days) for r in db.session.scalars(
        select(StepDependency).where(StepDependency.step_id.in_([s.id for s in steps])))]
    return build_view(plan, steps, edges, today)


@dataclass
class PipelineRow:
    home: Home
    view: PlanView | None


def pipeline(today: date) -> list[PipelineRow]:
    """Every home in registration, with its plan's projection: four statements in all."""
    homes = db.session.scalars(select(Home).options(lazyload(Home.beds))
                               .where(Home.status.in_(PLANNING)).order_by(Home.name)).all()
    plans = {p.home_id: p for p in db.session.scalars(select(RegistrationPlan).where(
        RegistrationPlan.home_id.in_([h.id for h in homes])))}
    steps: dict[int, list[PlanStep]] = {p: [] for p in plans}
    for s in db.session.scalars(select(PlanStep).where(PlanStep.home_id.in_(list(plans)))
                                .order_by(PlanStep.position, PlanStep.id)):
        steps[s.home_id].append(s)
    edges: dict[int, list[tuple[int, int, int]]] = {p: [] for p in plans}
    for home_id, sid, before, lag in db.session.execute(
            select(PlanStep.home_id, StepDependency.step_id, StepDependency.depends_on_id,
                   StepDependency.lag_days)
            .join(PlanStep, PlanStep.id == StepDependency.step_id)
            .where(PlanStep.home_id.in_(list(plans)))):
        edges[home_id].append((sid, before, lag))
    return [PipelineRow(h, build_view(plans[h.id], steps[h.id], edges[h.id], today)
                        if h.id in plans else None) for h in homes]


# ---- inspections ---------------------------------------------------------------------------


# ---- due and overdue -----------------------------------------------------------------------


@dataclass
class HomeSummary:
    """What the home page shows of this domain."""

    latest: InspectionOutcome | None
    due: DueList | None
    plan: PlanView | None
    had_plan: bool = False

    @property
    def judgement(self) -> str:
        """The latest full inspection's overall experiences and progress, in Ofsted's words."""
        return JUDGEMENTS[self.latest.overall_experiences] if self.latest else ""


def home_summary(home: Home, today: date, now: datetime) -> HomeSummary:
    if home.status in PLANNING:
        return HomeSummary(None, None, plan_view(home.id, today))
    latest = latest_inspections([home.id]).get(home.id)
    due = due_list({home.id}, today, now) if home.status in OPEN_STATUSES else None
    had_plan = db.session.scalar(select(RegistrationPlan.id).where(
        RegistrationPlan.home_id == home.id)) is not None
    return HomeSummary(latest, due, None, had_plan)
