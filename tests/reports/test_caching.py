"""Report pages naming no child carry an ETag of what they show this person in this session and
may be kept privately by the browser: the same page asked for again with its ETag is a 304
with no body. A change in the figures, another person or another session gets the page
afresh; pages naming children and downloads are never kept."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import sign_in

from .support import admit, moves_world, occupancy_world

URL = "/reports/occupancy?period_from=1&period_from=1&period_from=2028&period_to=31" \
      "&period_to=3&period_to=2028"


@pytest.fixture
def ash(make):
    return occupancy_world(make)


def browser(client):
    """Another browser: its own cookies and cache."""
    return client.application.test_client()


def test_an_unchanged_report_page_is_a_304_with_no_body(client, make, login, ash):
    login(make.user("service_director"))
    first = client.get(URL)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Content-Security-Policy" in first.headers
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-cache"
    # The copy the browser keeps carries its own policy, whose nonce its inline script has.
    assert "Content-Security-Policy" not in again.headers
    # Every report page that names no child: the index of them is not a report.
    for report in ("cost", "staffing"):
        shown = client.get(f"/reports/{report}")
        assert client.get(f"/reports/{report}", headers={
            "If-None-Match": shown.headers["ETag"]}).status_code == 304


def test_a_change_in_the_figures_is_a_new_page(client, make, login, ash):
    login(make.user("service_director"))
    etag = client.get(URL).headers["ETag"]
    admit(ash, 1, make.child(), date(2028, 3, 25))
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_another_person_or_session_gets_the_page_afresh(client, make, login, ash):
    director = login(make.user("service_director"))
    etag = client.get(URL).headers["ETag"]
    other = browser(client)
    sign_in(other, make.user("service_director"))  # the same figures, another person
    theirs = other.get(URL, headers={"If-None-Match": etag})
    assert theirs.status_code == 200 and theirs.headers["ETag"] != etag
    again = browser(client)
    sign_in(again, director)  # the same person, signed in afresh elsewhere
    afresh = again.get(URL, headers={"If-None-Match": etag})
    assert afresh.status_code == 200 and afresh.headers["ETag"] != etag
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304


def test_pages_naming_children_and_downloads_are_never_kept(client, make, login):
    moves_world(make)
    login(make.user("service_director"))
    named = client.get("/reports/moves", query_string={
        "period_from": ["1", "1", "2028"], "period_to": ["31", "3", "2028"]})
    assert "LCSW" in named.get_data(as_text=True)  # a case reference: audited, never kept
    assert "ETag" not in named.headers and named.headers["Cache-Control"] == "no-store"
    for kind in ("csv", "xlsx"):
        download = client.get(URL + f"&format={kind}")
        assert "ETag" not in download.headers
        assert download.headers["Cache-Control"] == "no-store"
