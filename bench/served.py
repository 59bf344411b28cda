"""Real gunicorn on loopback for the bench (bench/gunicorn.py): a server started as production
starts it (gunicorn.conf.py, settings from the environment, no HOMES_DEVELOPMENT) behind a
pretend TLS proxy, and keep-alive clients that each keep their own cookies, as tests/
test_serving.py does."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyotp

from homes_app import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "bench-served-secret-key-of-32-bytes-or-more"  # noqa: S105 (throwaway servers)
# Under gunicorn.conf.py's keep-alive (5 s): a connection idle this long is opened afresh
# rather than sent on after the server may have closed it.
IDLE_S = 4.0
ATTEMPTS = 3
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn master and its workers; `stop()` ends them (SIGTERM to the master)."""

    def __init__(self, app: str, database_url: str, workers: int, threads: int, *,
                 config: str = "gunicorn.conf.py", probe: str = "/healthz", **environ: str):
        self.port, self.dir = free_port(), Path(tempfile.mkdtemp(prefix="homes-bench-gunicorn-"))
        env = {k: v for k, v in os.environ.items() if k != "HOMES_DEVELOPMENT"}
        env.update(SECRET_KEY=SECRET_KEY, BASE_URL="https://homes.bench.example",
                   DATABASE_URL=database_url, TRUSTED_PROXIES="1",
                   GUNICORN_WORKERS=str(workers), GUNICORN_THREADS=str(threads),
                   GUNICORN_BIND=f"127.0.0.1:{self.port}",
                   PROMETHEUS_MULTIPROC_DIR=str(self.dir / "metrics"), **environ)
        with open(self.dir / "stdout", "w") as out, open(self.dir / "stderr", "w") as err:
            self.process = subprocess.Popen([str(GUNICORN), "--config", config, app],
                                            cwd=ROOT, env=env, stdout=out, stderr=err)
        self._wait(workers, probe)

    def _wait(self, workers: int, path: str) -> None:
        """Until `path` answers and every worker has booted (preload_app: they fork fast)."""
        deadline, probe = time.monotonic() + 60, Client(self.port)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped:\n" + self.log("stderr")[-3000:])
            try:
                if probe.get(path)[0] == 200 and len(self.workers()) == workers:
                    return probe.conn.close()
            except OSError:
                probe.conn.close()
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def log(self, name: str) -> str:
        return (self.dir / name).read_text()

    def workers(self) -> list[int]:
        return [pid for pid, fields in _processes() if fields.get("PPid") == str(self.process.pid)]

    def worker_rss_mb(self) -> float:
        """The largest worker's resident memory (VmRSS: its shared pages included)."""
        return max(_rss_kb(pid) for pid in self.workers()) / 1024

    def worker_private_mb(self) -> float:
        """The largest worker's pages of its own (copied on write from the preloading master,
        or new): what each further worker costs."""
        return max(_private_kb(pid) for pid in self.workers()) / 1024

    def stop(self) -> None:
        """End the server; its log's lines above INFO are kept for errors(), the rest go."""
        self.process.terminate()
        self.process.wait(timeout=40)
        self._errors = [line for line in self.log("stderr").splitlines()
                        if '"level": "INFO"' not in line]
        shutil.rmtree(self.dir, ignore_errors=True)

    def errors(self, last: int = 40) -> str:
        return "\n".join(self._errors[-last:])


def _processes():
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        yield int(status.parent.name), dict(
            (k, v.strip()) for k, v in (line.split(":", 1) for line in lines if ":" in line))


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _private_kb(pid: int) -> int:
    lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    return sum(int(line.split()[1]) for line in lines if line.startswith("Private_"))


class Client:
    """One person's browser: a keep-alive connection, their cookies, and https as the proxy
    tells the app (X-Forwarded-Proto; the CSRF check wants a same-site https Referer)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.origin, self.cookies, self.used = f"https://127.0.0.1:{port}", {}, 0.0

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str, str]:
        return self.request("POST", path, urlencode(form))

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        """(status, Location path or "", body text)."""
        headers = {"X-Forwarded-Proto": "https", "Referer": self.origin + "/"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if time.monotonic() - self.used > IDLE_S:
            self.conn.close()
        response = self._send(method, path, body, headers)
        data = response.read()
        self.used = time.monotonic()
        self._keep(response.msg.get_all("Set-Cookie") or [])
        location = urlsplit(response.getheader("Location") or "")
        target = location.path + (f"?{location.query}" if location.query else "")
        return response.status, target, data.decode()

    def _send(self, method, path, body, headers) -> http.client.HTTPResponse:
        """Again on a fresh connection if the server closed this one before answering (a
        worker replaced after max_requests closes its idle connections, and one on its way
        out can reset a new one): gunicorn finishes every request it has read."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.conn.request(method, path, body, headers)
                return self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)


def csrf_token(page: str) -> str:
    return CSRF.search(page).group(1)


def sign_in(client: Client, email: str, password: str, totp_secret: str | None = None) -> None:
    """Through the real pages: the password, then (a role that requires it) a TOTP code."""
    page = client.get("/sign-in")[2]
    status, target, _ = client.post("/sign-in", {"email": email, "password": password,
                                                 "csrf_token": csrf_token(page)})
    if status == 302 and "/two-factor" in target and totp_secret:
        page = client.get(target)[2]
        status, target, _ = client.post(target, {"code": pyotp.TOTP(totp_secret).now(),
                                                 "csrf_token": csrf_token(page)})
    if status != 302 or target.startswith("/sign-in"):
        raise RuntimeError(f"{email} could not sign in (HTTP {status}, to {target!r})")
