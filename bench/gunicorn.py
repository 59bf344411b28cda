"""Issue 13's figures, against real gunicorn on loopback started as production starts it
(bench/served.py), on a throwaway copy of a database of the bench's kind (--db).

- gunicorn_overview_rps_to_hello: /overview's throughput (100-home data set, each client
  signed in as a service director of its own) over a hello-world Flask app's
  (bench/hello_app.py) on the same gunicorn settings, 16 clients each; the two servers run
  side by side and are measured in alternate rounds, so a change in the machine's load falls
  on both, and neither replaces its workers meanwhile (STEADY). The clients share the cores
  with the servers: the hello figure is partly the clients' own speed, which flatters the
  ratio. The served app reads the real clock, so the page shows the real tonight (the data
  set's open stays run on past its last day).
- gunicorn_overview_p95_ms_100_homes: /overview's 95th percentile latency in those rounds.
- worker_rss_mb: the largest homes_app worker's VmRSS after those rounds (pages shared with
  the preloading master included); worker_private_mb: the largest worker's own pages.
- gunicorn_relief_race_double_bookings and gunicorn_race_5xx: 20 races in which 50 relief
  workers, each signed in, press Pick up on the same open shift at once (4 workers). Named so
  on SQLite; on PostgreSQL they (and the race's other figures) end in _postgresql.
"""
from __future__ import annotations

import os
import re
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import insert

from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.auth.two_factor import encrypt_secret
from homes_app.extensions import db

from . import copies, relief_race
from .registry import Bench, figure
from .served import Client, Server, sign_in
from .signing_in import SECRET as TOTP_SECRET

CLIENTS = 16
# Production's defaults on this machine (homes_app/gunicorn_config.py): a worker per core.
WORKERS, THREADS = max(2, os.cpu_count() or 1), 4
WARM_S, ROUND_S, ROUNDS = 2.0, 5.0, 2  # per server: warm-up, then rounds taken in turn
RACES, RACERS, RACE_WORKERS = 20, 50, 4
# Workers are not replaced while throughput is measured: after production's 2,000 requests
# the hello app's would be every second or two, the overview's not within the rounds at all.
STEADY = {"GUNICORN_MAX_REQUESTS": "0"}
DIRECTOR_PASSWORD = "bench served director password"  # noqa: S105 (a throwaway copy)
PICK_UP = r'<form method="post" action="/open-shifts/{}/pick-up"[^>]*>(.*?)</form>'
FIELD = r'name="{}" value="([^"]+)"'


def _director(n: int) -> str:
    return f"served-director{n:02d}@bench.example"


def _add_directors(url: str, n: int) -> None:
    """Service directors with a known TOTP secret, encrypted with the served app's key."""
    app, now = copies.setup_app(url), datetime.now(UTC)
    with app.app_context():
        secret, password = encrypt_secret(TOTP_SECRET), hasher.hash(DIRECTOR_PASSWORD)
        db.session.execute(insert(User), [dict(
            email=_director(i), display_name=f"Served director {i}", role="service_director",
            password_hash=password, active=True, failed_logins=0, created_at=now,
            totp_secret=secret, totp_confirmed_at=now) for i in range(n)])
        db.session.commit()
    copies.dispose(app)


def _load(clients: list[Client], path: str, seconds: float) -> tuple[float, list[float], int]:
    """Every client asks for `path` back to back for `seconds`: (requests a second, latencies
    in ms, failures: answers other than 200 and connections dropped)."""
    ready = threading.Barrier(len(clients))

    def run(client: Client):
        ready.wait()
        began, spent, bad = time.perf_counter(), [], 0
        while (start := time.perf_counter()) < began + seconds:
            try:
                bad += client.get(path)[0] != 200
            except OSError:  # dropped even when tried again: counted, and the run goes on
                bad += 1
            spent.append((time.perf_counter() - start) * 1000)
        return began, time.perf_counter(), spent, bad

    with ThreadPoolExecutor(len(clients)) as pool:
        runs = list(pool.map(run, clients))
    elapsed = max(r[1] for r in runs) - min(r[0] for r in runs)
    spent = [ms for r in runs for ms in r[2]]
    return len(spent) / elapsed, spent, sum(r[3] for r in runs)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _signed_in_directors(server: Server) -> list[Client]:
    clients = [Client(server.port) for _ in range(CLIENTS)]
    for i, client in enumerate(clients):  # one at a time: each code is a fresh account's
        sign_in(client, _director(i), DIRECTOR_PASSWORD, TOTP_SECRET)
    return clients


