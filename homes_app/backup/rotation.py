"""Which backup copies to keep: the newest copy of each recent day, then one a week before that.

A copy's file name carries the London date and time it was taken, e.g.
`homes-2026-12-04T0230.sqlite3` (PostgreSQL: `.pgdump`); a second copy in the same minute
(or in the repeated hour when the clocks go back) gets `-2`, `-3`... before the extension.
Names are built and read only here. Days are counted among days that have copies, never back
from today, so a week without backups (a broken timer) never ages the last good copies out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..clock import LONDON

PREFIX = "homes-"
STAMP = "%Y-%m-%dT%H%M"
_NAME = re.compile(r"homes-(\d{4}-\d\d-\d\dT\d{4})(?:-(\d+))?\.(sqlite3|pgdump)")


@dataclass(frozen=True, order=True)
class Copy:
    """One copy in the backup folder, ordered oldest first."""

    taken: datetime  # London wall-clock time, to the minute, without a zone
    sequence: int = 1  # the second copy taken in one minute is 2
    extension: str = "sqlite3"

    @property
    def day(self) -> date:
        return self.taken.date()

    @property
    def week(self) -> tuple[int, int]:
        """The ISO year and week of the London date (weeks start on Monday)."""
        year, week, _ = self.day.isocalendar()
        return year, week

    @property
    def name(self) -> str:
        count = f"-{self.sequence}" if self.sequence > 1 else ""
        return f"{PREFIX}{self.taken.strftime(STAMP)}{count}.{self.extension}"


def extension_for(dialect: str) -> str:
    """SQLite copies are SQLite databases; PostgreSQL ones are pg_dump's custom format."""
    return "sqlite3" if dialect == "sqlite" else "pgdump"


def new_copy(moment: datetime, extension: str, names_in_folder: set[str]) -> Copy:
    """The copy to take at `moment` (aware; named by its London time), numbered past any file already named for that
    minute, a copy set aside as `.failed` included, so nothing is overwritten."""
    sequence = 1
    while any(name.startswith(Copy(_minute(moment), sequence, extension).name)
              for name in names_in_folder):
        sequence += 1
    return Copy(_minute(moment), sequence, extension)


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(LONDON).replace(second=0, microsecond=0, tzinfo=None)


def parse(name: str) -> Copy | None:
    """The copy a file name stands for, or None for any other file (never rotated)."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    stamp, sequence, extension = found.groups()
    try:
        taken = datetime.strptime(stamp, STAMP)
    except ValueError:  # the shape of a stamp but not a real time, e.g. 2026-02-30
        return None
    return Copy(taken, int(sequence or 1), extension)


@dataclass(frozen=True)
class Rotation:
    keep: list[Copy]  # newest first
    delete: list[Copy]  # newest first


def rotate(copies: list[Copy], keep_daily: int, keep_weekly: int,
           just_made: Copy | None = None) -> Rotation:
    """Keep the newest copy of each of the last `keep_daily` days that have copies, and the
    newest copy of each of the last `keep_weekly` ISO weeks among the older copies; delete the
    rest. `just_made` is kept whatever its date (a clock set back must not lose it)."""
    newest_first = sorted({*copies, *([just_made] if just_made else [])}, reverse=True)
    daily = _newest_of_each(newest_first, lambda copy: copy.day)[:keep_daily]
    oldest_daily = daily[-1].day if daily else date.max
    older = [copy for copy in newest_first if copy.day < oldest_daily]
    weekly = _newest_of_each(older, lambda copy: copy.week)[:keep_weekly]
    kept = {*daily, *weekly, just_made}
    return Rotation(keep=[c for c in newest_first if c in kept],
                    delete=[c for c in newest_first if c not in kept])


def _newest_of_each(newest_first: list[Copy], period) -> list[Copy]:
    """The first (newest) copy of each period, newest period first."""
    seen, found = set(), []
    for copy in newest_first:
        if period(copy) not in seen:
            seen.add(period(copy))
            found.append(copy)
    return found
