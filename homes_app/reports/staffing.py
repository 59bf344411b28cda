"""Staffing: shifts by how they were covered (contracted, overtime, relief pool, agency,
uncovered), the fill rate of offered shifts and relief hours, by home and month."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

from ..staffing.rota.measures import StaffingMeasures, staffing_by_home
from .charts import bar_chart
from .common import homes_by_id
from .periods import Period
from .tables import Column, Report, Table

COUNCIL = "All homes"
SOURCES = (("contracted", "Contracted"), ("overtime", "Overtime"), ("relief", "Relief pool"),
           ("agency", "Agency"), ("uncovered", "Uncovered"))


def add(a: StaffingMeasures, b: StaffingMeasures) -> StaffingMeasures:
    return StaffingMeasures(*(getattr(a, f.name) + getattr(b, f.name) for f in fields(a)))


def combined(measures: Iterable[StaffingMeasures]) -> StaffingMeasures:
    out = StaffingMeasures()
    for m in measures:
        out = add(out, m)
    return out


def _columns(first: str) -> list[Column]:
    return [Column(first), Column("Shifts planned", "int"), *(Column(label, "int") for _, label in SOURCES),
            Column("Offered", "int"), Column("Offered and filled", "int"),
            Column("Fill rate of offered shifts", "pct"), Column("Relief hours", "decimal"),
            Column("Relief sleep-in hours", "decimal")]


def _cells(m: StaffingMeasures) -> list:
    return [m.planned, *(getattr(m, key) for key, _ in SOURCES), m.offered, m.offered_filled,
            m.fill_rate, m.relief_hours, m.relief_sleep_in_hours]


def staffing_report(period: Period, home_ids: Iterable[int]) -> Report:
    homes = homes_by_id(home_ids)
    months = period.months()
    # One statement per month, whatever the number of homes.
    by_month = [staffing_by_home(m.start, m.end, list(homes)) if homes else {} for m in months]
    report = Report("staffing", "Staffing and the relief pool", period.label)
    summary = Table("Shifts over the period", _columns("Home"), key="Summary")
    monthly = Table("Shifts by home and month", [Column("Home"), *_columns("Month")],
                    key="By month")
    shown = []
    for home in homes.values():
        per_month = [m.get(home.id) for m in by_month]
        if not any(per_month):
            continue
        shown.append(home)
        summary.add(home.name, *_cells(combined(m for m in per_month if m)))
        for month, m in zip(months, per_month, strict=True):
            if m:
                monthly.add(home.name, month.label, *_cells(m))
    council_months = [combined(m.get(h.id) or StaffingMeasures() for h in shown)
                      for m in by_month]
    if shown:
        summary.add(COUNCIL, *_cells(combined(council_months)))
        for month, m in zip(months, council_months, strict=True):
            monthly.add(COUNCIL, month.label, *_cells(m))
        report.charts.append(bar_chart(
            "Shifts by how they were covered, by month",
            f"Shifts in all the homes chosen, {period.label}, by month, stacked by how each was "
            "covered. The same numbers are in the table beside the chart.",
            [m.label for m in months],
            [(label, [getattr(m, key) for m in council_months]) for key, label in SOURCES],
            stacked=True))
    report.tables = [summary, monthly]
    report.notes.append("Fill rate: the share of shifts offered to other staff that someone "
                        "picked up. Relief hours are waking hours; sleep-ins are shown apart.")
    return report
