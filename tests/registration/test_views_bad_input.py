"""Bad input on the registration and compliance forms gets a clear message beside its field
and writes nothing: an actual date in the future, a dependency loop, a URN in neither format,
completing a step before the steps it follows without confirming, and more."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from homes_app.extensions import db
from homes_app.registration.plans import services
from homes_app.registration.templates.models import TemplateStep
from tests.helpers import hidden_fields, submit

from .support import TODAY, day, field_error, state, step_named, text
from .test_calendar_services import open_occurrence

CONDITIONS = {"max_children": "2", "min_age": "9", "max_age": "16", "sex_admitted": "any",
              "categories_of_need": ["ebd"]}


@pytest.fixture
def manager(world, login):
    return login(world.users["registered_manager"])


def complete_url(world, fragment: str) -> str:
    return f"/registration/steps/{step_named(world.new.id, fragment).id}/complete"


def refused(response, field: str, message: str, before: dict) -> None:
    assert response.status_code == 200, text(response)
    assert field_error(response, field) == f"Error: {message}"
    assert "There is a problem" in text(response)
    assert state() == before


def test_an_actual_date_in_the_future_is_refused(client, world, manager):
    before = state()
    response = submit(client, complete_url(world, "Property"),
                      {"actual_on": day(TODAY + timedelta(days=1))})
    refused(response, "actual_on",
            "The date it was done cannot be in the future (23 November 2026)", before)


def test_completing_before_the_steps_it_follows_needs_the_box_ticked(client, world, manager):
    before = state()
    response = submit(client, complete_url(world, "Works done"), {"actual_on": day(TODAY)})
    refused(response, "confirm_open",
            "Property secured and planning or use confirmed is not done yet. To complete this "
            "step before it, tick the box to confirm.", before)
    assert "Not done yet: Property secured" in text(response)
    ticked = submit(client, complete_url(world, "Works done"),
                    {"actual_on": day(TODAY), "confirm_open": "y"})
    assert ticked.status_code == 302
    assert step_named(world.new.id, "Works done").actual_on == TODAY


def test_a_dependency_loop_is_refused(client, world, manager):
    prop = step_named(world.new.id, "Property")
    opening = step_named(world.new.id, "Home opens")
    before = state()
    response = submit(client, f"/registration/steps/{prop.id}/edit",
                      {"name": prop.name, f"after_{opening.id}": "0"})
    refused(response, f"after_{opening.id}",
            "That would make a loop: Home opens: first admission already comes after Property "
            "secured and planning or use confirmed (Property secured and planning or use "
            "confirmed → Works done: refurbishment, fire safety, furnishing and certificates "
            "→ Home opens: first admission), so Property secured and planning or use "
            "confirmed cannot also come after it. Remove one of the two.", before)


@pytest.mark.parametrize("urn", ["SC12345", "ABC12345", "12345678", "SC-1234567"])
def test_a_urn_in_neither_format_is_refused(client, world, manager, urn):
    before = state()
    response = submit(client, complete_url(world, "Registration decision"), {
        "actual_on": day(TODAY), "confirm_open": "y", "ofsted_urn": urn, **CONDITIONS})
    refused(response, "ofsted_urn", "Ofsted URN must be SC followed by 6 numbers, like "
            "SC123456, or 7 numbers, like 2712345", before)


def test_a_urn_in_either_format_registers_the_home(client, world, manager):
    response = submit(client, complete_url(world, "Registration decision"), {
        "actual_on": day(TODAY), "confirm_open": "y", "ofsted_urn": " 2712345 ",
        "max_children": "2", "min_age": "9", "max_age": "16", "sex_admitted": "male",
        "categories_of_need": ["ebd", "mental_health"]})
    assert response.status_code == 302
    db.session.expire_all()
    home = world.new
    assert (home.status, home.ofsted_urn, home.registered_on, home.max_age,
            home.sex_admitted) == ("registered", "2712345", TODAY, 16, "male")
    assert home.needs == {"ebd", "mental_health"}
    page = text(client.get(f"/homes/{home.id}/registration"))
    assert "is registered with Ofsted" in page


def test_conditions_out_of_range_on_the_decision_are_refused(client, world, manager):
    before = state()
    response = submit(client, complete_url(world, "Registration decision"), {
        "actual_on": day(TODAY), "confirm_open": "y", "ofsted_urn": "SC123456",
        "max_children": "13", "min_age": "9", "max_age": "16", "sex_admitted": "any",
        "categories_of_need": ["ebd"]})
    refused(response, "max_children", "Maximum number of children must be between 1 and 12",
            before)


def test_a_stale_or_replayed_form_is_a_conflict(client, world, manager):
    prop = step_named(world.new.id, "Property")
    url = f"/registration/steps/{prop.id}/edit"
    page = client.get(url)
    fields = hidden_fields(page.get_data(as_text=True))
    services.update_step(prop.id, name=prop.name, owner="Someone", target_on=None,
                         evidence="", follows={}, actor=world.users["registered_manager"],
                         today=TODAY, seen_version=None)
    db.session.commit()
    before = state()
    response = client.post(url, data={**fields, "name": "Renamed"})
    assert response.status_code == 409
    assert "someone else changed this home's registration plan" in text(response)
    assert state() == before
    again = client.post(url, data={**hidden_fields(response.get_data(as_text=True)),
                                   "name": "Renamed"})
    assert again.status_code == 302
    replay = client.post(url, data={**hidden_fields(response.get_data(as_text=True)),
                                    "name": "Renamed twice"})
    assert replay.status_code == 409


def test_a_template_loop_is_refused(client, world, login):
    login(world.users["administrator"])
    steps = {s.name[:5]: s for s in db.session.scalars(select(TemplateStep))}
    prop, sc1 = steps["Prope"], steps["SC1 a"]
    before = state()
    response = submit(client, f"/registration/template/{prop.id}/edit", {
        "name": prop.name, "kind": "step", "start_days": "60", f"after_{sc1.id}": "0"})
    assert response.status_code == 200
    assert field_error(response, f"after_{sc1.id}").startswith(
        "Error: That would make a loop: SC1 application submitted and fee paid already comes "
        "after Property secured")
    assert state() == before


def test_a_completion_in_the_future_on_the_calendar_is_refused(client, world, manager):
    occurrence = open_occurrence(world.open, "gas")
    before = state()
    response = submit(client, f"/occurrences/{occurrence.id}/complete", {
        "completed_on": day(TODAY + timedelta(days=2)), "done_by": "Gas Safe engineer"})
    refused(response, "completed_on",
            "The date it was done cannot be in the future (24 November 2026)", before)


def test_a_full_inspection_without_its_judgements_is_refused(client, world, manager):
    before = state()
    response = submit(client, f"/homes/{world.open.id}/inspections/new", {
        "inspected_on": day(TODAY), "inspection_type": "full",
        "overall_experiences": "good"})
    refused(response, "help_and_protection", "Select the judgement for how well children and "
            "young people are helped and protected", before)


def test_a_reg40_time_the_clocks_skipped_is_refused(client, world, manager):
    before = state()
    response = submit(client, f"/homes/{world.open.id}/notifications/new", {
        "event_type": "police", "event_on": ["29", "3", "2026"], "event_time": "01:30",
        "summary": "Police called"})
    refused(response, "event_time", "01:30 on 29 March 2026 did not happen in the UK: the "
            "clocks went forward an hour", before)


@pytest.mark.parametrize("change, field, message", [
    ({"event_time": "25:00"}, "event_time", "Time of the event must be a 24-hour time, "
     "like 14:30"),
    ({"event_time": ""}, "event_time", "Enter the time of the event"),
    ({"notified_on": day(TODAY), "notified_time": "07:00", "notified_to": ["ofsted"]},
     "notified_time", "The time notified cannot be before the event"),
    ({"notified_on": day(TODAY), "notified_time": "09:00"}, "notified_to",
     "Select who was notified"),
    ({"event_type": ""}, "event_type", "Select the type of event"),
])
def test_the_reg40_form_refuses(client, world, manager, change, field, message):
    before = state()
    data = {"event_type": "police", "event_on": day(TODAY), "event_time": "08:00",
            "summary": "Police called", **change}
    response = submit(client, f"/homes/{world.open.id}/notifications/new", data)
    refused(response, field, message, before)
