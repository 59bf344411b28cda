"""Projected dates of a registration plan: pure arithmetic over its steps and dependencies.

A finished step's date is the date it was done. An unfinished step's projected date is the
latest of its target date, today (it cannot be done in the past) and, for each step it
follows, that step's date plus the days the dependency needs (Ofsted's 47 days from a complete
application to its decision, say). The home's projected opening date is the latest projected
date of any step, so it never comes before a step still to do; once the opening step is done,
the home opened on that date. The step that drives the opening date is found by walking back
from the latest step through the predecessor that set each date (the critical path).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ...errors import DomainError
from .models import MAX_LAG_DAYS

OPENING = "opening"


class CycleError(ValueError):
    """The dependencies loop back on themselves; `path` lists the step ids around the loop."""

    def __init__(self, path: list[int]):
        super().__init__(f"dependency cycle through {path}")
        self.path = path


@dataclass(frozen=True)
class StepDate:
    projected: date
    because: str  # "done", "after" (a predecessor), "target" or "today" (late, not done)
    after_id: int | None = None  # the predecessor that set the date, for "after"
    late_days: int = 0  # past its target date: done late, or projected to be

    @property
    def done(self) -> bool:
        return self.because == "done"


@dataclass
class Projection:
    dates: dict[int, StepDate]
    order: list[int]  # steps in dependency order
    opening: date | None = None
    opened: bool = False
    path: list[int] = field(default_factory=list)  # the critical path, first step first

    @property
    def driver(self) -> int | None:
        """The step at the start of the critical path: the one whose date drives opening."""
        return self.path[0] if self.path else None


def predecessors(edges: Iterable[tuple[int, int, int]]) -> dict[int, list[tuple[int, int]]]:
    """(step, depends_on, lag) rows as {step: [(depends_on, lag), ...]}."""
    found: dict[int, list[tuple[int, int]]] = {}
    for step, before, lag in edges:
        found.setdefault(step, []).append((before, lag))
    return found


def topological(ids: Sequence[int], preds: dict[int, list[tuple[int, int]]]) -> list[int]:
    """Ids ordered so that each comes after everything it follows (stable by given order)."""
    done: set[int] = set()
    order: list[int] = []
    visiting: list[int] = []

    def visit(node: int) -> None:
        if node in done:
            return
        if node in visiting:
            raise CycleError(visiting[visiting.index(node):] + [node])
        visiting.append(node)
        for before, _ in preds.get(node, ()):
            if before in known:
                visit(before)
        visiting.pop()
        done.add(node)
        order.append(node)

    known = set(ids)
    for node in ids:
        visit(node)
    return order


def path_between(preds: dict[int, list[tuple[int, int]]], start: int, goal: int) -> list[int]:
    """The shortest chain start -> ... -> goal following predecessors (start follows ...
    follows goal); empty if there is none. Used to explain a refused dependency."""
    came_from: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while came_from[path[-1]] is not None:
                path.append(came_from[path[-1]])
            return list(reversed(path))
        for before, _ in sorted(preds.get(node, ())):
            if before not in came_from:
                came_from[before] = node
                queue.append(before)
    return []


def project(steps: Sequence, edges: Iterable[tuple[int, int, int]], today: date) -> Projection:
    """Dates for `steps` (objects with id, kind, target_on, actual_on) and their dependencies
    ((step id, depends-on id, lag days) rows). Raises CycleError on a loop."""
    by_id = {s.id: s for s in steps}
    preds = {k: [(b, lag) for b, lag in v if b in by_id]
             for k, v in predecessors(edges).items() if k in by_id}
    order = topological([s.id for s in steps], preds)
    dates: dict[int, StepDate] = {}
    for sid in order:
        dates[sid] = _date_of(by_id[sid], preds.get(sid, ()), dates, today)
    result = Projection(dates, order)
    if not steps:
        return result
    opening = next((s for s in steps if s.kind == OPENING), None)
    if opening is not None and opening.actual_on is not None:
        result.opening, result.opened = opening.actual_on, True
        result.path = _chain(dates, opening.id)
        return result
    latest = max(d.projected for d in dates.values())
    ends = [opening.id] if opening is not None and dates[opening.id].projected == latest else []
    ends += [sid for sid in reversed(order) if dates[sid].projected == latest]
    result.opening = latest
    result.path = _chain(dates, ends[0])
    return result


def _date_of(step, preds, dates: dict[int, StepDate], today: date) -> StepDate:
    target = step.target_on
    if step.actual_on is not None:
        late = (step.actual_on - target).days if target else 0
        return StepDate(step.actual_on, "done", late_days=max(late, 0))
    best = StepDate(today, "today")
    if target is not None and target >= today:
        best = StepDate(target, "target")
    for before, lag in preds:
        candidate = dates[before].projected.toordinal() + lag
        if candidate >= best.projected.toordinal():  # on a tie, the predecessor drives
            best = StepDate(date.fromordinal(candidate), "after", before)
    late = (best.projected - target).days if target else 0
    return StepDate(best.projected, best.because, best.after_id, max(late, 0))


def _chain(dates: dict[int, StepDate], end: int) -> list[int]:
    path = [end]
    while dates[path[-1]].because == "after":
        path.append(dates[path[-1]].after_id)
    return list(reversed(path))




def check_follows(steps: dict[int, object], edges, step_id: int | None,
                  follows: dict[int, int]) -> None:
    """Refuse unknown steps, lags out of range, and a dependency that would make a loop.
    `steps` are the plan's (or template's) steps by id, `edges` their current dependencies.
    Each refusal names the field after_<id> of the step it is about."""
    others = [(s, b, lag) for s, b, lag in edges if s != step_id]
    preds = predecessors(others)
    for before, lag in follows.items():
        field = f"after_{before}"
        if before not in steps or before == step_id:
            raise DomainError("Choose steps from this plan", field)
        if lag is None or not 0 <= lag <= MAX_LAG_DAYS:
            raise DomainError(f"Days after must be between 0 and {MAX_LAG_DAYS}", field)
        loop = path_between(preds, before, step_id) if step_id is not None else []
        if loop:
            chain = " → ".join(steps[s].name for s in reversed(loop))
            raise DomainError(
                f"That would make a loop: {steps[before].name} already comes after "
                f"{steps[step_id].name} ({chain}), so {steps[step_id].name} cannot also "
                "come after it. Remove one of the two.", field)
