"""Builders for alert tests: an alert about a home, as the sweep would raise it."""
from __future__ import annotations

from homes_app import clock
from homes_app.alerts.models import Alert
from homes_app.extensions import db


def make_alert(home_id: int | None, *, kind: str = "home_full", key: str | None = None,
               severity: str = "medium", staff_id: int | None = None,
               message: str = "No bed tonight") -> Alert:
    alert = Alert(kind=kind, condition_key=key or f"{kind}:{home_id}:{staff_id}",
                  active_key=key or f"{kind}:{home_id}:{staff_id}", severity=severity,
                  home_id=home_id, staff_id=staff_id, message=message,
                  link_endpoint="homes.show" if home_id else None,
                  link_args={"home_id": home_id} if home_id else None,
                  raised_at=clock.utcnow(), state="open")
    db.session.add(alert)
    db.session.flush()
    return alert


def scope_alert(home) -> Alert:
    """An open alert about `home`, for the access and home-scope tests."""
    return make_alert(home.id, key=f"scope:{home.id}")
