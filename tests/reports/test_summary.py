"""The occupancy page at many homes: a summary (each home over the period, all homes by month,
voids) whose home names link to that home's own months, the full tables at ten homes or fewer,
downloads that keep every home and month, and a fixed number of statements whatever the number
of homes or months."""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import openpyxl
import pytest

from homes_app.extensions import db
from homes_app.reports.exports import to_csv
from homes_app.reports.occupancy import MANY_HOMES, occupancy_report
from tests.test_access import QueryCounter

from .support import Q1_2028, admit, occupancy_world

Q1 = {"period_from": ["1", "1", "2028"], "period_to": ["31", "3", "2028"]}
BY_MONTH = ("Occupancy against registered places by month",
            "Occupancy against beds in use by month")


def homes(make, count: int):
    """Ash House (tests/reports/support.py) and more homes, to `count` in all."""
    return [occupancy_world(make), *more_homes(make, count - 1)]


def more_homes(make, count: int, first: int = 0):
    """Homes of two places, each with a child from 10 Feb 2028."""
    made = []
    for n in range(first, first + count):
        home = make.home(beds=2, name=f"Home {n:02d}")
        admit(home, 0, make.child(), date(2028, 2, 10))
        made.append(home)
    db.session.commit()
    return made


def page(client, **query) -> str:
    response = client.get("/reports/occupancy", query_string={**Q1, **query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(body: str, caption: str) -> list[str]:
    """The row headers of the table with this caption, as text."""
    table = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", body, re.S)
    assert table, caption
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<th scope="row">(.*?)</th>',
                                                          table.group(1))]


@pytest.fixture
def many(make, login):
    chosen = homes(make, MANY_HOMES + 1)
    login(make.user("service_director"))
    return chosen


def test_at_many_homes_the_page_summarises_and_links_each_home_to_its_months(client, many):
    body = page(client)
    assert 'data-test="summary-note"' in body
    assert f"each of the {MANY_HOMES + 1} homes" in body
    assert "downloads have every home&#39;s months" in body
    for caption in BY_MONTH:
        assert f">{caption}</caption>" not in body
    assert rows(body, "All homes by month") == ["Jan 2028", "Feb 2028", "Mar 2028"]
    assert len(rows(body, "Occupancy over the period")) == MANY_HOMES + 2  # and all homes
    assert len(rows(body, "Voids by reason, in bed-nights, and their cost")) == MANY_HOMES + 2
    # The chart draws all homes together, with the numbers in the table of all homes by month.
    chart = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert chart.count("<polyline") == 1 and "Monthly occupancy of all homes together" in chart
    for home in many:
        link = (f'href="?period_from=1&amp;period_from=1&amp;period_from=2028&amp;period_to=31'
                f'&amp;period_to=3&amp;period_to=2028&amp;home={home.id}">{home.name}</a>')
        assert link in body


def test_a_homes_link_opens_the_report_for_it_alone_with_its_months(client, many):
    ash = many[0]
    link = re.search(rf'href="(\?[^"]*home={ash.id})"', page(client)).group(1)
    response = client.get("/reports/occupancy" + html.unescape(link))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-test="summary-note"' not in body
    for caption in BY_MONTH:
        assert rows(body, caption) == ["Ash House", "All homes"]
    months = re.search(r"against registered places by month</caption>.*?<th scope=\"row\">Ash "
                       r"House</th>(.*?)</tr>", body, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", months) == ["70.0%", "19.4%", "19.0%", "50.0%"]
    assert "Home 00" not in body.split('data-test="filter"')[1].split("</form>")[1]


def test_at_ten_homes_or_fewer_the_page_shows_every_table_in_full(client, make, login):
    chosen = homes(make, MANY_HOMES)
    login(make.user("service_director"))
    body = page(client)
    assert 'data-test="summary-note"' not in body and "All homes by month" not in body
    names = sorted(h.name for h in chosen)
    for caption in BY_MONTH:
        assert rows(body, caption) == [*names, "All homes"]
    assert "home=" not in "".join(re.findall(r'<th scope="row">.*?</th>', body))  # no links
    chart = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert chart.count("<polyline") == MANY_HOMES + 1  # a line each, and all homes


def test_downloads_keep_every_home_and_every_month_at_many_homes(client, many):
    full = occupancy_report(Q1_2028, [h.id for h in many])
    response = client.get("/reports/occupancy", query_string={**Q1, "format": "csv"})
    assert response.get_data() == to_csv(full)  # exactly the whole report, as before
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    for caption in BY_MONTH:
        start = lines.index([caption]) + 2
        assert [row[0] for row in lines[start:start + MANY_HOMES + 2]] == \
            [*sorted(h.name for h in many), "All homes"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/reports/occupancy", query_string={**Q1, "format": "xlsx"}).get_data()))
    assert book.sheetnames == ["Summary", "By month (registered)", "By month (in use)", "Voids"]
    sheet = book["By month (registered)"]
    assert [c.value for c in sheet[2]] == ["Home", "Target", "Jan 2028", "Feb 2028", "Mar 2028"]
    assert sheet.max_row == 2 + MANY_HOMES + 2
    assert [c.value for c in sheet[3]] == ["Ash House", 70, 19.4, 19.0, 50.0]


def statements(client, **query) -> int:
    client.get("/reports/occupancy", query_string=query)
    with QueryCounter(db.engine) as counter:
        assert client.get("/reports/occupancy", query_string=query).status_code == 200
    return counter.count


def test_the_page_costs_the_same_statements_for_one_home_or_many_and_any_months(client, make,
                                                                               login):
    ash = homes(make, 1)[0]
    login(make.user("service_director"))
    one_month = {"period_from": ["1", "1", "2028"], "period_to": ["31", "1", "2028"]}
    one = statements(client, **one_month)
    assert statements(client, **Q1) == one
    assert statements(client, period_from=["1", "1", "2024"], period_to=["31", "12", "2028"]) \
        == one
    more_homes(make, MANY_HOMES + 4)  # the summary
    assert statements(client, **Q1) == one
    assert statements(client, **Q1, home=[str(ash.id)]) == one


def test_the_tables_and_the_chart_escape_what_they_show(client, make, login):
    home = make.home(name="<b>Ash</b> & Sons")
    admit(home, 0, make.child(), date(2028, 1, 10))
    more_homes(make, MANY_HOMES)  # the summary, whose rows link the name
    login(make.user("service_director"))
    body = page(client)
    assert "<b>" not in body
    shown = "&lt;b&gt;Ash&lt;/b&gt; &amp; Sons"
    assert '<th scope="row"><a class="govuk-link" href="?period_from=1' in body
    assert f'home={home.id}">{shown}</a></th>' in body  # the summary's link
    assert f'<tr><th scope="row">{shown}</th>' in body  # the voids table
    chart = re.search(r"<svg.*?</svg>", page(client, home=[str(home.id)]), re.S).group(0)
    assert f">{shown}</text>" in chart  # its legend, drawn for one home
    assert 'aria-labelledby="chart-1-title chart-1-desc"' in chart
