"""What every report returns: tables of typed cells (for the page and the downloads alike),
charts drawn from the same numbers, and notes."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..common.html import joined

# Cell kinds: how the page shows a value; downloads keep the raw number.
KINDS = ("text", "int", "pct", "money", "days", "decimal")


@dataclass
class Column:
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    key: str = ""  # a short name for the sheet in Excel
    # The home each row is about, by row number, for the page to link to (never downloaded).
    homes: dict[int, int] = field(default_factory=dict)

    def add(self, *cells, home: int | None = None) -> None:
        assert len(cells) == len(self.columns), (self.caption, cells)  # noqa: S101 - a bug guard
        if home is not None:
            self.homes[len(self.rows)] = home
        self.rows.append(list(cells))

    def body(self, link: Callable[[int], str] | None = None) -> Markup:
        """The rows as the page shows them: a row header (linked to `link(home id)` when the
        row is a home's and a link is given), then each cell shown by its kind, classed only
        when it is text (reports.css styles the others); every value escaped. Written here, not
        in the template: its loop over the thousands of cells of a hundred homes cost more than
        the rest of the page."""
        kinds = [c.kind for c in self.columns[1:]]
        # What goes before each cell: the end of the header or of the cell before, and its tag.
        before = [(_TH_END if i == 0 else _TD_END) + (_TEXT_TD if kind == "text" else _TD)
                  for i, kind in enumerate(kinds)]
        row_end = _TD_END + _TR_END if kinds else _TH_END + _TR_END
        pieces: list = []
        for n, (header, *cells) in enumerate(self.rows):
            home = self.homes.get(n) if link else None
            pieces += (_TR, header) if home is None else (_TR, _A, link(home), _A_TEXT, header,
                                                           _A_END)
            for value, kind, opening in zip(cells, kinds, before, strict=True):
                pieces += (opening, show(value, kind))
            pieces.append(row_end)
        return joined(pieces)


_TR, _TH_END, _TR_END = Markup('<tr><th scope="row">'), Markup("</th>"), Markup("</tr>\n")
_A, _A_TEXT, _A_END = Markup('<a class="govuk-link" href="'), Markup('">'), Markup("</a>")
_TD, _TEXT_TD, _TD_END = Markup("<td>"), Markup('<td class="app-report-text">'), Markup("</td>")


@dataclass
class Report:
    name: str  # the endpoint's short name, e.g. "occupancy"
    title: str
    period_label: str
    tables: list[Table] = field(default_factory=list)
    charts: list = field(default_factory=list)  # charts.Chart
    notes: list[str] = field(default_factory=list)
    # The children whose case references its tables show: the page or download that shows
    # them writes an audit event naming them.
    children: list[int] = field(default_factory=list)
    # How many homes the page summarises (0: the page shows every table in full); each home's
    # row links to the report for it alone.
    homes_summarised: int = 0

    @property
    def empty(self) -> bool:
        return not any(t.rows for t in self.tables)


def show(value, kind: str) -> str:
    """A cell as the page shows it; None is a dash (no figure: nothing to divide by)."""
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value:.1f}%"
    if kind == "money":
        return f"£{value:,.2f}" if value >= 0 else f"-£{-value:,.2f}"
    if kind == "int":
        return f"{value:,}"
    if kind in ("days", "decimal"):
        return f"{value:,.1f}"
    return str(value)


def pct(part: int | float, whole: int | float) -> float | None:
    return round(100 * part / whole, 1) if whole else None
