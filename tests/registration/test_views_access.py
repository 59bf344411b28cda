"""Every registration and compliance page checks role and home on the server: managers their
homes, directors all (read and approve), administrators the template and rules, home staff
their home's due list, relief staff nothing."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from homes_app.clock import LONDON
from homes_app.extensions import db
from homes_app.registration.compliance import reg40
from homes_app.registration.compliance import services as calendar_services
from homes_app.registration.compliance.models import ComplianceOccurrence, ComplianceRule
from homes_app.registration.plans import completion
from homes_app.registration.templates.models import TemplateStep
from tests.helpers import hidden_fields

from .support import TODAY, step_named, text

ROLES = ("administrator", "service_director", "registered_manager", "home_staff",
         "relief_staff", "other_manager")
MANAGER, DIRECTOR, ADMIN = {"registered_manager"}, {"service_director"}, {"administrator"}
READERS = {"administrator", "service_director", "registered_manager"}


def ids(world) -> dict:
    manager = world.users["registered_manager"]
    step = step_named(world.new.id, "Works done")
    attachment = completion.add_attachment(step.id, file_name="a.pdf", kept_at="x",
                                         actor=manager, today=TODAY)
    event = reg40.record_reg40(
        world.open.id, event_type="police", event_at=datetime(2026, 11, 22, 8, tzinfo=LONDON),
        summary="x", notified_at=None, notified_to=[], actor=manager,
        now=datetime(2026, 11, 22, 10, tzinfo=LONDON))
    db.session.commit()
    occurrence = db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == world.open.id)).first()
    return {"new": world.new.id, "open": world.open.id, "step": step.id,
            "attachment": attachment.id, "occurrence": occurrence.id, "event": event.id,
            "template": db.session.scalars(select(TemplateStep)).first().id,
            "rule": db.session.scalars(select(ComplianceRule)).first().id}


PAGES = [
    ("/registration", DIRECTOR | ADMIN),
    ("/homes/{new}/registration", READERS),
    ("/homes/{new}/registration/start", MANAGER),
    ("/homes/{new}/registration/steps/new", MANAGER),
    ("/homes/{new}/registration/approve", DIRECTOR),
    ("/registration/steps/{step}/edit", MANAGER),
    ("/registration/steps/{step}/complete", MANAGER),
    ("/registration/steps/{step}/remove", MANAGER),
    ("/registration/steps/{step}/files/new", MANAGER),
    ("/registration/files/{attachment}/remove", MANAGER),
    ("/registration/template", ADMIN),
    ("/registration/template/new", ADMIN),
    ("/registration/template/{template}/edit", ADMIN),
    ("/registration/template/{template}/remove", ADMIN),
    ("/due", READERS),
    ("/homes/{open}/due", READERS | {"home_staff"}),
    ("/occurrences/{occurrence}/complete", MANAGER),
    ("/homes/{open}/inspections/new", MANAGER),
    ("/homes/{open}/notifications", READERS),
    ("/homes/{open}/notifications/new", MANAGER),
    ("/notifications/{event}/notified", MANAGER),
    ("/compliance/rules", ADMIN),
    ("/compliance/rules/new", ADMIN),
    ("/compliance/rules/{rule}/edit", ADMIN),
]
POST_ONLY = [
    ("/registration/template/seed", ADMIN),
    ("/compliance/rules/seed", ADMIN),
    ("/registration/template/{template}/move", ADMIN),
    ("/homes/{open}/due/start", MANAGER),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_is_open_only_to_its_roles_and_homes(client, login, world, role):
    found = ids(world)
    login(world.users[role])
    for page, allowed in PAGES:
        url = page.format(**found)
        response = client.get(url)
        if role in allowed or (role == "other_manager" and "registered_manager" in allowed
                               and "{" not in page):
            assert response.status_code == 200, (role, url, response.status_code)
        elif role == "other_manager" and "registered_manager" in allowed:
            assert response.status_code == 404, (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
    token = hidden_fields(client.get("/", follow_redirects=True).get_data(as_text=True))
    for page, allowed in POST_ONLY:
        response = client.post(page.format(**found), data=token)
        expected = (302,) if role in allowed else (403, 404)
        assert response.status_code in expected, (role, page, response.status_code)


def test_the_nav_shows_registration_and_the_due_list_to_the_right_people(client, login, world):
    login(world.users["service_director"])
    nav = client.get("/homes").get_data(as_text=True)
    assert 'href="/registration"' in nav and 'href="/due"' in nav
    client.post("/sign-out")


@pytest.mark.parametrize("role", ["administrator", "service_director", "registered_manager",
                                  "home_staff"])
def test_the_home_page_shows_the_latest_judgement_and_whats_due(client, login, world, role):
    manager = world.users["registered_manager"]
    calendar_services.record_inspection(
        world.open.id, inspected_on=TODAY, inspection_type="full",
        judgements={"overall_experiences": "requires_improvement",
                    "help_and_protection": "good", "leadership": "good"}, note="",
        actor=manager, today=TODAY)
    db.session.commit()
    login(world.users[role])
    page = text(client.get(f"/homes/{world.open.id}"))
    assert ("Latest Ofsted full inspection, 22 Nov 2026: Requires improvement to be good"
            in page)
    assert "Overdue" not in page and "Due Reg 44 independent person visit" in page
    plan_page = text(client.get(f"/homes/{world.new.id}"))
    assert "Projected opening: 25 Jun 2027" in plan_page
