"""Deleting spent rows a batch at a time, for the housekeeping job (docs/retention.md,
"Housekeeping"). Each domain says which of its rows are spent; this deletes them. Every batch is
a short transaction of its own, so a backlog of a million rows never holds SQLite's one write
lock, or PostgreSQL's row locks, for longer than one batch takes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, delete, inspect, select

from ..errors import DomainError
from ..extensions import db


@dataclass(frozen=True)
class Spent:
    """Rows of one table that have served their purpose: `what` names them in the job's
    summary, `where` picks them out."""

    what: str
    model: type
    where: ColumnElement[bool]


def delete_in_batches(spent: Spent, batch: int) -> int:
    """Delete every spent row, at most `batch` per statement, committing each; how many went.

    DELETE ... WHERE key IN (SELECT key ... LIMIT n) runs on both databases (neither allows
    LIMIT on DELETE itself). No ORDER BY: any n spent rows will do, and the first the scan meets
    are the oldest, so a pass stops early. The subquery is never correlated with the DELETE:
    it reads the same table, and correlating would drop its FROM."""
    (key,) = inspect(spent.model).primary_key
    total = 0
    while True:
        chosen = select(key).where(spent.where).limit(batch).correlate(None)
        gone = db.session.execute(delete(spent.model).where(key.in_(chosen))
                                  .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        total += gone
        if gone < batch:
            return total


def whole_number_setting(name: str, least: int) -> int:
    """A count from the settings (a keep period in days, a batch size), refused with a message
    naming the setting when it is not a whole number at least `least`: a negative keep period
    would delete what is still in use."""
    value = current_app.config[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise DomainError(f"{name} must be a whole number, {least} or more (not {value!r})")
    return value
