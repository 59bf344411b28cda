"""homes_app under gunicorn (gunicorn.conf.py): its access and error logs as the app's JSON
lines, no Server header, and no database connection shared across a fork.

Only gunicorn.conf.py imports this module; the app itself never needs gunicorn."""
from __future__ import annotations

from gunicorn.glogging import Logger
from gunicorn.http.wsgi import Response

from .extensions import db
from .logs import ENVIRON_KEY, UNMATCHED, RequestIdFilter, json_formatter


class JsonLogger(Logger):
    """gunicorn's logger, writing JSON lines: the access log carries the request's route name,
    status, milliseconds, user id and request id that the app put in the WSGI environ, never
    the path; the error log's messages are redacted as the app's are (logs.redact)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(json_formatter())
                if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
                    handler.addFilter(RequestIdFilter())

    def access(self, resp, req, environ, request_time) -> None:
        if self.cfg.accesslog is None:
            return
        # A request the app never answered (gunicorn refused it) is logged by no path either.
        fields = dict(environ.get(ENVIRON_KEY) or {"method": environ.get("REQUEST_METHOD"),
                                                   "route": UNMATCHED, "endpoint": UNMATCHED})
        if fields.get("endpoint") in ("static", "govuk_assets"):
            return
        fields.update(status=resp.status_code, bytes=getattr(resp, "sent", None),
                      ms=round(request_time.total_seconds() * 1000, 1))
        self.access_log.info("request", extra=fields)


def drop_server_header() -> None:
    """gunicorn always names itself in a Server header; say nothing about the software."""
    default_headers = Response.default_headers
    if getattr(default_headers, "homes_app", False):
        return

    def headers(self) -> list[str]:
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    headers.homes_app = True
    Response.default_headers = headers


def forget_inherited_connections(app) -> None:
    """After a fork: the master loaded the app (preload_app), so its pooled connections, if
    any, must not be used by two processes at once. Dispose without closing the master's."""
    with app.app_context():
        db.engine.dispose(close=False)
