"""What every figure shares: the registry, the data sets it may use, medians and counters.

A figure is a function taking the Bench and yielding (name, value, unit) tuples; decorate it
with @figure in a module listed in bench.__main__.MODULES and it is printed in that order.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .dataset import DataSet

Figure = tuple[str, float | int | str, str]
# The data set behind every figure named for 100 homes (or for no size, except the served
# page figures of bench/gunicorn.py, which are on the demo council); a larger one
# (BENCH_HOMES) adds page figures named for its own size beside them.
STANDARD = 100
FIGURES: list[Callable[[Bench], Iterable[Figure]]] = []


def figure(fn: Callable[[Bench], Iterable[Figure]]):
    FIGURES.append(fn)
    return fn


@dataclass
class Bench:
    """The data sets by number of homes, and how many timed runs make a median."""

    data: dict[int, DataSet]
    runs: int = 7

    @property
    def larger(self) -> list[int]:
        """The sizes above STANDARD that BENCH_HOMES asked for (none by default)."""
        return sorted(n for n in self.data if n > STANDARD)

    @property
    def scaled(self) -> list[int]:
        """The sizes whose statement counts are compared: 1 home, 100, and any larger."""
        return [1, STANDARD, *self.larger]


def homes(n: int) -> str:
    """The size a figure's name ends with: 1_home, 100_homes."""
    return "1_home" if n == 1 else f"{n}_homes"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `fn` in milliseconds, after one untimed warm-up run."""
    return medians_ms([fn], runs)[0]


def medians_ms(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Median wall times of several functions, run in turn each round so that a change in
    the machine's load falls on all of them alike (their ratio is what matters)."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()  # warm-up: caches, prepared statements
    for _ in range(runs):
        for fn, spent in zip(fns, times, strict=True):
            began = time.perf_counter()
            fn()
            spent.append((time.perf_counter() - began) * 1000)
    return [statistics.median(spent) for spent in times]


@contextmanager
def statements(engine: Engine) -> Iterator[list[int]]:
    """Count the SQL statements `engine` executes inside the block: `with ... as n: n[0]`."""
    count = [0]

    def counted(*_args) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def fmt(value: float | int | str) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return str(value)
