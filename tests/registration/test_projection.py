"""Projected dates through dependencies: worked examples, and hypothesis generating random
plans (dependency graphs without loops), completions and slips."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homes_app.registration.templates.projection import (
    CycleError,
    path_between,
    predecessors,
    project,
)

TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class Step:
    id: int
    target_on: date | None = None
    actual_on: date | None = None
    kind: str = "step"
    name: str = ""


def d(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_a_slipping_step_moves_the_steps_after_it_and_the_opening():
    steps = [Step(1, d(10)), Step(2, d(20)), Step(3, d(40), kind="opening")]
    edges = [(2, 1, 47), (3, 2, 7)]
    on_time = project(steps, edges, TODAY)
    assert on_time.dates[2].projected == d(57)  # 47 days after step 1's target
    assert on_time.opening == d(64)
    assert on_time.path == [1, 2, 3] and on_time.driver == 1

    slipped = project([replace(steps[0], target_on=d(30)), *steps[1:]], edges, TODAY)
    assert slipped.opening == d(84)
    assert slipped.dates[3].late_days == 44


def test_a_step_past_its_target_and_not_done_is_projected_today_and_drives():
    steps = [Step(1, d(-12)), Step(2, d(5)), Step(3, d(30), kind="opening")]
    result = project(steps, [(2, 1, 14), (3, 2, 0)], TODAY)
    assert result.dates[1].projected == TODAY and result.dates[1].because == "today"
    assert result.dates[1].late_days == 12
    assert result.dates[2].projected == d(14)
    assert result.opening == d(30)  # the opening's own target still comes later
    assert result.driver == 3


def test_done_steps_use_their_actual_date_and_count_for_those_after_them():
    steps = [Step(1, d(-30), actual_on=d(-10)), Step(2, d(10)), Step(3, None, kind="opening")]
    result = project(steps, [(2, 1, 47), (3, 2, 0)], TODAY)
    assert result.dates[1].projected == d(-10) and result.dates[1].late_days == 20
    assert result.dates[2].projected == d(37)  # Ofsted's 47 days from the application
    assert result.opening == d(37)
    assert result.driver == 1


def test_the_latest_branch_drives_and_a_step_outside_the_chain_still_holds_the_opening():
    steps = [Step(1, d(10)), Step(2, d(50)), Step(3, d(20), kind="opening"), Step(4, d(90))]
    result = project(steps, [(3, 1, 0), (3, 2, 0)], TODAY)
    assert result.dates[3].projected == d(50)
    assert result.opening == d(90)  # step 4 follows nothing, but the home waits for it
    assert result.driver == 4


def test_once_the_opening_step_is_done_the_home_opened_that_day():
    steps = [Step(1, actual_on=d(-40)), Step(2, d(-5), actual_on=d(-3), kind="opening")]
    result = project(steps, [(2, 1, 0)], TODAY)
    assert result.opened and result.opening == d(-3)


def test_a_loop_is_found_with_its_path():
    with pytest.raises(CycleError) as found:
        project([Step(1), Step(2), Step(3)], [(2, 1, 0), (3, 2, 0), (1, 3, 0)], TODAY)
    assert set(found.value.path) == {1, 2, 3}
    preds = predecessors([(2, 1, 0), (3, 2, 0)])
    assert path_between(preds, 3, 1) == [3, 2, 1]
    assert path_between(preds, 1, 3) == []


# ---- properties ---------------------------------------------------------------------------

@st.composite
def plans(draw):
    """A plan of 1-12 steps; each may follow earlier ones (so there is never a loop), with a
    target date or none, done in the past or not; the last is the opening step."""
    n = draw(st.integers(1, 12))
    steps, edges = [], []
    for i in range(1, n + 1):
        target = draw(st.one_of(st.none(), st.integers(-200, 400).map(d)))
        done = i < n and draw(st.booleans())
        actual = draw(st.integers(-400, 0).map(d)) if done else None
        steps.append(Step(i, target, actual, kind="opening" if i == n else "step"))
        for before in draw(st.sets(st.integers(1, i - 1), max_size=3)) if i > 1 else ():
            edges.append((i, before, draw(st.integers(0, 120))))
    order = draw(st.permutations(range(n)))  # the plan's own order is not dependency order
    return [steps[k] for k in order], edges


def check(steps, edges, result) -> None:
    dates = result.dates
    unfinished = [s for s in steps if s.actual_on is None]
    for s in steps:
        if s.actual_on is not None:
            assert dates[s.id].projected == s.actual_on
    for s in unfinished:
        assert result.opening >= dates[s.id].projected
        assert dates[s.id].projected >= TODAY
        if s.target_on:
            assert dates[s.id].projected >= s.target_on
    for step, before, lag in edges:
        if step in {s.id for s in unfinished}:
            assert dates[step].projected >= dates[before].projected + timedelta(days=lag)
    path = result.path
    for before, after in zip(path, path[1:], strict=False):
        lag = next(lag for s, b, lag in edges if s == after and b == before)
        assert dates[after].projected == dates[before].projected + timedelta(days=lag)
    assert dates[path[-1]].projected == result.opening


@settings(max_examples=150, deadline=None)
@given(plans())
def test_the_opening_never_precedes_any_unfinished_steps_projected_date(plan):
    steps, edges = plan
    check(steps, edges, project(steps, edges, TODAY))


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_a_slip_never_brings_the_opening_forward(plan, data):
    steps, edges = plan
    before = project(steps, edges, TODAY)
    which = data.draw(st.sampled_from([s.id for s in steps if s.actual_on is None]))
    by = data.draw(st.integers(1, 200))
    slipped = [replace(s, target_on=(s.target_on or TODAY) + timedelta(days=by))
               if s.id == which else s for s in steps]
    after = project(slipped, edges, TODAY)
    check(slipped, edges, after)
    assert after.opening >= before.opening
    for s in steps:
        assert after.dates[s.id].projected >= before.dates[s.id].projected


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_completing_a_step_early_never_delays_the_opening(plan, data):
    steps, edges = plan
    before = project(steps, edges, TODAY)
    which = data.draw(st.sampled_from([s.id for s in steps if s.actual_on is None]))
    done = [replace(s, actual_on=TODAY) if s.id == which else s for s in steps]
    if any(s.kind == "opening" and s.actual_on for s in done):
        return  # opening is then a fact, not a projection
    after = project(done, edges, TODAY)
    check(done, edges, after)
    assert after.opening <= before.opening
