"""homes_app served as production serves it: gunicorn with gunicorn.conf.py, four workers, behind
one (pretend) TLS proxy. The workers answer pages and start no scheduler; gunicorn's own logs
are the app's JSON lines; no header names the server software."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from homes_app import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
TOKEN = "scrape-token-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, process: subprocess.Popen, port: int, logs: Path):
        self.process, self.port, self.logs = process, port, logs

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={
            "X-Forwarded-Proto": "https", **(headers or {})})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read()

    def workers(self) -> list[int]:
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                              if ":\t" in line)
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                found.append(int(status.parent.name))
        return found

    def log_lines(self, name: str) -> list[dict]:
        return [json.loads(line) for line in (self.logs / name).read_text().splitlines()
                if line.startswith("{")]


@pytest.fixture
def served(database_url, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HOMES_DEVELOPMENT"}
    env.update(SECRET_KEY="s" * 32, BASE_URL="https://homes.council.example",
               DATABASE_URL=database_url, TRUSTED_PROXIES="1", GUNICORN_WORKERS="4",
               GUNICORN_THREADS="2", GUNICORN_BIND=f"127.0.0.1:{port}",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"), METRICS_TOKEN=TOKEN)
    with open(tmp_path / "stdout", "w") as out, open(tmp_path / "stderr", "w") as err:
        process = subprocess.Popen([str(GUNICORN), "--config", "gunicorn.conf.py", "wsgi:app"],
                                   cwd=ROOT, env=env, stdout=out, stderr=err)
    server = Served(process, port, tmp_path)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=40)


def _wait_until_serving(server: Served) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError("gunicorn stopped:\n" + (server.logs / "stderr").read_text())
        try:
            server.get("/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 60 s")


def test_four_workers_serve_pages_and_start_no_scheduler(served, database_url):
    for _ in range(20):
        assert served.get("/sign-in")[0] == 200
    assert len(served.workers()) == 4
    time.sleep(2)  # a scheduler would have taken its lease at once
    engine = create_engine(database_url)
    with engine.connect() as conn:
        leases = conn.execute(text("SELECT count(*) FROM scheduler_leases")).scalar()
        runs = conn.execute(text("SELECT count(*) FROM job_runs")).scalar()
    engine.dispose()
    assert (leases, runs) == (0, 0)
    logged = (served.logs / "stdout").read_text() + (served.logs / "stderr").read_text()
    assert "Scheduler" not in logged and "apscheduler" not in logged.lower()


def test_access_and_error_logs_are_the_apps_json_lines_with_no_server_header(served):
    status, headers, body = served.get("/sign-in", {"X-Request-Id": "trace-12345678"})
    assert status == 200 and b"govuk-template" in body
    assert "Server" not in headers and headers["X-Request-Id"] == "trace-12345678"
    session_cookie = next(c for c in headers.get_all("Set-Cookie")
                          if c.startswith("__Host-session="))
    assert "Secure" in session_cookie  # https, as the proxy said, so a secure cookie
    served.process.terminate()  # flushes the logs
    served.process.wait(timeout=40)
    access = [r for r in served.log_lines("stdout") if r["logger"] == "gunicorn.access"]
    line = next(r for r in access if r["request_id"] == "trace-12345678")
    assert (line["route"], line["endpoint"], line["status"], line["method"]) == \
        ("/sign-in", "auth.login", 200, "GET")
    assert line["time"].endswith("Z") and line["level"] == "INFO" and line["ms"] >= 0
    assert "path" not in line and "/sign-in" not in json.dumps(
        {k: v for k, v in line.items() if k != "route"})
    errors = served.log_lines("stderr")
    assert any(r["logger"] == "gunicorn.error" and "Booting worker" in r["message"]
               for r in errors)
    assert all(r["time"].endswith("Z") for r in errors + access)


def test_static_files_come_compressed_cached_for_a_year_and_not_in_the_access_log(served):
    """WhiteNoise answers them ahead of Flask (homes_app/static_assets.py), so gunicorn's access
    log is told they are static files, as it was when Flask served them."""
    page = served.get("/sign-in")[2].decode()
    stylesheet = re.search(r'href="(/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', page)[1]
    status, headers, body = served.get(stylesheet, {"Accept-Encoding": "gzip, br"})
    assert (status, headers["Content-Encoding"]) == (200, "br") and len(body) < 20_000
    assert headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert "Server" not in headers and "Set-Cookie" not in headers
    served.process.terminate()  # flushes the logs
    served.process.wait(timeout=40)
    access = [r for r in served.log_lines("stdout") if r["logger"] == "gunicorn.access"]
    assert [r["endpoint"] for r in access if r["endpoint"] != "ops.healthz"] == ["auth.login"]


GUNICORN_SECRETS = ["LinkTokenG1", "FeedTokenG2", "QueryTokenG3", "QueryCodeG4", "UnknownG5",
                    "RawLinkG6", "RawQueryG7"]


def test_gunicorn_logs_no_link_token_query_value_or_unknown_path(served):
    for path, expected in (("/set-password/LinkTokenG1", {410}),
                           ("/calendar/1/FeedTokenG2.ics", {401, 404}),
                           ("/sign-in?token=QueryTokenG3&code=QueryCodeG4", {200}),
                           ("/no-such-page/UnknownG5", {404})):
        try:
            status = served.get(path)[0]
        except urllib.error.HTTPError as refused:
            status = refused.code
        assert status in expected, path
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        # A malformed request line, which gunicorn itself refuses and logs.
        raw.sendall(b"GET /set-password/RawLinkG6?token=RawQueryG7\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    served.process.terminate()  # flushes the logs
    served.process.wait(timeout=40)
    logged = (served.logs / "stdout").read_text() + (served.logs / "stderr").read_text()
    for secret in GUNICORN_SECRETS:
        assert secret not in logged, secret
    access = [r for r in served.log_lines("stdout") if r["logger"] == "gunicorn.access"]
    assert [r["route"] for r in access if r["status"] == 404] == ["unmatched"]
    assert any("Invalid request" in r["message"] and "/set-password/<token>?token=(withheld)"
               in r["message"] for r in served.log_lines("stderr"))


def test_metrics_sum_every_workers_requests_by_route_name(served):
    for _ in range(40):
        served.get("/sign-in")
        served.get("/healthz")
    assert len(served.workers()) == 4
    counted = set()
    for _ in range(8):  # whichever worker answers the scrape, it reports all four's counts
        _status, _headers, body = served.get("/metrics", {"Authorization": f"Bearer {TOKEN}"})
        found = {(s.name, tuple(sorted(s.labels.items()))): s.value
                 for f in text_string_to_metric_families(body.decode()) for s in f.samples}
        counted.add(found[("homes_app_http_requests_total",
                           (("method", "GET"), ("route", "auth.login"), ("status", "200")))])
        assert found[("homes_app_http_requests_total",
                      (("method", "GET"), ("route", "ops.healthz"), ("status", "200")))] == 41  # and the wait's
    assert counted == {40}
