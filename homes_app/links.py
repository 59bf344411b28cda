"""Addresses of links that leave the app (emailed, shown to be sent on, subscribed to): built
from the BASE_URL setting alone. A request's Host header (or X-Forwarded-Host) is whatever the
client sent, so a link built from it could send a set-password token to another site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """BASE_URL followed by the route's path (and any other values as its query string). The
    path is built without the request, so it is the same in a page, a job or a command; a
    BASE_URL with a path (https://council.example/homes) keeps it."""
    base = current_app.config["BASE_URL"].rstrip("/")
    adapter = current_app.url_map.bind(urlsplit(base).netloc or "localhost")
    return base + adapter.build(endpoint, values)
