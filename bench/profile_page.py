"""Where one page's time goes, signed in as the bench's service director on a bench data set:
the median request, the median of each phase (loading the signed-in user, the page's domain
work, rendering its template), and the statements it runs, each with its driver time.

    PYTHONPATH=. .venv/bin/python -m bench.profile_page 100 /overview
    PYTHONPATH=. .venv/bin/python -m bench.profile_page 6 /homes/1 --runs 200

docs/performance.md quotes its figures. Through the Flask test client, so without gunicorn's
HTTP work; the served figures are bench/gunicorn.py's."""
from __future__ import annotations

import argparse
import functools
import logging
import statistics
import time

import flask
from sqlalchemy import event

from homes_app.extensions import db

from .dataset import DIRECTOR, PASSWORD, sqlite_data_set
from .signing_in import signed_in_client


def _timed(spent: dict, name: str, fn):
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent.setdefault(name, []).append(1000 * (time.perf_counter() - began))
    return wrapped


def _statements(engine, client, path: str) -> list[tuple[float, str]]:
    seen: list[tuple[float, str]] = []

    def before(conn, *_):
        conn.info["began"] = time.perf_counter()

    def after(conn, _cursor, statement, *_):
        seen.append((1000 * (time.perf_counter() - conn.info["began"]), " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homes", type=int)
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    data = sqlite_data_set(args.homes)
    spent: dict[str, list[float]] = {}
    manager = data.app.login_manager
    manager._user_callback = _timed(spent, "signed-in user", manager._user_callback)
    flask.templating._render = _timed(spent, "template", flask.templating._render)
    endpoint, _ = data.app.url_map.bind("localhost").match(args.path.split("?")[0])
    views = data.app.view_functions
    views[endpoint] = _timed(spent, "view (its queries, Python and template)", views[endpoint])
    client = signed_in_client(data.app, DIRECTOR, PASSWORD)
    logging.disable(logging.CRITICAL)
    for _ in range(10):
        client.get(args.path)
    spent.clear()
    total = []
    for _ in range(args.runs):
        began = time.perf_counter()
        client.get(args.path)
        total.append(1000 * (time.perf_counter() - began))
    print(f"{args.path} at {args.homes} homes: median {statistics.median(total):.2f} ms "
          f"over {args.runs} requests")
    for name, values in spent.items():
        print(f"  {name}: median {statistics.median(values):.2f} ms")
    with data.app.app_context():
        seen = _statements(db.engine, client, args.path)
    for ms, statement in seen:
        print(f"  {ms:6.2f} ms  {statement[:110]}")
    print(f"  {len(seen)} statements, {sum(ms for ms, _ in seen):.2f} ms in the driver")


if __name__ == "__main__":
    main()
