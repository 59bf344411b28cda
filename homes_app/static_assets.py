"""Static files (static/, GOV.UK Frontend's built files in static/govuk/ included), served by
WhiteNoise ahead of Flask: no session, no database and no request hooks for a file.

The asset build (static_build.py, run by `make assets`) gives each file a fingerprinted copy,
app.css as app.<12 hex digits of its content's SHA-256>.css, and lists them in
static/staticfiles.json. url_for("static", ...) and url_for("govuk_assets", ...) answer the
fingerprinted name, which is sent with Cache-Control max-age a year and immutable: a release
that changes a file changes its name, so no browser keeps a stale one. The plain names still
work, cached for SHORT_S. A browser that accepts brotli or gzip is sent the build's .br or
.gz copy, so compressing costs nothing per request."""
from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.base import scantree

from . import security
from .logs import ENVIRON_KEY, LOGGER

logger = logging.getLogger(LOGGER)

MANIFEST = "staticfiles.json"
# Flask's endpoint, its URL prefix and the folder under static/ it serves. GOV.UK Frontend's
# stylesheet asks for its fonts and images under /assets.
SERVED = (("static", "/static/", ""), ("govuk_assets", "/assets/", "govuk/assets/"))
YEAR_S = 365 * 24 * 60 * 60
SHORT_S = 300  # a plain name: how long a release may take to reach a browser that used one


class StaticFiles(WhiteNoise):
    """WhiteNoise with the app's security headers on every file, immutable caching for exactly
    the build's fingerprinted names, and the request marked as a static file for gunicorn's
    access log (serving.py), which leaves those out as Flask's log does."""

    FOREVER = YEAR_S

    def __init__(self, application, fingerprinted: frozenset[str], headers: dict[str, str]):
        self.fingerprinted, self.headers = fingerprinted, headers
        super().__init__(application, max_age=SHORT_S, allow_all_origins=False,
                         add_headers_function=self._add_headers)

    def _add_headers(self, found, path: str, url: str) -> None:
        for name, value in self.headers.items():
            found[name] = value

    def immutable_file_test(self, path: str, url: str) -> bool:
        return any(url.startswith(prefix) and folder + url[len(prefix):] in self.fingerprinted
                   for _, prefix, folder in SERVED)

    def serve(self, static_file, environ, start_response):
        environ[ENVIRON_KEY] = {"method": environ.get("REQUEST_METHOD"), "endpoint": "static",
                                "route": "/static/<path:filename>"}
        return WhiteNoise.serve(static_file, environ, start_response)


def read_manifest(static_folder: Path, check_edits: bool = True) -> dict[str, str]:
    """Plain name to fingerprinted name, both relative to static/; empty before `make assets`.
    In a checkout (check_edits), a file edited since the build is left out, so pages link it
    by its plain name rather than a copy of what it was; an installed wheel's files are the
    build's own (and take their times from when they were unpacked)."""
    manifest = static_folder / MANIFEST
    try:
        built, names = manifest.stat().st_mtime, json.loads(manifest.read_text())
    except FileNotFoundError:
        return {}
    changed = [plain for plain in names
               if check_edits and _changed_since(static_folder / plain, built)]
    if changed:
        logger.warning("static files changed since `make assets`, linked by their plain "
                       "names until it runs again: %s", ", ".join(changed))
    return {plain: hashed for plain, hashed in names.items() if plain not in changed}


def _changed_since(path: Path, built: float) -> bool:
    try:
        return path.stat().st_mtime > built
    except FileNotFoundError:
        return True


def init_app(app: Flask, check_edits: bool) -> None:
    """Last in create_app: WhiteNoise goes outside every other WSGI layer."""
    folder = Path(app.static_folder)
    names = read_manifest(folder, check_edits)
    _link_fingerprinted_names(app, names)
    fingerprinted = frozenset(names.values())
    headers = security.static_file_headers(app.config["DEVELOPMENT"])
    files = StaticFiles(app.wsgi_app, fingerprinted, headers)
    files.files = _url_map(str(folder), fingerprinted, tuple(sorted(headers.items())),
                           _state(folder))
    app.wsgi_app = files


@functools.lru_cache(maxsize=8)
def _url_map(folder: str, fingerprinted: frozenset[str], headers: tuple, state: tuple) -> dict:
    """WhiteNoise's map of URL to file and headers, made once a process for the same files
    (state: each one's path, time and size) and headers. Making it takes 15-20 ms, about a
    fifth of create_app, which the tests run for every test."""
    files = StaticFiles(None, fingerprinted, dict(headers))
    for _, prefix, below in SERVED:
        files.add_files(Path(folder) / below, prefix)
    return files.files


def _state(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(sorted((path, found.st_mtime_ns, found.st_size)
                        for path, found in scantree(str(folder))))


def _link_fingerprinted_names(app: Flask, names: dict[str, str]) -> None:
    folders = {endpoint: below for endpoint, _, below in SERVED}

    @app.url_defaults
    def _fingerprinted(endpoint: str, values: dict) -> None:
        below = folders.get(endpoint)
        if below is not None and "filename" in values:
            hashed = names.get(below + values["filename"])
            if hashed is not None:
                values["filename"] = hashed[len(below):]
