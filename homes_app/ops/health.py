"""/healthz and /readyz for load balancers and monitoring: small JSON, no sign-in, no
personal data, never throttled. Neither touches the signed-in session (they never ask who is
calling), so a probe every few seconds writes no session or audit rows."""
from __future__ import annotations

from flask import Blueprint, jsonify

from .readiness import checks

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up and answering; the database is not asked."""
    return _no_store(jsonify(status="ok"), 200)


@bp.get("/readyz")
def readyz():
    """Ready to serve: the database answers, its migrations are at head, a scheduler leads."""
    found = checks()
    ready = all(check.ok for check in found)
    body = jsonify(status="ready" if ready else "not ready",
                   checks={check.name: {"ok": check.ok, "says": check.says} for check in found})
    return _no_store(body, 200 if ready else 503)


def _no_store(response, status: int):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