def _rounds(overview: list[Client], hello: list[Client]) -> dict:
    """Warm both, then the measured rounds in turn."""
    _load(overview, "/overview", WARM_S)
    _load(hello, "/", WARM_S)
    totals = {"overview": [], "hello": [], "overview_ms": [], "errors": 0}
    for _ in range(ROUNDS):
        rps, spent, bad = _load(overview, "/overview", ROUND_S)
        totals["overview"].append(rps)
        totals["overview_ms"] += spent
        totals["errors"] += bad
        rps, _spent, bad = _load(hello, "/", ROUND_S)
        totals["hello"].append(rps)
        totals["errors"] += bad
    return totals


@figure
def served_overview(bench: Bench):
    url = copies.copy_of(bench.data[100], "bench_gunicorn_overview")
    _add_directors(url, CLIENTS)
    app = Server("wsgi:app", url, WORKERS, THREADS, **STEADY)
    hello = Server("bench.hello_app:app", url, WORKERS, THREADS, **STEADY,
                   config="bench/hello_gunicorn.py", probe="/")
    try:
        totals = _rounds(_signed_in_directors(app), [Client(hello.port) for _ in range(CLIENTS)])
        rss, private = app.worker_rss_mb(), app.worker_private_mb()
    finally:
        app.stop()
        hello.stop()
        copies.remove(url)
    overview, floor = statistics.mean(totals["overview"]), statistics.mean(totals["hello"])
    yield "gunicorn_workers", WORKERS, f"workers x {THREADS} threads (gthread)"
    yield "gunicorn_overview_rps", overview, "requests/s"
    yield "gunicorn_hello_rps", floor, "requests/s"
    yield "gunicorn_overview_rps_to_hello", f"{overview / floor:.3f}", "x"
    yield "gunicorn_overview_p95_ms_100_homes", _p95(totals["overview_ms"]), "ms"
    yield "gunicorn_load_failures", totals["errors"], "requests (both servers)"
    yield "worker_rss_mb", rss, "MB"
    yield "worker_private_mb", private, "MB"


def _pick_up_form(page: str, shift_id: int) -> dict | None:
    """The hidden fields of the shift's Pick up button, as the page gave them."""
    found = re.search(PICK_UP.format(shift_id), page, re.DOTALL)
    if found is None:
        return None
    return {name: re.search(FIELD.format(name), found.group(1)).group(1)
            for name in ("csrf_token", "form_nonce")}


def _press(client: Client, shift_id: int, ready: threading.Barrier) -> str:
    """One person's go: the open-shifts page, then Pick up the moment everyone has theirs."""
    try:
        form = _pick_up_form(client.get("/open-shifts")[2], shift_id)
    finally:
        ready.wait(timeout=120)
    if form is None:
        return "not offered"
    status, target, _ = client.post(f"/open-shifts/{shift_id}/pick-up", form)
    if status == 302 and target.startswith("/my-shifts"):
        return "won"
    return "refused" if status == 200 else "5xx" if status >= 500 else f"HTTP {status}"


def _races(server: Server, shifts: list[int]) -> list[Counter]:
    clients = [Client(server.port) for _ in range(RACERS)]
    with ThreadPoolExecutor(RACERS) as pool:
        list(pool.map(lambda n: sign_in(clients[n], relief_race.email(n), relief_race.PASSWORD),
                      range(RACERS)))
        outcomes = []
        for shift_id in shifts:
            ready = threading.Barrier(RACERS)
            outcomes.append(Counter(pool.map(
                lambda c, s=shift_id, r=ready: _press(c, s, r), clients)))
    return outcomes


@figure
def served_relief_race(bench: Bench):
    like = bench.data[min(bench.data)]
    url = copies.fresh(like, "bench_gunicorn_race")
    app = copies.setup_app(url)
    shifts = relief_race.set_up(app, RACERS, RACES)
    server = Server("wsgi:app", url, RACE_WORKERS, THREADS)
    try:
        outcomes = _races(server, shifts)
    finally:
        server.stop()
    total = sum(outcomes, Counter())
    if set(total) - {"won", "refused"}:
        print(f"bench: relief race answers {dict(total)}; gunicorn's errors:\n"
              + server.errors(), file=sys.stderr)
    twice = {s for s, o in zip(shifts, outcomes, strict=True) if o["won"] > 1}
    twice |= relief_race.held_twice(app, shifts)
    left = relief_race.unclaimed(app, shifts)
    copies.dispose(app)
    copies.remove(url)
    suffix = "" if url.startswith("sqlite") else "_postgresql"
    yield (f"gunicorn_race_clients{suffix}", RACERS,
           f"clients x {RACES} races, {RACE_WORKERS} workers")
    yield f"gunicorn_relief_race_double_bookings{suffix}", len(twice), "shifts"
    yield f"gunicorn_race_5xx{suffix}", total["5xx"], "answers"
    yield f"gunicorn_race_unclaimed{suffix}", left, "shifts"
    yield f"gunicorn_race_won{suffix}", total["won"], "pick-ups"
