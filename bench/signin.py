"""Issue 20's figure: a failed sign-in costs the same whether the email address has an account
or not (F8), so the time of the answer cannot tell which addresses have accounts.

- signin_unknown_to_known_ratio: the median time of a failed sign-in (a wrong password) for an
  unknown email address over the median for a real account, taken in turn in the same run
  through the Flask test client (each POST alone is timed); it should lie between 0.8 and 1.25.
- signin_known_failed_ms, signin_unknown_failed_ms: those two medians.

On a fresh, empty database of the bench's kind (bench/copies.py). Each way is 30 wrong
passwords in a row, as an attacker would send them: after the fifth the account (and the
unknown address, counted alike) is locked, the path whose shortcut the penetration test timed
(9 against 32 ms). The per-address slow-down is set out of reach, or it would answer both
before any password is checked.
"""
from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import insert

from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.extensions import db
from tests.helpers import hidden_fields

from . import copies
from .dataset import bench_app
from .registry import Bench, figure

ATTEMPTS = 30  # each way, at least (more if --runs asks for more)
KNOWN, UNKNOWN = "known@bench.example", "unknown@bench.example"
PASSWORD = "the bench account's password"  # noqa: S105 (a throwaway database)
OUT_OF_REACH = {"ADDRESS_MAX_FAILURES": 10**6}
REFUSED = (b"Enter a correct email address and password", b"Too many failed attempts")


@figure
def failed_sign_in_times(bench: Bench):
    url = copies.fresh(bench.data[min(bench.data)], "bench_signin")
    app = bench_app(url, **OUT_OF_REACH)
    try:
        with app.app_context():
            _add_account()
        known, unknown = _failed_sign_ins(app, max(ATTEMPTS, bench.runs))
    finally:
        copies.dispose(app)
        copies.remove(url)
    yield "signin_unknown_to_known_ratio", unknown / known, "ratio"
    yield "signin_known_failed_ms", known, "ms"
    yield "signin_unknown_failed_ms", unknown, "ms"


def _add_account() -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(User.__table__), [dict(
            email=KNOWN, display_name="Bench account", role="home_staff",
            password_hash=hasher.hash(PASSWORD), active=True, failed_logins=0,
            locked_until=None, created_at=datetime.now(UTC))])


def _failed_sign_ins(app, attempts: int) -> tuple[float, float]:
    """Median ms of a wrong password for the real account and for the unknown address, taken
    in turn (after one untimed warm-up each) so a change in the machine's load falls on both."""
    client = app.test_client()
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for round_ in range(attempts + 1):
        for email, spent in times.items():
            fields = hidden_fields(client.get("/sign-in").get_data(as_text=True))
            began = time.perf_counter()
            response = client.post("/sign-in", data={**fields, "email": email,
                                                      "password": "not the password"})
            took = (time.perf_counter() - began) * 1000
            if response.status_code != 200 or not any(r in response.data for r in REFUSED):
                raise RuntimeError(f"a failed sign-in for {email} gave "
                                   f"{response.status_code}, not the usual refusal")
            if round_:
                spent.append(took)
    return statistics.median(times[KNOWN]), statistics.median(times[UNKNOWN])
