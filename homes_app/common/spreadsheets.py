"""Cells for every CSV and Excel file the app writes, safe to open in a spreadsheet.

A text cell that begins with =, +, -, @, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (OWASP's "CSV injection"): a case reference typed as
`=HYPERLINK(...)` would run when the data team opens the file. As OWASP advises, such a cell is
written with a single quote in front, so it shows as text and stays text if the file is saved
again as CSV; in an Excel file every text cell is also stored as a string, never a formula.
Numbers, dates and booleans keep their types: a genuine -5 stays a number."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A value for a CSV row: None is blank, formula-like text gets its quote."""
    if value is None:
        return ""
    return "'" + value if formula_like(value) else value


def csv_writer(out: IO[str], **options) -> SafeWriter:
    """csv.writer whose rows are neutralised cell by cell."""
    return SafeWriter(csv.writer(out, **options))


class SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose rows (and header) are neutralised cell by cell."""

    def writerow(self, rowdict: dict):
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[dict]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)


def excel_cell(cell, value):
    """Put `value` into an openpyxl cell: text always as a string (openpyxl would otherwise
    store text starting with "=" as a formula), formula-like text with its quote."""
    if isinstance(value, str):
        cell.value = csv_cell(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
