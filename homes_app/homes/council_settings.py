"""The council_settings table as a small key-value store: each capability keeps its settings
under its own prefix ("staffing.", "alerts.", "reports.") and parses them itself."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import CouncilSetting


class SettingsSubject:
    """The audit subject for council settings, whose rows have a text key rather than an id."""

    __tablename__ = "council_settings"
    id = None


def read(prefix: str) -> dict[str, str]:
    """Every stored value under `prefix`, keyed without it: one query."""
    rows = db.session.execute(select(CouncilSetting.key, CouncilSetting.value).where(
        CouncilSetting.key.startswith(prefix)))
    return {key[len(prefix):]: value for key, value in rows}


def value(key: str) -> str | None:
    return db.session.scalar(select(CouncilSetting.value).where(CouncilSetting.key == key))


def write(prefix: str, values: dict[str, str], *, replace: bool = False) -> None:
    """Store `values` under `prefix`; with `replace`, keys under `prefix` not given are
    removed. Flushes; the caller audits and commits."""
    wanted = {prefix + key: text[:200] for key, text in values.items()}
    for row in db.session.scalars(select(CouncilSetting).where(
            CouncilSetting.key.startswith(prefix))):
        if row.key in wanted:
            row.value = wanted.pop(row.key)
        elif replace:
            db.session.delete(row)
    db.session.add_all(CouncilSetting(key=k, value=v) for k, v in wanted.items())
    db.session.flush()


def put(key: str, text: str) -> str | None:
    """Store one setting; returns the value it replaced (None if there was none). Flushes."""
    row = db.session.get(CouncilSetting, key)
    before = row.value if row is not None else None
    if row is None:
        db.session.add(CouncilSetting(key=key, value=text[:200]))
    else:
        row.value = text[:200]
    db.session.flush()
    return before
