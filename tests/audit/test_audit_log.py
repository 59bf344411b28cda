"""The audit log: written with each change, readable and filterable by administrators only,
and impossible to edit or delete (the database refuses)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.placements import services as moves


@pytest.fixture
def admitted(make):
    home = make.home(beds=1, name="Larch House")
    manager = make.user("registered_manager", homes=[home], email="rm@council.example")
    moves.admit_child(home.id, home.beds[0].id, make.child(), date(2026, 11, 1),
                      emergency=False, actor=manager, today=date(2026, 11, 22))
    db.session.commit()
    return home, manager


def test_a_move_is_audited_with_who_when_and_after_values(admitted):
    home, manager = admitted
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "placement.admit")).one()
    assert event.actor_id == manager.id and event.home_id == home.id
    assert event.occurred_at.isoformat() == "2026-11-22T10:00:00+00:00"  # 10:00 GMT in November
    assert event.after["starts_on"] == "2026-11-01"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'tampered'",
    "DELETE FROM audit_events",
])
def test_the_database_refuses_to_edit_or_delete_audit_events(admitted, statement):
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "placement.admit")) == "placement.admit"


def test_administrators_read_and_filter_the_log(admitted, client, make, login):
    login(make.user("administrator"))
    page = client.get("/audit?actor=rm%40council&action=placement.")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "placement.admit" in html and "rm@council.example" in html
    other = client.get("/audit?action=user.").get_data(as_text=True)
    assert '<td class="govuk-table__cell">placement.admit</td>' not in other
    assert '<td class="govuk-table__cell">user.create</td>' not in other  # factories skip it


def test_a_bad_filter_shows_a_message_not_an_error(admitted, client, make, login):
    login(make.user("administrator"))
    page = client.get("/audit?since=31-02-2026")
    assert page.status_code == 200
    assert "Not a valid date value" in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["service_director", "registered_manager", "home_staff",
                                  "relief_staff"])
def test_only_administrators_see_the_log(admitted, client, make, login, role):
    home, _ = admitted
    login(make.user(role, homes=[home] if role in ("registered_manager", "home_staff") else []))
    assert client.get("/audit").status_code == 403


def test_viewing_a_childs_record_is_audited_and_administrators_can_report_it(client, make, login):
    home = make.home(beds=1)
    child = make.child()
    moves.admit_child(home.id, home.beds[0].id, child, date(2026, 11, 1), emergency=False,
                      actor=None, today=date(2026, 11, 22))
    db.session.commit()
    manager = login(make.user("registered_manager", homes=[home], email="looker@council.example"))
    assert client.get(f"/children/{child.id}").status_code == 200
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "child.view")).all()
    assert [(v.actor_id, v.subject_type, v.subject_id) for v in views] == \
        [(manager.id, "children", child.id)]
    login(make.user("administrator"))
    report = client.get(f"/audit?action=child.view&subject_type=children&subject_id={child.id}")
    assert "looker@council.example" in report.get_data(as_text=True)


def test_a_refused_look_is_not_recorded_as_a_view(client, make, login):
    home, other = make.home(beds=1), make.home(beds=1)
    child = make.child()
    moves.admit_child(other.id, other.beds[0].id, child, date(2026, 11, 1), emergency=False,
                      actor=None, today=date(2026, 11, 22))
    db.session.commit()
    login(make.user("registered_manager", homes=[home]))
    assert client.get(f"/children/{child.id}").status_code == 404
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "child.view")).all() == []
