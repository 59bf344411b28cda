"""Response headers for every page, error pages included: a strict Content-Security-Policy with
a per-response nonce for GOV.UK's one inline script, no framing, no caching of pages (they may
hold personal data), and HSTS outside local development."""
from __future__ import annotations

import secrets

from flask import Flask, g

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    @app.before_request
    def _nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.context_processor
    def _template_nonce():
        # GOV.UK Frontend's page template puts it on its js-enabled script.
        return {"cspNonce": _current_nonce()}

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP.format(nonce=_current_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "text/html" or response.status_code >= 400:
            headers["Cache-Control"] = "no-store"
        if not app.config["DEVELOPMENT"]:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def _current_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce
