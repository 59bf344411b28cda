"""Running homes_app in production, wired into create_app: /healthz and /readyz, Prometheus
metrics, error reports."""
from flask import Flask

from . import error_reports, metrics
from .health import bp as health_bp

# Open without signing in: probes and metrics (the last behind METRICS_TOKEN).
OPERATOR_ENDPOINTS = frozenset({"ops.healthz", "ops.readyz", "metrics.metrics"})


def init_app(app: Flask) -> None:
    app.register_blueprint(health_bp)
    metrics.init_app(app)
    error_reports.init_app(app)
