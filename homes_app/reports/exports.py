"""Downloads of a report as CSV and Excel, with the same tables the page shows.

A cell of text that begins with =, +, -, @, a tab or a carriage return could be run as a formula
by a spreadsheet (OWASP's CSV injection): in CSV it is prefixed with an apostrophe; in Excel it
is stored as text with Excel's quote prefix, so it shows as typed and never runs."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    if value is None:
        return ""
    return "'" + value if risky(value) else value


def to_csv(report: Report) -> bytes:
    """Each table under its caption, a blank line between; UTF-8 with a byte-order mark so
    Excel reads the pound sign and accents right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(report.title), csv_cell(report.period_label)])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([csv_cell(table.caption)])
        writer.writerow([csv_cell(c.label) for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    """One sheet per table: its caption, then a bold header row, then the rows; numbers stay
    numbers, percentages and pounds get a number format."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.key or table.caption, used))
        _put(sheet, 1, 1, f"{table.caption} ({report.period_label})").font = Font(bold=True)
        for col, column in enumerate(table.columns, start=1):
            _put(sheet, 2, col, column.label).font = Font(bold=True)
            sheet.column_dimensions[sheet.cell(2, col).column_letter].width = \
                max(12, min(40, len(column.label) + 2))
        for r, row in enumerate(table.rows, start=3):
            for col, (value, column) in enumerate(zip(row, table.columns, strict=True),
                                                  start=1):
                cell = _put(sheet, r, col, value)
                if column.kind == "money":
                    cell.number_format = "£#,##0.00"
                elif column.kind in ("pct", "days", "decimal"):
                    cell.number_format = "0.0"
    if not report.tables:
        book.create_sheet("Report")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet, row: int, col: int, value):
    cell = sheet.cell(row, col)
    cell.value = value
    if risky(value):
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: store it as text
        cell.quotePrefix = True
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:28].strip() or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base} {n}"
    used.add(candidate.lower())
    return candidate


def filename(report: Report, first, last, extension: str) -> str:
    """Names nothing about a child: the report and its dates only."""
    return f"{report.name}-report-{first:%Y-%m-%d}-to-{last:%Y-%m-%d}.{extension}"
