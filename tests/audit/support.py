"""A small world of children for the audit tests, and what the log says about them."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from homes_app.audit.models import AuditEvent, AuditEventChild
from homes_app.extensions import db
from homes_app.placements import services as moves

TODAY = date(2026, 11, 22)  # the frozen clock's date


def world(make) -> SimpleNamespace:
    """Ash House with a child living there, one who left and one expected; Birch House with a
    child of its own. Ash's manager, Ash's home staff, a director, an administrator and a
    relief worker."""
    ash, birch = make.home(beds=3, name="Ash House"), make.home(beds=1, name="Birch House")
    manager = make.user("registered_manager", homes=[ash], email="rm@council.example")
    current = make.child(preferred_name="Casey Current", case_reference="LCS777001")
    left, expected, elsewhere = make.child(), make.child(), make.child(home_postcode="")
    admit = dict(emergency=False, actor=manager, today=TODAY)
    stay = moves.admit_child(ash.id, ash.beds[0].id, current, date(2026, 9, 1), **admit)
    old = moves.admit_child(ash.id, ash.beds[1].id, left, date(2026, 1, 5), **admit)
    moves.discharge_child(old, date(2026, 3, 1), destination="family", planned=True,
                          actor=manager, today=TODAY)
    planned = moves.plan_admission(ash.id, ash.beds[2].id, expected, TODAY + timedelta(days=4),
                                   actor=manager, today=TODAY)
    moves.admit_child(birch.id, birch.beds[0].id, elsewhere, date(2026, 10, 1),
                      emergency=True, actor=None, today=TODAY)
    db.session.commit()
    return SimpleNamespace(
        ash=ash, birch=birch, manager=manager, current=current, left=left, expected=expected,
        elsewhere=elsewhere, stay=stay, planned=planned,
        staff=make.user("home_staff", homes=[ash]), director=make.user("service_director"),
        admin=make.user("administrator", email="admin@council.example"),
        relief=make.user("relief_staff"))


def reads(action: str) -> list[tuple[AuditEvent, set[int]]]:
    """Each audit event of `action`, with the children it names."""
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                .order_by(AuditEvent.id)).all()
    return [(e, set(db.session.scalars(select(AuditEventChild.child_id).where(
        AuditEventChild.audit_event_id == e.id)))) for e in events]


def named(action: str) -> list[set[int]]:
    """The children each event of `action` names, oldest first."""
    return [children for _, children in reads(action)]
