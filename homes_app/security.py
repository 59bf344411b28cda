"""Response headers for every page, error pages included: a strict Content-Security-Policy with
a per-response nonce for GOV.UK's one inline script, no framing, no caching of pages (they may
hold personal data) unless a page says it may be kept privately, and HSTS outside local
development."""
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
        if response.status_code != 304:  # a 304 keeps the stored page's policy, and nonce
            headers.setdefault("Content-Security-Policy", CSP.format(nonce=_current_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # A page kept privately (a report naming no child, with its ETag) says so itself.
        kept = response.status_code < 400 and response.cache_control.private
        if (response.mimetype == "text/html" or response.status_code >= 400) and not kept:
            headers["Cache-Control"] = "no-store"
        if not app.config["DEVELOPMENT"]:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def _current_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def static_file_headers(development: bool) -> dict[str, str]:
    """The same headers for a static file, which WhiteNoise serves before Flask
    (static_assets.py). A file carries no inline script, so its policy has no nonce."""
    headers = {"Content-Security-Policy": CSP.replace(" 'nonce-{nonce}'", ""),
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
               "X-Frame-Options": "DENY",
               "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
               "Cross-Origin-Opener-Policy": "same-origin"}
    if not development:
        headers["Strict-Transport-Security"] = HSTS
    return headers
