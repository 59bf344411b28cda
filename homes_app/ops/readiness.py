"""Whether this process can serve: the checks behind /readyz and `flask check-config`.

Each check answers in a few words an operator can act on, never with personal data: the
database is reachable, its migrations are those this code was written for, and a scheduler
has renewed its lease lately (so alerts and emails are still going out)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import text

from .. import clock
from ..extensions import db
from ..scheduler import lease


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    says: str


def migration_heads(app: Flask) -> frozenset[str]:
    """The migration heads this code expects, read from migrations/ once per process."""
    ops = app.extensions.setdefault("homes_ops", {})
    if "heads" not in ops:
        ops["heads"] = frozenset(ScriptDirectory(app.extensions["migrate"].directory)
                                 .get_heads())
    return ops["heads"]


def checks(now: datetime | None = None) -> list[Check]:
    """The database first: when it cannot be read, the other two cannot be known."""
    try:
        current = frozenset(db.session.execute(
            text("SELECT version_num FROM alembic_version")).scalars())
        beat = lease.heartbeat()
    except Exception as error:  # noqa: BLE001 (whatever the driver raised, the answer is no)
        db.session.rollback()
        return [Check("database", False, f"cannot be read ({type(error).__name__})")]
    finally:
        db.session.close()
    return [Check("database", True, "reachable"), _migrations(current),
            _scheduler(beat, now or clock.utcnow())]


def _migrations(current: frozenset[str]) -> Check:
    if current == migration_heads(current_app):
        return Check("migrations", True, "at head")
    return Check("migrations", False, "not at head: run flask db upgrade")


def _scheduler(beat: datetime | None, now: datetime) -> Check:
    """A heartbeat older than READY_SCHEDULER_MAX_AGE_SECONDS means no scheduler leads;
    0 turns the check off (a host that only serves, where another host's scheduler is
    watched by its own probe)."""
    limit = int(current_app.config["READY_SCHEDULER_MAX_AGE_SECONDS"])
    if limit <= 0:
        return Check("scheduler", True, "not checked (READY_SCHEDULER_MAX_AGE_SECONDS=0)")
    if beat is None:
        return Check("scheduler", False, "no heartbeat yet: is flask run-scheduler running?")
    age = (now - beat).total_seconds()
    if age > limit:
        return Check("scheduler", False, f"last heartbeat {age:.0f} s ago (limit {limit} s)")
    return Check("scheduler", True, f"heartbeat {age:.0f} s ago")
