"""Error reports to Sentry (or a Sentry-compatible service such as GlitchTip), only when
SENTRY_DSN is set, with personal data taken out before anything leaves the process.

What is sent: the exception's type, its message with database-quoted values, link tokens and
query values withheld (logs.redact, as in the logs), the stack without local variables, the
route's name and pattern, the method, the user's id. Never sent: request bodies, query strings, cookies, headers, the path asked for
(it can hold ids), emails or addresses, breadcrumbs (log lines and SQL the request ran)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import sentry_sdk
from flask import Flask, has_request_context, request
from sentry_sdk.integrations.flask import FlaskIntegration

from ..logs import redact, signed_in_user_id

OFF = {"mode": "off"}
NOTHING_PERSONAL = {"user_info": False, "cookies": OFF, "http_headers": {"request": OFF},
                    "http_bodies": [], "url_query_params": OFF, "database_query_data": False,
                    "stack_frame_variables": False}


def init_app(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["SENTRY_ENVIRONMENT"],
        release=_release(),
        integrations=[FlaskIntegration(transaction_style="endpoint")],
        # Collected as little as the SDK allows; scrub() then takes out what is left.
        data_collection=NOTHING_PERSONAL,
        max_request_body_size="never",
        include_local_variables=False,
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub,
        # Tests pass a transport that keeps what would have been sent.
        transport=app.config.get("SENTRY_TRANSPORT"),
    )


def scrub(event: dict, _hint: dict | None = None) -> dict:
    """The event as it may leave: see the module's docstring for what is kept."""
    event["request"] = _request_summary()
    event["user"] = _user()
    event.pop("breadcrumbs", None)
    event.pop("extra", None)
    for exception in event.get("exception", {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = redact(exception["value"])
        for frame in exception.get("stacktrace", {}).get("frames", []):
            frame.pop("vars", None)
    if isinstance(event.get("logentry"), dict):
        event["logentry"] = {"message": redact(str(event["logentry"].get("message", "")))}
    return event


def _request_summary() -> dict:
    if not has_request_context():
        return {}
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    return {"method": request.method, "url": rule}


def _user() -> dict:
    user_id = signed_in_user_id()
    return {"id": str(user_id)} if user_id is not None else {}


def _release() -> str | None:
    try:
        return f"homes_app@{version('homes_app')}"
    except PackageNotFoundError:
        return None
