"""Structured logs: one JSON object a line on standard output, each with an ISO 8601 UTC time,
level, logger and the request's id; gunicorn's access and error logs take the same shape
(homes_app/serving.py).

Logs carry ids, never a child's name, case reference or date of birth: a request is logged by
its route's name and pattern (never the path or query string it was asked with), a user by id
(never email), and the database engine hides statement parameters from error messages."""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

LOGGER = "homes_app"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # gunicorn's access log passes its own
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


# What a database puts into its own error messages: the offending row's values.
_DATABASE_DETAILS = [
    (re.compile(r"^(\s*)DETAIL:.*$", re.MULTILINE), r"\1DETAIL: (withheld)"),
    (re.compile(r"Key \(([^)]*)\)=\((?:[^()]|\([^)]*\))*\)"), r"Key (\1)=(withheld)"),
    (re.compile(r"\[parameters: .*?\]$", re.MULTILINE), "[parameters withheld]"),
    (re.compile(r"^(\s*)Failing row contains.*$", re.MULTILINE), r"\1Failing row withheld"),
]


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines whose tracebacks keep the error but not the values a database quoted."""

    def formatTime(self, record: logging.LogRecord, datefmt=None) -> str:  # noqa: N802
        # UTC with milliseconds, as every log store reads it, whatever the host's zone.
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return redact(super().formatException(ei))

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        return redact(super().formatMessage(record))


def redact(text: str) -> str:
    for pattern, replacement in _DATABASE_DETAILS:
        text = pattern.sub(replacement, text)
    return text


def json_formatter() -> logging.Formatter:
    return RedactingJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    return handler


# Under gunicorn its access log writes the request's line, with these fields (serving.py).
ENVIRON_KEY = "homes_app.request_log"


def init_app(app: Flask) -> None:
    logger = logging.getLogger(LOGGER)
    if not any(getattr(h, "homes_json", False) for h in logger.handlers):
        handler = json_handler()
        handler.homes_json = True
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:  # a caller (e.g. the bench) may have chosen one
            logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        fields = request_fields(response.status_code)
        request.environ[ENVIRON_KEY] = fields
        quiet = request.endpoint in ("static", "govuk_assets")
        if not quiet and "gunicorn.socket" not in request.environ:
            logger.info("request", extra=fields)
        return response


def request_fields(status: int) -> dict:
    """What a request's log line says: its route, never the path it was asked with."""
    return {"method": request.method, "status": status,
            "route": request.url_rule.rule if request.url_rule else None,
            "endpoint": request.endpoint, "user_id": signed_in_user_id(),
            "request_id": g.get("request_id", "-"),
            "ms": round(1000 * (time.perf_counter() - g.get("request_started", 0)), 1)}


def signed_in_user_id() -> int | None:
    """The id of whoever this request has already found signed in, without looking them up:
    a lookup touches their session row, which /healthz and /readyz must never do."""
    return getattr(g.get("_login_user"), "id", None) if has_request_context() else None
