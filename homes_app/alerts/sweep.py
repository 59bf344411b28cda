"""The sweep: find the conditions that stand now, raise an alert for each new one, leave
standing ones alone (their figure kept current), and resolve those whose condition cleared.

Idempotent, and safe when two sweeps run at once: a new alert is inserted with ON CONFLICT DO
NOTHING on the unique active key, so only one of them raises it (and only that one queues its
email); a resolution only touches rows still active."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from . import rules, staffing_rules
from .models import SEVERITY_RANK, Alert
from .rules import Condition, Context
from .settings import KINDS, AlertSettings, load

RULES = {
    "occupancy_below_target": rules.occupancy_below_target,
    "home_full": rules.home_full,
    "all_homes_full": rules.all_homes_full,
    "bed_void": rules.bed_void,
    "milestone_due": rules.milestone_due,
    "milestone_overdue": rules.milestone_overdue,
    "opening_slipping": rules.opening_slipping,
    "compliance_due": rules.compliance_due,
    "compliance_overdue": rules.compliance_overdue,
    "reg40_late": rules.reg40_late,
    "shift_uncovered": staffing_rules.shift_uncovered,
    "staffing_below_minimum": staffing_rules.staffing_below_minimum,
    "staff_check_due": staffing_rules.staff_check_due,
    "staff_check_overdue": staffing_rules.staff_check_overdue,
    "relief_hours": staffing_rules.relief_hours,
    "records_past_retention": rules.records_past_retention,
}
assert set(RULES) == set(KINDS)  # noqa: S101  (a kind without a rule is a programming error)
CHUNK = 500


@dataclass
class SweepResult:
    raised: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)  # now high, and were not

    def __str__(self) -> str:
        return (f"{len(self.raised)} raised, {len(self.resolved)} resolved, "
                f"{len(self.escalated)} escalated")


def conditions(now: datetime, settings: AlertSettings) -> dict[str, Condition]:
    """Every condition standing at `now` (London), of the kinds switched on, by key."""
    context = Context(now, now.date(), settings)
    found: dict[str, Condition] = {}
    for kind, rule in RULES.items():
        if settings.on(kind):
            found.update((c.key, c) for c in rule(context))
    return found


def sweep(now: datetime, settings: AlertSettings | None = None) -> SweepResult:
    """Bring the alerts in line with the conditions at `now`; flushes, never commits."""
    settings = settings or load()
    found = conditions(now, settings)
    standing = {a.active_key: a for a in db.session.scalars(
        select(Alert).where(Alert.active_key.is_not(None)))}
    result = SweepResult()
    _refresh(standing, found, result)
    result.raised = _raise([c for k, c in found.items() if k not in standing], now)
    cleared = [a for k, a in standing.items() if k not in found]
    result.resolved = _resolve(cleared, settings, now)
    db.session.expire_all()
    return result


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(Alert)


def _raise(new: list[Condition], now: datetime) -> list[int]:
    ids: list[int] = []
    rows = [{"kind": c.kind, "condition_key": c.key, "active_key": c.key,
             "severity": c.severity, "home_id": c.home_id, "staff_id": c.staff_id,
             "subject_type": c.subject_type, "subject_id": c.subject_id, "message": c.message,
             "link_endpoint": c.link_endpoint, "link_args": c.link_args, "raised_at": now,
             "state": "open"} for c in new]
    if rows:
        # One executemany (batched by the driver layer), not a compiled multi-row VALUES.
        stmt = (_insert().on_conflict_do_nothing(index_elements=["active_key"])
                .returning(Alert.id))
        ids.extend(db.session.connection().execute(stmt, rows).scalars())
    return ids


def _refresh(standing: dict[str, Alert], found: dict[str, Condition],
             result: SweepResult) -> None:
    """Keep a standing alert's message (its figure) current, and raise its severity if the
    condition got worse (e.g. an uncovered shift now tonight). One statement for the changes."""
    changes = []
    for key, alert in standing.items():
        c = found.get(key)
        if c is None or alert.state == "resolved" or (c.message == alert.message and c.severity == alert.severity):
            continue
        worse = SEVERITY_RANK[c.severity] > SEVERITY_RANK[alert.severity]
        changes.append({"id": alert.id, "message": c.message,
                        "severity": c.severity if worse else alert.severity})
        if worse and c.severity == "high":
            # Conditional, so that of two sweeps at once only one emails the escalation.
            done = db.session.scalar(update(Alert).where(
                Alert.id == alert.id, Alert.severity != "high").values(severity="high")
                .returning(Alert.id), execution_options={"synchronize_session": False})
            if done is not None:
                result.escalated.append(alert.id)
    if changes:
        db.session.execute(update(Alert), changes)


def _resolve(cleared: list[Alert], settings: AlertSettings, now: datetime) -> list[int]:
    """Resolve alerts whose condition cleared, and release the keys of those a person had
    already resolved (so the condition, if it comes back, raises a new alert)."""
    resolved = []
    for reason in ("Condition cleared", "Alert kind switched off"):
        ids = [a.id for a in cleared if a.state != "resolved"
               and (reason == "Condition cleared") == settings.on(a.kind)]
        for start in range(0, len(ids), CHUNK):
            resolved.extend(db.session.scalars(
                update(Alert).where(Alert.id.in_(ids[start:start + CHUNK]),
                                    Alert.active_key.is_not(None))
                .values(state="resolved", active_key=None, resolved_at=now,
                        resolved_reason=reason).returning(Alert.id)))
    released = [a.id for a in cleared if a.state == "resolved"]
    for start in range(0, len(released), CHUNK):
        db.session.execute(update(Alert).where(Alert.id.in_(released[start:start + CHUNK]))
                           .values(active_key=None))
    return resolved
