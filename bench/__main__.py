"""Build (or reuse) the data sets, then print every registered figure as `name=value unit`.

Reports only; never asserts. `--db postgresql` runs on a throwaway PostgreSQL server instead
of the cached SQLite files (tests/pg.py starts it); `--only gunicorn,core` prints just those
modules' figures. BENCH_HOMES=500 adds a 500-home data set: the figures named for 100 homes
stay on 100, and the page figures (and statement counts) are printed for 500 too, named so.
The served figures (bench/gunicorn.py) with no size in their name are on the demo council,
loaded afresh into a throwaway database each run.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
from contextlib import ExitStack
from datetime import datetime

from homes_app import clock
from homes_app.extensions import db
from homes_app.logs import LOGGER
from tests.pg import TemporaryPostgres

from .dataset import TODAY, postgres_data_sets, sqlite_data_set
from .registry import FIGURES, STANDARD, Bench, fmt

# Modules whose @figure functions are printed, in this order; later issues add theirs here.
MODULES = ("bench.core", "bench.registration", "bench.staffing", "bench.retention",
           "bench.ssda903", "bench.reports", "bench.alerts", "bench.gunicorn", "bench.signin")
# BENCH_HOMES=500 (make bench BENCH_HOMES=500) builds a 500-home data set beside these two.
SIZES = tuple(sorted({1, STANDARD, int(os.environ.get("BENCH_HOMES") or STANDARD)}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data sets")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per median")
    parser.add_argument("--only", metavar="MODULES", type=_modules, default=MODULES,
                        help="print only these modules' figures, e.g. --only gunicorn,core")
    args = parser.parse_args(argv)
    # The app logs each request as JSON on stdout; the bench's stdout is its figures alone.
    logging.getLogger(LOGGER).setLevel(logging.WARNING)
    for module in MODULES:
        importlib.import_module(module)
    began = time.perf_counter()
    with ExitStack() as stack:
        data = _data_sets(args, stack)
        clock.freeze(datetime(TODAY.year, TODAY.month, TODAY.day, 12))
        stack.callback(clock.freeze, None)
        bench = Bench(data, args.runs)
        for fn in (f for f in FIGURES if f.__module__ in args.only):
            for name, value, unit in fn(bench):
                print(f"{name}={fmt(value)} {unit}", flush=True)
    print(f"bench: done in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return 0


def _modules(names: str) -> tuple[str, ...]:
    chosen = tuple(f"bench.{n.strip().removeprefix('bench.')}" for n in names.split(","))
    if unknown := set(chosen) - set(MODULES):
        raise argparse.ArgumentTypeError(f"no such bench module: {', '.join(sorted(unknown))}")
    return chosen


def _data_sets(args, stack: ExitStack) -> dict:
    if args.db == "sqlite":
        return {n: sqlite_data_set(n, args.rebuild) for n in SIZES}
    server = TemporaryPostgres()
    stack.callback(server.stop)
    sets = postgres_data_sets(server.start(), SIZES)
    for data in sets:
        stack.callback(_dispose, data)
    return {data.homes: data for data in sets}


def _dispose(data) -> None:
    with data.app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
