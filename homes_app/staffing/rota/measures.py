"""Staffing measures per home and period, summed in SQL: shifts planned and how they were
covered (contracted, overtime, relief pool, agency, uncovered), the fill rate of offered
shifts, and hours worked by relief staff (sleep-ins apart, as pay figures need them)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, func, select

from ...extensions import db
from .models import Shift


@dataclass
class StaffingMeasures:
    planned: int = 0
    contracted: int = 0
    overtime: int = 0
    relief: int = 0
    agency: int = 0
    uncovered: int = 0
    offered: int = 0
    offered_filled: int = 0
    relief_minutes: int = 0  # waking hours worked by relief staff
    relief_sleep_in_minutes: int = 0

    @property
    def fill_rate(self) -> float | None:
        """Share of offered shifts that were covered, as a percentage."""
        return round(100 * self.offered_filled / self.offered, 1) if self.offered else None

    @property
    def relief_hours(self) -> float:
        return round(self.relief_minutes / 60, 1)

    @property
    def relief_sleep_in_hours(self) -> float:
        return round(self.relief_sleep_in_minutes / 60, 1)


FIELDS = ("planned", "contracted", "overtime", "relief", "agency", "uncovered", "offered",
          "offered_filled", "relief_minutes", "relief_sleep_in_minutes")
FIRST = bindparam("first", type_=Date())
END = bindparam("end", type_=Date())
HOME_IDS = bindparam("home_ids", expanding=True)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


@cache
def _statement(filtered: bool):
    relief = Shift.cover == "relief"
    stmt = select(
        Shift.home_id,
        func.count(Shift.id),
        *(_count(Shift.cover == c) for c in ("contracted", "overtime", "relief", "agency")),
        _count(Shift.cover.is_(None)),
        _count(Shift.offered_at.is_not(None)),
        _count(and_(Shift.offered_at.is_not(None), Shift.cover.is_not(None))),
        func.sum(case((and_(relief, Shift.kind != "sleep_in"), Shift.minutes), else_=0)),
        func.sum(case((and_(relief, Shift.kind == "sleep_in"), Shift.minutes), else_=0)),
    ).where(Shift.status == "active", Shift.on_date >= FIRST, Shift.on_date < END)
    if filtered:
        stmt = stmt.where(Shift.home_id.in_(HOME_IDS))
    return stmt.group_by(Shift.home_id)


def staffing_by_home(first: date, end: date,
                     home_ids: Iterable[int] | None = None) -> dict[int, StaffingMeasures]:
    """Measures of each home's shifts starting on dates in [first, end): one statement."""
    params = {"first": first, "end": end}
    if home_ids is not None:
        params["home_ids"] = list(home_ids)
    return {row[0]: StaffingMeasures(*(int(v or 0) for v in row[1:]))
            for row in db.session.execute(_statement(home_ids is not None), params)}


def home_staffing(home_id: int, first: date, end: date) -> StaffingMeasures:
    return staffing_by_home(first, end, [home_id]).get(home_id, StaffingMeasures())
