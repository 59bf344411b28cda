"""flask demo-data includes the registering home's plan and the open homes' calendars."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from homes_app import clock
from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.registration.compliance import queries as compliance_queries
from homes_app.registration.plans import queries


def test_demo_data_has_a_plan_running_late_and_calendars_with_something_overdue(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--seed", "1"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    today = clock.today()
    homes = {h.name: h for h in db.session.scalars(select(Home))}
    view = queries.plan_view(homes["Wrenfold House"].id, today)
    assert view.days_late > 0 and view.driver.step.name.startswith("Works done")
    assert view.plan.approved_at is not None
    assert sum(r.step.done for r in view.rows) == 5
    due = compliance_queries.due_list(None, today, datetime.combine(today, datetime.min.time(),
                                                         clock.LONDON).replace(hour=10))
    assert len(due.homes) == 5
    assert {(i.home.name, i.title) for i in due.overdue} >= {
        ("Brackenridge", "Fire risk assessment"),
        ("Heatherbank House", "Reg 40 notification")}
    for home in due.homes:
        assert compliance_queries.calendar(home, today, clock.now()).unscheduled == []
    latest = compliance_queries.latest_inspections([h.id for h in due.homes])
    assert {latest[homes["Moss Lane"].id].overall_experiences} == {"requires_improvement"}
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("registration.%"), AuditEvent.actor_id.is_(None))).all()
