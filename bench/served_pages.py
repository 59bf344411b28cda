"""The pages bench/gunicorn.py serves and how it loads them: the accounts a throwaway copy is
given (service directors, and registered managers of its measured home), the four pages, and
rounds of 16 signed-in clients, the overview's taken in turn with the hello-world app's."""
from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from sqlalchemy import insert, select

from homes_app.auth.models import User, user_homes
from homes_app.auth.services import hasher
from homes_app.auth.two_factor import encrypt_secret
from homes_app.extensions import db
from homes_app.homes.models import Home

from . import copies
from .served import Client, Server, sign_in
from .signing_in import SECRET as TOTP_SECRET

CLIENTS = 16
# Production's defaults on this machine (homes_app/gunicorn_config.py): a worker per core.
WORKERS, THREADS = max(2, os.cpu_count() or 1), 4
# Per page: a warm-up, then rounds (the overview's each followed by one of hello-world's).
WARM_S, ROUND_S, ROUNDS = 2.0, 3.0, 2
# Workers are not replaced while throughput is measured: after production's 2,000 requests
# the hello app's would be every second or two, the overview's not within the rounds at all.
STEADY = {"GUNICORN_MAX_REQUESTS": "0"}
PASSWORD = "bench served password"  # noqa: S105 (a throwaway copy)
DIRECTOR, MANAGER = "service_director", "registered_manager"


@dataclass(frozen=True)
class Page:
    name: str  # gunicorn_<name>_p95_ms
    path: str
    role: str  # who asks for it
    marker: str  # text only the right page holds: a 200 of anything else is not measured


@dataclass(frozen=True)
class Site:
    """A throwaway copy's measured home: the registered one with the most places (the lowest
    id of those), whose page and rota week are served."""

    home_id: int
    home_name: str

    def pages(self) -> list[Page]:
        home, path = escape(self.home_name), f"/homes/{self.home_id}"
        return [Page("overview", "/overview", DIRECTOR, _title("Occupancy across homes")),
                Page("home_page", path, DIRECTOR, _title(home)),
                Page("rota_week", f"{path}/rota", MANAGER, _title(f"Rota: {home}")),
                # The default period (the last twelve whole months), all homes; a built report
                # offers its downloads, a refused filter does not.
                Page("occupancy_report", "/reports/occupancy", DIRECTOR, "Download as CSV")]


def _title(text: str) -> str:
    """A page's <title> as base.html writes it."""
    return f"{text} – homes_app"


@dataclass
class Measured:
    """One page's rounds: requests a second per round, every latency, the failures (answers
    other than 200, and connections dropped) and the page's size as served, uncompressed."""

    rps: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    kb: float = 0.0
    hello_rps: list[float] = field(default_factory=list)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.ms, n=20)[-1]


def email(role: str, n: int) -> str:
    return f"served-{role.split('_')[-1]}{n:02d}@bench.example"


def prepare(url: str) -> Site:
    """CLIENTS directors and CLIENTS managers of the measured home, each with a known TOTP
    secret encrypted with the served app's key; the measured home."""
    app, now = copies.setup_app(url), datetime.now(UTC)
    with app.app_context():
        home = db.session.execute(select(Home.id, Home.name).where(
            Home.registered_on.is_not(None)).order_by(Home.max_children.desc(), Home.id)).first()
        secret, password = encrypt_secret(TOTP_SECRET), hasher.hash(PASSWORD)
        db.session.execute(insert(User), [dict(
            email=email(role, i), display_name=f"Served {role} {i}", role=role,
            password_hash=password, active=True, failed_logins=0, created_at=now,
            totp_secret=secret, totp_confirmed_at=now)
            for role in (DIRECTOR, MANAGER) for i in range(CLIENTS)])
        managers = db.session.scalars(select(User.id).where(User.email.like("served-manager%")))
        db.session.execute(insert(user_homes), [dict(user_id=m, home_id=home.id)
                                                for m in managers])
        db.session.commit()
    copies.dispose(app)
    return Site(home.id, home.name)


def signed_in(server: Server) -> dict[str, list[Client]]:
    """CLIENTS browsers per role, signed in through the real pages."""
    clients = {}
    for role in (DIRECTOR, MANAGER):
        clients[role] = [Client(server.port) for _ in range(CLIENTS)]
        for i, client in enumerate(clients[role]):  # one at a time: each code is fresh
            sign_in(client, email(role, i), PASSWORD, TOTP_SECRET)
    return clients


def load(clients: list[Client], path: str, seconds: float) -> tuple[float, list[float], Counter]:
    """Every client asks for `path` back to back for `seconds`: (requests a second, latencies
    in ms, failures by what came back)."""
    ready = threading.Barrier(len(clients))

    def run(client: Client):
        ready.wait()
        began, spent, bad = time.perf_counter(), [], Counter()
        while (start := time.perf_counter()) < began + seconds:
            try:
                status = client.get(path)[0]
                if status != 200:
                    bad[f"HTTP {status}"] += 1
            except OSError:  # dropped even when tried again: counted, and the run goes on
                bad["dropped"] += 1
            spent.append((time.perf_counter() - start) * 1000)
        return began, time.perf_counter(), spent, bad

    with ThreadPoolExecutor(len(clients)) as pool:
        runs = list(pool.map(run, clients))
    elapsed = max(r[1] for r in runs) - min(r[0] for r in runs)
    spent = [ms for r in runs for ms in r[2]]
    return len(spent) / elapsed, spent, sum((r[3] for r in runs), Counter())


def measure(clients: list[Client], page: Page, hello: list[Client] | None = None) -> Measured:
    """One look at the page (its size, and that it is the page), a warm-up, then the rounds;
    with `hello`, each round is followed by one of hello-world's."""
    status, _, body = clients[0].get(page.path)
    if status != 200:
        raise RuntimeError(f"GET {page.path} gave HTTP {status}")
    if page.marker not in body:
        print(f"bench: GET {page.path} lacks {page.marker!r}: not the page expected",
              file=sys.stderr)
    got = Measured(kb=len(body.encode()) / 1024)
    got.failures += load(clients, page.path, WARM_S)[2]
    if hello:
        got.failures += load(hello, "/", WARM_S)[2]
    for _ in range(ROUNDS):
        rps, spent, bad = load(clients, page.path, ROUND_S)
        got.rps.append(rps)
        got.ms += spent
        got.failures += bad
        if hello:
            rps, _, bad = load(hello, "/", ROUND_S)
            got.hello_rps.append(rps)
            got.failures += bad
    return got


def measure_site(server: Server, site: Site, hello: list[Client]) -> dict[str, Measured]:
    """Each page in turn on one server, by the role that opens it."""
    clients = signed_in(server)
    return {page.name: measure(clients[page.role], page, hello if page.name == "overview"
                               else None) for page in site.pages()}
