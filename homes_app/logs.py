"""Structured logs: one JSON object a line on standard output, each with an ISO 8601 UTC time,
level, logger and the request's id; gunicorn's access and error logs take the same shape
(homes_app/serving.py).

Logs carry ids, never a child's name, case reference or date of birth: a request is logged by
its route's name and pattern (never the path or query string it was asked with; "unmatched" for
a path no route knows), a user by id (never email), and the database engine hides statement
parameters from error messages. Where a message quotes a path anyway (an error's text, gunicorn
on a malformed request, the development server's request lines), a link's secret (a
set-password token, a calendar feed's token) is replaced by its route's pattern and every query
value is withheld: redact()."""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from types import MethodType

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import inspect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

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


# The paths of the routes whose words are secrets, learnt from the app's routes (learn_routes):
# e.g. /set-password/<token>. Each is written as its pattern wherever a message quotes it.
_SECRET_PATHS: dict[str, re.Pattern] = {}
_QUERY_VALUE = re.compile(r"([?&][\w.~%\[\]-]*=)[^&#\s\"'<>]*")
WITHHELD = "(withheld)"
UNMATCHED = "unmatched"  # a path no route knows: what it asked for is not logged
_URL_MAP: dict[str, Map] = {}  # the app's routes, for route_of()


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines whose tracebacks keep the error but not the values a database quoted, and
    whose messages quote no link's secret nor any query value."""

    def formatTime(self, record: logging.LogRecord, datefmt=None) -> str:  # noqa: N802
        # UTC with milliseconds, as every log store reads it, whatever the host's zone.
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return redact(super().formatException(ei))

    def process_log_record(self, log_data: dict) -> dict:
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in log_data.items()}


def redact(text: str) -> str:
    """`text` without the values a database quoted, any link's secret or query value."""
    for pattern, replacement in _DATABASE_DETAILS:
        text = pattern.sub(replacement, text)
    for rule, pattern in _SECRET_PATHS.items():
        text = pattern.sub(lambda _, rule=rule: rule, text)
    return _QUERY_VALUE.sub(r"\1" + WITHHELD, text)


def learn_routes(app: Flask) -> None:
    """Note the app's routes (for route_of) and the pattern of each whose path carries a
    secret: a route with a text variable, as a set-password or calendar-feed token is."""
    _URL_MAP["app"] = app.url_map
    for rule in app.url_map.iter_rules():
        pattern = _secret_path(rule.rule)
        if pattern is not None:
            _SECRET_PATHS[rule.rule] = pattern


_VARIABLE = re.compile(r"(<[^>]+>)")
_TEXT_VARIABLE = r"[^/?#\s\"'<>]+"


def _secret_path(rule: str) -> re.Pattern | None:
    """None for a route whose variables are all numbers (ids) or that serves a static file."""
    parts = _VARIABLE.split(rule)  # static text and variables, in turn
    kinds = [part[1:-1].partition(":")[0] if ":" in part else "string" for part in parts[1::2]]
    if "path" in kinds or all(kind == "int" for kind in kinds):
        return None
    variables = [r"\d+" if kind == "int" else _TEXT_VARIABLE for kind in kinds] + [""]
    return re.compile("".join(re.escape(text) + variable
                              for text, variable in zip(parts[::2], variables, strict=True))
                      + r"(?=[?#\s\"'<>]|$)")


def route_of(path: str, method: str = "GET") -> str:
    """The pattern of the route a path asks for (e.g. /set-password/<token>), or "unmatched"."""
    routes = _URL_MAP.get("app")
    if routes is None:
        return UNMATCHED
    try:
        rule, _ = routes.bind("localhost").match(path.partition("?")[0], method=method,
                                                 return_rule=True)
    except HTTPException:  # not found, another method's, or a redirect to add a slash
        return UNMATCHED
    return rule.rule


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

_ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
_REQUEST_LINE = re.compile(r"(\S*) ?(.*?)( HTTP/\S+)?")


class DevelopmentServerFilter(logging.Filter):
    """Werkzeug's development server (`make run`) logs each request line as it was asked for:
    write the route's pattern instead, and redact whatever else its messages quote."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if args and isinstance(args[0], str) and str(record.msg).endswith('"%s" %s %s'):
            method, target, protocol = _REQUEST_LINE.fullmatch(
                _ANSI_STYLE.sub("", args[0])).groups()
            record.args = (f"{method} {route_of(target, method)}{protocol or ''}", *args[1:])
        record.msg, record.args = redact(record.getMessage()), ()
        return True


def init_app(app: Flask) -> None:
    learn_routes(app)
    app.log_exception = MethodType(_log_exception, app)  # Flask's own names the path asked for
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, DevelopmentServerFilter) for f in werkzeug.filters):
        werkzeug.addFilter(DevelopmentServerFilter())
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


def _log_exception(app: Flask, exc_info) -> None:
    """Flask's log of an unhandled error, by the route's pattern rather than the path."""
    route = request.url_rule.rule if request.url_rule else UNMATCHED
    app.logger.error(f"Exception on {route} [{request.method}]", exc_info=exc_info)


def request_fields(status: int) -> dict:
    """What a request's log line says: its route, never the path it was asked with."""
    return {"method": request.method, "status": status,
            "route": request.url_rule.rule if request.url_rule else UNMATCHED,
            "endpoint": request.endpoint or UNMATCHED, "user_id": signed_in_user_id(),
            "request_id": g.get("request_id", "-"),
            "ms": round(1000 * (time.perf_counter() - g.get("request_started", 0)), 1)}


def signed_in_user_id() -> int | None:
    """The id of whoever this request has already found signed in, without looking them up:
    a lookup touches their session row, which /healthz and /readyz must never do. Read from
    the record's identity, since reading `.id` after a commit would reload the whole user."""
    user = g.get("_login_user") if has_request_context() else None
    state = inspect(user, raiseerr=False)
    if state is not None and state.identity:
        return state.identity[0]
    return getattr(user, "id", None)
