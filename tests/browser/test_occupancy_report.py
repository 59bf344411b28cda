"""A service director filters the occupancy report to one quarter and one home, sees the chart
and the table of the same numbers, and downloads it as Excel."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.reports.support import occupancy_world

pytestmark = pytest.mark.browser


def test_director_filters_the_occupancy_report_and_downloads_excel(
        page, network, make, release_db, sign_in, screenshot):
    ash = occupancy_world(make)
    make.home(name="Elm House")
    director = make.user("service_director")
    ash_id, email = ash.id, director.email
    release_db()

    sign_in(email)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Occupancy and voids").click()
    dates = {"From": ("1", "1", "2028"), "To": ("31", "3", "2028")}
    for legend, (day, month, year) in dates.items():
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_text("Choose homes").click()
    page.locator(f"input[name=home][value='{ash_id}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show report").click()

    assert "1 Jan 2028 to 31 Mar 2028" in page.locator("main").inner_text()
    chart = page.get_by_role("img", name="Occupancy against registered places by month")
    assert chart.is_visible()
    assert chart.locator("polyline").count() == 2  # Ash House and all homes
    table = page.get_by_role("table", name="Occupancy against registered places by month")
    ash_row = table.get_by_role("row", name="Ash House")
    assert ash_row.locator("td").all_inner_texts() == ["70.0%", "19.4%", "19.0%", "50.0%"]
    assert table.get_by_role("row", name="Elm House").count() == 0
    screenshot("occupancy-report")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download as Excel").click()
    download = info.value
    assert download.suggested_filename == "occupancy-report-2028-01-01-to-2028-03-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    rows = [[c.value for c in row] for row in book["By month (registered)"].iter_rows(min_row=3)]
    assert rows == [["Ash House", 70, 19.4, 19.0, 50.0], ["All homes", 80, 19.4, 19.0, 50.0]]
    assert network.bad == []
