"""The registration and compliance forms end to end: each saves through one service, is
audited, and comes back to the page it belongs to."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from homes_app.extensions import db
from homes_app.registration.compliance.models import ComplianceRule, Reg40Notification
from homes_app.registration.plans.models import PlanStep, StepAttachment
from homes_app.registration.templates.models import TemplateStep
from tests.helpers import hidden_fields, submit

from .support import TODAY, audit, day, step_named, text
from .test_calendar_services import open_occurrence


def test_a_manager_starts_a_plan_from_the_plan_page(client, make, login, seeded):
    home = make.home(name="Larch View", status="planned", registered_on=None, ofsted_urn=None)
    login(make.user("registered_manager", homes=[home]))
    page = client.get(f"/homes/{home.id}/registration")
    assert "has no registration plan yet" in text(page)
    response = client.post(f"/homes/{home.id}/registration/start", data={
        **hidden_fields(page.get_data(as_text=True)), "starts_on": day(TODAY)})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Projected opening 25 Jun 2027" in page
    assert "What drives the opening date Property secured" in page
    assert audit("registration.plan_start")


def test_a_manager_changes_completes_and_files_evidence_for_steps(client, world, login):
    login(world.users["registered_manager"])
    prop = step_named(world.new.id, "Property")
    response = submit(client, f"/registration/steps/{prop.id}/edit", {
        "name": prop.name, "owner": "Estates team", "target_on": day(TODAY + timedelta(days=70)),
        "evidence": "Lease signed"})
    assert response.status_code == 302
    assert "Property secured and planning or use confirmed has been saved" in text(
        client.get(response.headers["Location"]))
    assert step_named(world.new.id, "Property").owner == "Estates team"
    assert audit("registration.step_update")[-1].after["owner"] == "Estates team"

    response = submit(client, f"/registration/steps/{prop.id}/files/new", {
        "file_name": "lease.pdf", "kept_at": "Legal services, deeds room"})
    assert response.status_code == 302
    attachment = db.session.scalars(select(StepAttachment)).one()
    assert "lease.pdf (Legal services, deeds room)" in text(
        client.get(f"/homes/{world.new.id}/registration"))
    assert submit(client, f"/registration/files/{attachment.id}/remove", {}).status_code == 302
    assert db.session.scalars(select(StepAttachment)).all() == []

    response = submit(client, f"/registration/steps/{prop.id}/complete", {
        "actual_on": day(TODAY - timedelta(days=1)), "evidence": "Keys received"})
    assert response.status_code == 302
    page = text(client.get(f"/homes/{world.new.id}/registration"))
    assert "Property secured and planning or use confirmed is done" in page
    assert "Evidence: Keys received" in page


def test_a_manager_adds_and_removes_a_step(client, world, login):
    login(world.users["registered_manager"])
    prop = step_named(world.new.id, "Property")
    response = submit(client, f"/homes/{world.new.id}/registration/steps/new", {
        "name": "Neighbours consulted", "owner": "RM", f"after_{prop.id}": "20"})
    assert response.status_code == 302
    added = step_named(world.new.id, "Neighbours")
    page = text(client.get(f"/homes/{world.new.id}/registration"))
    assert "Neighbours consulted has been added to the plan" in page
    assert "Property secured and planning or use confirmed (+20 days)" in page
    response = submit(client, f"/registration/steps/{added.id}/remove", {})
    assert response.status_code == 302
    assert "Neighbours consulted has been removed" in text(client.get(response.headers[
        "Location"]))
    assert db.session.get(PlanStep, added.id) is None


def test_a_director_approves_the_plan_and_sees_the_pipeline(client, world, login):
    login(world.users["service_director"])
    pipeline = client.get("/registration")
    row = text(pipeline)
    assert "Wrenfold House" in row and "25 Jun 2027" in row and "Not yet" in row
    response = submit(client, f"/homes/{world.new.id}/registration/approve", {})
    assert response.status_code == 302
    assert "Approved by" in text(client.get(f"/homes/{world.new.id}/registration"))
    assert audit("registration.plan_approve")
    assert "Approved" in text(client.get("/registration"))


def test_an_administrator_edits_the_template(client, world, login):
    login(world.users["administrator"])
    response = submit(client, "/registration/template/new", {
        "name": "Planning permission", "kind": "step", "start_days": "30",
        "default_owner": "Planning"}, form_url="/registration/template/new")
    assert response.status_code == 302
    added = db.session.scalars(select(TemplateStep).where(
        TemplateStep.name == "Planning permission")).one()
    assert added.position == 12
    page = client.get("/registration/template").get_data(as_text=True)
    form = page[page.index(f"/registration/template/{added.id}/move"):]
    fields = hidden_fields(form[:form.index("</form>")])
    response = client.post(f"/registration/template/{added.id}/move",
                           data={**fields, "direction": "up"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TemplateStep, added.id).position == 11
    assert submit(client, f"/registration/template/{added.id}/remove", {}).status_code == 302
    assert db.session.get(TemplateStep, added.id) is None
    assert [e.action for e in audit("registration_template.move")]


def test_an_administrator_changes_a_rule_and_adds_one(client, world, login):
    login(world.users["administrator"])
    gas = db.session.scalar(select(ComplianceRule).where(ComplianceRule.key == "gas"))
    response = submit(client, f"/compliance/rules/{gas.id}/edit", {
        "name": "Gas safety certificate", "interval_months": "12", "notice_days": "45",
        "active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (gas.name, gas.notice_days) == ("Gas safety certificate", 45)
    response = submit(client, "/compliance/rules/new", {
        "name": "Legionella risk assessment", "schedule": "months", "interval_months": "24",
        "notice_days": "30"})
    assert response.status_code == 302
    assert "Legionella risk assessment" in text(client.get("/compliance/rules"))
    assert open_occurrence(world.open, "legionella_risk_assessment") is not None


def test_a_manager_records_the_calendar_an_inspection_and_a_reg40_event(client, world, login):
    login(world.users["registered_manager"])
    reg45 = open_occurrence(world.open, "reg45")
    response = submit(client, f"/occurrences/{reg45.id}/complete", {
        "completed_on": day(date(2026, 11, 20)), "done_by": "Responsible individual",
        "outcome": "Improvement plan agreed"})
    assert response.status_code == 302
    page = text(client.get(f"/homes/{world.open.id}/due"))
    assert "Reg 45 report sent to Ofsted 18 Dec 2026 Due" in page
    assert "Reg 45 review of the quality of care 20 May 2027" in page

    inspection = open_occurrence(world.open, "inspection")
    assert client.get(f"/occurrences/{inspection.id}/complete").status_code == 302
    response = submit(client, f"/homes/{world.open.id}/inspections/new", {
        "inspected_on": day(date(2026, 11, 4)), "inspection_type": "full",
        "overall_experiences": "inadequate", "help_and_protection": "requires_improvement",
        "leadership": "inadequate"})
    assert response.status_code == 302
    assert open_occurrence(world.open, "inspection").due_on == date(2027, 9, 30)
    assert "Inadequate" in text(client.get(f"/homes/{world.open.id}"))

    response = submit(client, f"/homes/{world.open.id}/notifications/new", {
        "event_type": "serious_injury", "event_on": day(TODAY), "event_time": "07:15",
        "summary": "A young person broke an arm playing football"})
    assert response.status_code == 302
    event = db.session.scalars(select(Reg40Notification)).one()
    assert "Reg 40 notification" in text(client.get("/due"))
    response = submit(client, f"/notifications/{event.id}/notified", {
        "notified_on": day(TODAY), "notified_time": "09:05",
        "notified_to": ["ofsted", "placing_authority"]})
    assert response.status_code == 302
    log = text(client.get(f"/homes/{world.open.id}/notifications"))
    assert "Notified in time" in log and "Ofsted, Placing authority" in log


def test_the_due_list_across_homes_for_a_director(client, world, login):
    login(world.users["service_director"])
    page = text(client.get("/due"))
    assert "Heatherbank House" in page and "Elm House" in page
    assert "0 overdue · 14 due soon · 2 open homes" in page
