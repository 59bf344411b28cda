"""Words the reports share: the name of the row that sums up every home, a Yes/No cell
against a target, and the sentence pointing from a chart to its table."""
from __future__ import annotations

COUNCIL = "All homes"


def yes_no(answer: bool | None) -> str:
    """A Yes/No cell, blank when there is nothing to answer from (no share to compare)."""
    return "" if answer is None else ("Yes" if answer else "No")


def same_numbers(where: str = "beside") -> str:
    """The chart caption's last sentence: every chart has its numbers in a table too."""
    return f"The same numbers are in the table {where} the chart."
