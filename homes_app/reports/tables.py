"""What every report returns: tables of typed cells (for the page and the downloads alike),
charts drawn from the same numbers, and notes."""
from __future__ import annotations

from dataclasses import dataclass, field

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

    def add(self, *cells) -> None:
        assert len(cells) == len(self.columns), (self.caption, cells)  # noqa: S101 - a bug guard
        self.rows.append(list(cells))


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
