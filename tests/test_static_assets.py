"""Static files: pages link fingerprinted copies cached for a year, GOV.UK Frontend's
stylesheet and the fonts it asks for included; plain names still work, briefly cached; the
build's brotli and gzip copies go to browsers that take them; every file carries the pages'
security headers; and nothing a signed-in page says may be kept by a shared cache."""
from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest
from werkzeug.test import EnvironBuilder

from homes_app import ROOT
from homes_app.logs import ENVIRON_KEY
from homes_app.static_assets import MANIFEST, read_manifest
from tests.conftest import sign_in
from tests.test_security_headers import production

STATIC = ROOT / "static"
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
YEAR = "max-age=31536000"
LINKED = re.compile(r'(?:href|src)="(/(?:static|assets)/[^"]+)"')


@pytest.fixture(autouse=True)
def _built():
    if not (STATIC / MANIFEST).exists():
        pytest.fail("static/staticfiles.json is missing: run `make assets`")


def directives(response) -> set[str]:
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}


def immutable(response) -> bool:
    return {"public", YEAR, "immutable"} <= directives(response)


def stylesheet(client) -> tuple[str, str]:
    """GOV.UK Frontend's stylesheet as the sign-in page links it: (URL, text)."""
    html = client.get("/sign-in").get_data(as_text=True)
    url = re.search(r'<link rel="stylesheet" href="([^"]*govuk-frontend[^"]*\.css)"', html)[1]
    return url, client.get(url).get_data(as_text=True)


def test_every_file_a_page_links_is_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/sign-in").get_data(as_text=True)
    linked = LINKED.findall(html)
    assert len(linked) >= 8  # two stylesheets, the script, GOV.UK's icons and manifest
    for url in linked:
        assert FINGERPRINTED.search(url), url
        response = client.get(url)
        assert response.status_code == 200 and immutable(response), url


def test_govuk_stylesheet_and_the_fonts_and_images_it_asks_for_load(client):
    url, css = stylesheet(client)
    assert ".govuk-template" in css
    wanted = re.findall(r"url\(([^)]+)\)", css)
    fonts = [u for u in wanted if u.startswith("/assets/fonts/") and u.endswith(".woff2")]
    assert fonts and any(u.startswith("/assets/images/govuk-crest.") for u in wanted)
    for asked in set(wanted):
        assert FINGERPRINTED.search(asked), asked
        response = client.get(asked)
        assert response.status_code == 200 and immutable(response), asked
    font = client.get(fonts[0])
    plain = re.sub(r"\.[0-9a-f]{12}(?=\.woff2$)", "", fonts[0]).removeprefix("/assets/")
    assert font.mimetype == "font/woff2"
    assert font.data == (STATIC / "govuk" / "assets" / plain).read_bytes()


def test_the_script_imports_govuk_frontend_by_its_fingerprinted_name(client):
    html = client.get("/sign-in").get_data(as_text=True)
    script = re.search(r'<script type="module" src="([^"]+)"', html)[1]
    imported = re.search(r'from "([^"]+)"', client.get(script).get_data(as_text=True))[1]
    assert re.fullmatch(r"/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js", imported)
    module = client.get(imported)
    assert immutable(module) and b"initAll" in module.data


def test_a_plain_name_still_works_with_a_short_max_age(client):
    for url in ("/static/app.css", "/static/govuk/govuk-frontend.min.css",
                "/assets/fonts/bold-b542beb274-v2.woff2"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == {"max-age=300", "public"}, url


@pytest.mark.parametrize("url", ["/static/app.0123456789ab.css",
                                 "/static/govuk/govuk-frontend.min.0123456789ab.css",
                                 "/assets/fonts/bold-b542beb274-v2.0123456789ab.woff2"])
def test_an_unknown_fingerprint_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store"


def test_browsers_that_take_brotli_or_gzip_are_sent_the_builds_copies(client):
    url, css = stylesheet(client)
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get(url, headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Vary"] == "Accept-Encoding" and immutable(response)
        assert len(response.data) < len(css.encode()) / 5
        assert decompress(response.data).decode() == css
    assert "Content-Encoding" not in client.get(url).headers
    font = re.search(r"url\((/assets/fonts/[^)]+\.woff2)\)", css)[1]
    assert "Content-Encoding" not in client.get(font, headers={"Accept-Encoding": "br"}).headers


def page_security_headers(response) -> dict[str, str]:
    names = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
             "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy",
             "Strict-Transport-Security")
    found = {name: response.headers.get(name) for name in names}
    found["Content-Security-Policy"] = re.sub(r" 'nonce-[^']+'", "",
                                              found["Content-Security-Policy"])
    return found


@pytest.mark.parametrize("development", [True, False])
def test_static_files_carry_the_pages_security_headers(app, database_url, development):
    served = app if development else production(database_url)
    client = served.test_client()
    page = page_security_headers(client.get("/sign-in"))
    url, _ = stylesheet(client)
    for asked in (url, "/static/app.css", "/assets/images/govuk-crest.svg"):
        assert page_security_headers(client.get(asked)) == page, asked
    assert ("Strict-Transport-Security" in client.get(url).headers) is not development


def test_signed_in_pages_are_never_stored_and_static_files_never_depend_on_the_session(
        client, make):
    sign_in(client, make.user("registered_manager", homes=[make.home()]))
    for path in ("/", "/account"):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store", path
    html = client.get("/account").get_data(as_text=True)
    for url in LINKED.findall(html):
        response = client.get(url)
        assert immutable(response), url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url  # one copy for everyone


def test_a_static_file_is_marked_for_gunicorns_access_log_to_leave_out(app):
    environ = {}

    def start_response(status, headers):
        environ["status"] = status

    url, _ = stylesheet(app.test_client())
    request = EnvironBuilder(path=url).get_environ()
    body = app.wsgi_app(request, start_response)
    body.close()
    assert environ["status"].startswith("200")
    assert request[ENVIRON_KEY]["endpoint"] == "static"


def test_a_file_changed_since_the_build_is_linked_by_its_plain_name(tmp_path):
    (tmp_path / "app.css").write_text("body {}")
    (tmp_path / "other.css").write_text("p {}")
    manifest = tmp_path / MANIFEST
    manifest.write_text('{"app.css": "app.0123456789ab.css", "other.css": "other.0123456789ab.css"}')
    built = manifest.stat().st_mtime
    os.utime(tmp_path / "other.css", (built + 5, built + 5))
    assert read_manifest(tmp_path) == {"app.css": "app.0123456789ab.css"}
    assert len(read_manifest(tmp_path, check_edits=False)) == 2  # an installed wheel's
    assert read_manifest(tmp_path / "nothing-built") == {}


def test_the_build_manifest_names_every_file_it_made():
    names = read_manifest(STATIC)
    for plain, hashed in names.items():
        assert Path(hashed).parent == Path(plain).parent and FINGERPRINTED.search(hashed)
        assert (STATIC / hashed).is_file()
    assert {"app.css", "app.js", "govuk/govuk-frontend.min.css",
            "govuk/govuk-frontend.min.js"} <= set(names)
