"""Real-browser fixtures: the app served on a loopback port, driven by Playwright in Debian's Chromium.

The server runs in a thread of the test process, against the same per-test database as the
`app` fixture (a copied SQLite file, or the truncated PostgreSQL database), so it sees what the
factories commit and the frozen clock. Each request gets its own app context and connection.

On SQLite, a test that touches ORM attributes after a commit opens a write transaction that
blocks the server's writes: read what you need into plain values, then call `release_db()`.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from homes_app.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; missing Chromium fails under CI, skips locally."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: install Debian's chromium (make test does it)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        yield browser
        browser.close()


class LiveServer:
    """werkzeug's server for `app` on a free port, serving from a background thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def release_db(app):
    """End the test thread's transaction so the server thread can write."""

    def release() -> None:
        db.session.commit()
        db.session.close()

    return release


class NetworkLog:
    """Every request that failed or answered 4xx/5xx while the page was open."""

    def __init__(self):
        self.bad: list[str] = []

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.bad.append(f"{response.status} {response.request.method} {response.url}")

    def on_failed(self, request) -> None:
        # A navigation cancels what the old page was still fetching (e.g. its favicon): that is
        # the browser's doing, not a failed request.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.bad.append(f"failed ({request.failure}) {request.method} {request.url}")


@pytest.fixture
def network() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def page(browser, live_server, network, request):
    """A fresh browser context on the live server; a screenshot is kept if the test fails."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                      "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("response", network.on_response)
    page.on("requestfailed", network.on_failed)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def sign_in(page, make):
    """Sign a user in through the real sign-in page, with a code from the factory's TOTP secret
    when two-factor is on; returns after the redirect lands. A used time step is refused, so a
    second sign-in of one person (the clock is frozen) takes the next step's code."""
    used: dict[str, int] = {}
    default_page = page

    def go(email: str, password: str = make.PASSWORD, on=None) -> None:
        page = on or default_page  # `on`: a page of another browser context
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if "/sign-in/two-factor" in page.url:
            import pyotp

            from homes_app import clock
            from homes_app.auth.two_factor import STEP_SECONDS, step_at

            step = max(step_at(clock.utcnow()) - 1, used.get(email, -1) + 1)
            used[email] = step
            page.get_by_label("Code").fill(pyotp.TOTP(make.TOTP_SECRET).at(step * STEP_SECONDS))
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
        assert "/sign-in" not in page.url, page.locator("main").inner_text()

    return go


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot as test-results/NAME.png (git-ignored); returns the path."""

    def take(name: str) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
