"""In a real browser: a service director finds a child's postcode the dataset does not know,
adds an override that clears it, and downloads the SSDA903 zip."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from homes_app.extensions import db
from homes_app.placements import services as moves

pytestmark = pytest.mark.browser


def test_a_director_overrides_an_unknown_postcode_and_downloads_the_903_files(
        page, network, make, release_db, sign_in, screenshot):
    home = make.home(postcode="DE1 2AB")
    child = make.child(case_reference="LCS8001", home_postcode="ZZ9 9ZZ")
    moves.admit_child(home.id, home.beds[0].id, child, date(2026, 10, 1), emergency=False,
                      actor=None, today=date(2026, 11, 22))
    db.session.commit()
    director = make.user("service_director")
    email = director.email
    release_db()
    sign_in(email)

    page.goto("/postcodes")
    unknown = page.get_by_role("table").filter(has_text="ZZ9 9ZZ")
    assert "LCS8001" in unknown.inner_text()
    screenshot("postcodes-unknown")

    page.get_by_role("link", name="Add an override").click()
    page.get_by_label("Postcode").fill("zz9 9zz")
    page.get_by_label("Latitude").fill("52.93")
    page.get_by_label("Longitude").fill("-1.48")
    page.get_by_label("Local-authority code").fill("E06000015")
    page.get_by_label("Why the override (optional)").fill("New estate")
    with page.expect_navigation():
        page.get_by_role("button", name="Save override").click()
    assert "Override for ZZ9 9ZZ saved" in page.locator("main").inner_text()
    assert "Every postcode of an open home and of a child now placed is found" in \
        page.locator("main").inner_text()
    screenshot("postcodes-overridden")

    page.goto("/ssda903")
    page.get_by_label("Year the collection ends (31 March)").fill("2027")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download zip").click()
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as z:
        assert sorted(z.namelist()) == ["episodes.csv", "header.csv"]
        assert b"LCS8001,01/10/2026,P,C2,,K2,PR1,,,,ZZ9 9ZZ,DE1 2AB," in z.read("episodes.csv")
    page.goto("/ssda903?year=1990")
    assert "Enter a year from 2000 to 2027" in page.locator("main").inner_text()
    screenshot("ssda903-bad-year")
    assert network.bad == []
