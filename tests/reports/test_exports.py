"""Downloads: CSV and Excel opened and read back, the same numbers as the page, and any text
that a spreadsheet would run as a formula written as text."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from homes_app.reports.exports import to_csv, to_xlsx
from homes_app.reports.tables import Column, Report, Table

from .support import occupancy_world

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


def test_a_home_named_like_a_formula_is_written_as_text(client, make, director):
    make.home(name="=HYPERLINK(\"http://evil.example\",\"x\")")
    rows = list(csv.reader(io.StringIO(download(client, "csv").get_data(as_text=True))))
    assert ["'=HYPERLINK(\"http://evil.example\",\"x\")"] == [
        r[0] for r in rows if r and "HYPERLINK" in r[0]][:1]
    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx").get_data()))
    cell = next(c for c in book["Summary"]["A"] if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s" and cell.value.startswith("=") and cell.quotePrefix


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
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in FORMULAS]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert [sheet.cell(r, 2).value for r in range(3, 3 + len(FORMULAS))] == [-5] * len(FORMULAS)
