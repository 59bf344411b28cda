"""Issue 13's and issue 21's figures, against real gunicorn on loopback started as production
starts it (bench/served.py), on throwaway databases of the bench's kind (--db).

The page figures come from one run: a hello-world Flask app (bench/hello_app.py) on the same
gunicorn settings, and homes_app on each data set in turn (one server each): the demo council
(`flask demo-data`, as `make run` loads it: six homes, a staffed rota), a copy of the 100-home
data set and, with BENCH_HOMES=500, of the 500-home one. Figures with no size in their name
are on the demo data; the others end _100_homes or _500_homes. Each page has 16 clients
signed in (bench/served_pages.py), a 2 s warm-up and two 3 s rounds; /overview's rounds are
each followed by one of hello-world's, 16 clients too, so a change in the machine's load falls
on both. Neither server replaces its workers meanwhile (STEADY). The clients share the cores
with the servers: the hello figure is partly the clients' own speed, which flatters the
ratio. The served app reads the real clock, so pages show the real today (the generated data
sets' open stays run on past their last day).

- gunicorn_overview_rps_to_hello: /overview's requests a second (service directors) over
  hello-world's in the rounds beside it; gunicorn_overview_rps and gunicorn_hello_rps are the
  two means. _100_homes (and _500_homes): the same on the larger data sets.
- gunicorn_<page>_p95_ms and _rps: the 95th percentile latency and mean requests a second of
  overview, home_page (/homes/<id> of the registered home with the most places, service
  directors), rota_week (/homes/<id>/rota, this week, of that home, its registered managers:
  the fullest view; the generated data sets have no staff or shifts, so there it shows only
  that the page does not grow with the homes) and occupancy_report (/reports/occupancy, the
  default period, all homes, service directors); gunicorn_occupancy_report_kb: its HTML as
  served (no compression asked for).
- gunicorn_load_failures: answers other than 200, and connections dropped, on that data set's
  pages and the hello rounds beside them (warm-ups included). Any is also printed with its
  kind, and gunicorn's error log lines, to stderr.
- worker_rss_mb: the largest homes_app worker's VmRSS after the 100-home rounds (pages shared
  with the preloading master included); worker_private_mb: the largest worker's own pages.
- gunicorn_relief_race_double_bookings and gunicorn_race_5xx: 20 races in which 50 relief
  workers, each signed in, press Pick up on the same open shift at once (4 workers). Named so
  on SQLite; on PostgreSQL they (and the race's other figures) end in _postgresql, while the
  page figures keep their names on both.
"""
from __future__ import annotations

import re
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from . import copies, relief_race
from .registry import STANDARD, Bench, figure, homes
from .served import Client, Server, sign_in
from .served_pages import CLIENTS, STEADY, THREADS, WORKERS, Measured, measure_site, prepare

RACES, RACERS, RACE_WORKERS = 20, 50, 4
PICK_UP = r'<form method="post" action="/open-shifts/{}/pick-up"[^>]*>(.*?)</form>'
FIELD = r'name="{}" value="([^"]+)"'
DEMO = 0  # the data set key of the demo council, beside the bench's sizes


@figure
def served_pages(bench: Bench):
    hello = Server("bench.hello_app:app", "sqlite://", WORKERS, THREADS, **STEADY,
                   config="bench/hello_gunicorn.py", probe="/")
    try:
        hello_clients = [Client(hello.port) for _ in range(CLIENTS)]
        yield "gunicorn_workers", WORKERS, f"workers x {THREADS} threads (gthread)"
        for size in (DEMO, STANDARD, *bench.larger):
            yield from _served(bench, size, hello_clients)
    finally:
        hello.stop()


def _served(bench: Bench, size: int, hello: list[Client]):
    """One data set's page figures, on a throwaway database and a server of its own."""
    began, like = time.perf_counter(), bench.data[STANDARD]
    url = (copies.demo(like, "bench_gunicorn_demo") if size == DEMO
           else copies.copy_of(bench.data[size], f"bench_gunicorn_{size}"))
    site = prepare(url)
    app = Server("wsgi:app", url, WORKERS, THREADS, **STEADY)
    try:
        pages = measure_site(app, site, hello)
        memory = (app.worker_rss_mb(), app.worker_private_mb()) if size == STANDARD else None
    finally:
        app.stop()
        copies.remove(url)
    failures, data = sum((m.failures for m in pages.values()), Counter()), \
        "the demo data" if size == DEMO else f"{size} homes"
    if failures:
        print(f"bench: served pages on {data} failed {dict(failures)}; gunicorn's errors:\n"
              + app.errors(), file=sys.stderr)
    print(f"bench: served pages on {data} in {time.perf_counter() - began:.0f} s",
          file=sys.stderr)
    suffix = "" if size == DEMO else f"_{homes(size)}"
    yield from _figures(suffix, pages)
    yield (f"gunicorn_load_failures{suffix}", sum(failures.values()),
           "requests (these pages and hello beside them)")
    if memory:
        yield "worker_rss_mb", memory[0], "MB"
        yield "worker_private_mb", memory[1], "MB"


def _figures(suffix: str, pages: dict[str, Measured]):
    overview = pages["overview"]
    rps, floor = statistics.mean(overview.rps), statistics.mean(overview.hello_rps)
    yield f"gunicorn_hello_rps{suffix}", floor, "requests/s"
    yield f"gunicorn_overview_rps_to_hello{suffix}", f"{rps / floor:.3f}", "x"
    for name, got in pages.items():
        yield f"gunicorn_{name}_rps{suffix}", statistics.mean(got.rps), "requests/s"
        yield f"gunicorn_{name}_p95_ms{suffix}", got.p95_ms, "ms"
    yield f"gunicorn_occupancy_report_kb{suffix}", pages["occupancy_report"].kb, "KB"


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
