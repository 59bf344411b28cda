"""Prometheus metrics (docs/monitoring.md): requests by route name and status, their latency,
and, read from the database when scraped, job runs, the email outbox and signed-in sessions.

Under gunicorn every worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR and a
scrape of any worker sums them all (prometheus_client's multiprocess mode). /metrics is served
only to a request bearing METRICS_TOKEN; with no token set it is not served at all."""
from __future__ import annotations

import hmac
import os
import time
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .. import clock
from . import gauges

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
# By route name (the endpoint), never the path: ids in paths would make a series per child.
REQUESTS = Counter("homes_app_http_requests", "Requests answered, by route name and status",
                   ["route", "method", "status"])
LATENCY = Histogram("homes_app_http_request_duration_seconds",
                    "Time to answer a request, by route name", ["route", "method"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))

bp = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.before_request
    def _started():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        route, method = request.endpoint or "unmatched", request.method
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        if "metrics_started" in g:
            LATENCY.labels(route, method).observe(time.perf_counter() - g.metrics_started)
        return response


@bp.get("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), str(token).encode()):
        return "A bearer token is needed (METRICS_TOKEN)\n", 401, {
            "WWW-Authenticate": "Bearer", "Cache-Control": "no-store"}
    return generate_latest(_registry()), 200, {"Content-Type": CONTENT_TYPE_LATEST,
                                               "Cache-Control": "no-store"}


def _registry() -> CollectorRegistry:
    """This scrape's metrics: every worker's (or this process's) counts, then the database's."""
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get(MULTIPROCESS):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Database())
    return registry


class _ThisProcess(Collector):
    def collect(self):
        yield from REGISTRY.collect()


class _Database(Collector):
    """Read at scrape time: the same from whichever worker answers."""

    def collect(self):
        now = clock.utcnow()
        found = gauges.read(now)
        runs = GaugeMetricFamily("homes_app_job_runs", "Job runs kept (JOB_RUN_KEEP_DAYS), by "
                                 "job and outcome", labels=["job", "outcome"])
        for (job, outcome), count in sorted(found.job_runs.items()):
            runs.add_metric([job, outcome], count)
        yield runs
        success = GaugeMetricFamily("homes_app_job_last_success_timestamp_seconds",
                                    "When each job last succeeded (Unix time)", labels=["job"])
        for job, moment in sorted(found.last_success.items()):
            success.add_metric([job], moment.timestamp())
        yield success
        yield _gauge("homes_app_outbox_depth", "Emails waiting to be sent", found.outbox_depth)
        yield _gauge("homes_app_outbox_oldest_age_seconds",
                     "Age of the oldest email waiting (0 when none)",
                     _age(found.outbox_oldest, now))
        yield _gauge("homes_app_active_sessions", "Signed-in sessions that have not run out",
                     found.active_sessions)
        yield _gauge("homes_app_scheduler_heartbeat_age_seconds",
                     "Seconds since the leading scheduler renewed its lease (-1: never)",
                     _age(found.heartbeat, now) if found.heartbeat else -1)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _age(moment: datetime | None, now: datetime) -> float:
    return max(0.0, (now - moment).total_seconds()) if moment else 0.0


# ---- gunicorn's hooks (homes_app/gunicorn_config.py) ---------------------------------------

def prepare_multiprocess_dir() -> None:
    """At server start: the folder exists and holds no counts from an earlier run."""
    folder = Path(os.environ[MULTIPROCESS])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def worker_exited(pid: int) -> None:
    """A worker has gone: its gauges stop counting (counters keep their totals)."""
    if os.environ.get(MULTIPROCESS):
        multiprocess.mark_process_dead(pid)
