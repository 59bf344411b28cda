"""Structured logs: one JSON object a line on standard output, each with the request's id.

Logs carry ids, never a child's name, case reference or date of birth: paths hold only numeric
ids, and the database engine hides statement parameters from error messages."""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

LOGGER = "homes_app"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
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

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return redact(super().formatException(ei))

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        return redact(super().formatMessage(record))


def redact(text: str) -> str:
    for pattern, replacement in _DATABASE_DETAILS:
        text = pattern.sub(replacement, text)
    return text


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(RedactingJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    return handler


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
        if request.endpoint not in ("static", "govuk_assets"):
            logger.info("request", extra={
                "method": request.method, "path": request.path,
                "status": response.status_code, "endpoint": request.endpoint,
                "user_id": getattr(current_user, "id", None),
                "ms": round(1000 * (time.perf_counter() - g.get("request_started", 0)), 1)})
        return response
