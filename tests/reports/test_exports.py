"""Downloads: CSV and Excel opened and read back, the same numbers as the page, and any text
that a spreadsheet would run as a formula written as text with a quote in front, in every
report's download."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, time

import openpyxl
import pytest

from homes_app.common.spreadsheets import FORMULA_START
from homes_app.extensions import db
from homes_app.reports.exports import to_csv, to_xlsx
from homes_app.reports.tables import Column, Report, Table
from tests.staffing.support import shift, shift_type

from .support import admit, occupancy_world

Q1 = {"period_from": ["1", "1", "2028"], "period_to": ["31", "3", "2028"]}
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
            "\tcmd", "\rcmd"]


@pytest.fixture
def director(client, make, login):
    occupancy_world(make)
    return login(make.user("service_director"))


def download(client, kind: str, report: str = "occupancy", **extra):
    response = client.get(f"/reports/{report}", query_string={**Q1, "format": kind, **extra})
    assert response.status_code == 200
    return response


def test_the_csv_download_reads_back_with_the_pages_numbers(client, director):
    response = download(client, "csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=occupancy-report-2028-01-01-to-2028-03-31.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Occupancy and voids", "1 Jan 2028 to 31 Mar 2028"]
    header = rows.index(["Home", "Vacant", "Held for matching", "Held for a planned admission",
                         "Out of use", "All voids", "Weekly unit cost", "Cost of voids"])
    assert rows[header + 1] == ["Ash House", "106", "7", "8", "7", "128", "4500.0", "82285.71"]


def test_the_excel_download_opens_with_a_sheet_per_table_and_numbers_as_numbers(client,
                                                                                director):
    response = download(client, "xlsx")
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Summary", "By month (registered)", "By month (in use)", "Voids"]
    months = book["By month (registered)"]
    assert [c.value for c in months[2]] == ["Home", "Target", "Jan 2028", "Feb 2028",
                                            "Mar 2028"]
    assert [c.value for c in months[3]] == ["Ash House", 70, 19.4, 19.0, 50.0]
    voids = book["Voids"]
    assert voids["H3"].value == 82285.71 and voids["H3"].number_format == "£#,##0.00"


@pytest.mark.parametrize("report", ["moves", "local-placement", "cost", "staffing"])
def test_every_report_downloads_in_both_formats(client, director, report):
    assert download(client, "csv", report).get_data(as_text=True).startswith("\ufeff")
    assert openpyxl.load_workbook(io.BytesIO(download(client, "xlsx", report).get_data()))


def text_cells(kind: str, body: bytes) -> list[str]:
    """Every text cell of a download, read back as a spreadsheet would read it."""
    if kind == "csv":
        return [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
                for c in row]
    book = openpyxl.load_workbook(io.BytesIO(body))
    return [c.value for sheet in book for row in sheet.iter_rows() for c in row
            if isinstance(c.value, str)]


def formula_world(make):
    """A home named like each formula, with a child (whose case reference is the same text) and
    a shift in the first quarter of 2028, so every report has a row for it."""
    for name in FORMULAS:
        home = make.home(beds=1, name=name)
        admit(home, 0, make.child(case_reference=name, home_postcode="ZZ99 9ZZ"),
              date(2028, 1, 10))
        shift(home, shift_type(home, "Day", time(8), time(20)), date(2028, 1, 15))
    db.session.commit()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("report", ["occupancy", "moves", "local-placement", "cost", "staffing"])
def test_homes_named_like_formulas_are_written_as_text_in_every_download(client, make,
                                                                         director, report,
                                                                         kind):
    formula_world(make)
    cells = text_cells(kind, download(client, kind, report).get_data())
    for name in FORMULAS:
        # XML reads a carriage return back as a line feed; the quote is in front either way.
        shown = [c for c in cells if c.replace("\n", "\r")[1:].startswith(name)]
        assert shown and all(c.startswith("'") for c in shown), (name, shown)
    risky = [c for c in cells if c.startswith(FORMULA_START)]
    assert all(re.fullmatch(r"-\d+(\.\d+)?", c) for c in risky)  # only genuine negatives


def test_every_formula_start_is_neutralised_in_both_formats():
    table = Table("Cells", [Column("Text"), Column("Number", "int")])
    for value in FORMULAS:
        table.add(value, -5)
    table.add("Plain text", 3)
    report = Report("test", "Test", "a period", tables=[table])
    rows = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"), newline="")))
    texts = [r[0] for r in rows[4:]]
    assert texts == ["'" + v for v in FORMULAS] + ["Plain text"]
    assert [r[1] for r in rows[4:]] == ["-5"] * len(FORMULAS) + ["3"]  # numbers stay numbers
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(report))).active
    cells = [sheet.cell(r, 1) for r in range(3, 3 + len(FORMULAS))]
    # XML reads a carriage return back as a line feed; the text is otherwise as written.
    assert [c.value for c in cells] == ["'" + v.replace("\r", "\n") for v in FORMULAS]
    assert all(c.data_type == "s" for c in cells)
    assert [sheet.cell(r, 2).value for r in range(3, 3 + len(FORMULAS))] == [-5] * len(FORMULAS)
    assert sheet.cell(3 + len(FORMULAS), 1).value == "Plain text"
