"""Downloads of a report as CSV and Excel, with the same tables the page shows.

Every cell goes through common/spreadsheets.py: text a spreadsheet would run as a formula
(OWASP's CSV injection) gets a single quote in front, and Excel cells of text are strings."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from ..common.spreadsheets import csv_writer, excel_cell
from .tables import Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(report: Report) -> bytes:
    """Each table under its caption, a blank line between; UTF-8 with a byte-order mark so
    Excel reads the pound sign and accents right."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([report.title, report.period_label])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow([c.label for c in table.columns])
        writer.writerows(table.rows)
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
    return excel_cell(sheet.cell(row, col), value)


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
