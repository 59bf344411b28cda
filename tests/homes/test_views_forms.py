"""Refused posts: replayed and stale forms, impossible dates, dates out of order and broken
rules each show a clear message beside the field, keep the input, and write nothing."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest

from homes_app.extensions import db
from homes_app.homes.models import BedHold, Home
from homes_app.web import REPLAYED

from ..helpers import hidden_fields, submit
from .forms_data import home_post, routes
from .support import TODAY, day, state, stay, text

STALE = "someone else changed this home"


def beside(response, field: str) -> str:
    """The GOV.UK error message shown beside `field`."""
    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>',
                      text(response), re.S)
    assert found, f"no error beside {field}"
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", found.group(1))).replace(
        "Error:", "").strip()


def summary(response) -> str:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', text(response), re.S)
    assert found, "no error summary"
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", found.group(1))).strip()


def as_role(login, world, role):
    login(world.users["administrator" if role == "admin" else "registered_manager"])


@pytest.mark.parametrize(("route", "role"), [
    ("new_home", "admin"), ("edit_home", "admin"), ("settings", "admin"),
    ("new_bed", "manager"), ("hold_bed", "manager"), ("out_of_use", "manager"),
    ("end_hold", "manager"),
])
def test_a_replayed_form_is_refused_and_writes_nothing(client, login, world, route, role):
    url, data, _ = routes(world)[route]
    as_role(login, world, role)
    fields = hidden_fields(text(client.get(url)))
    assert client.post(url, data={**fields, **data}).status_code == 302
    after_first = state()
    replay = client.post(url, data={**fields, **data})
    assert replay.status_code == 409
    assert REPLAYED in html.unescape(text(replay))
    assert state() == after_first


@pytest.mark.parametrize(("route", "role"), [
    ("new_home", "admin"), ("settings", "admin"), ("new_bed", "manager"),
    ("hold_bed", "manager"), ("end_hold", "manager"),
])
def test_a_form_sent_without_its_nonce_is_refused_and_writes_nothing(client, login, world,
                                                                      route, role):
    """Leaving the one-time nonce out (or empty) is no way round replay protection: such a
    post is refused however often it is sent; the page's own nonce still works, once."""
    url, data, _ = routes(world)[route]
    as_role(login, world, role)
    fields = hidden_fields(text(client.get(url)))
    without = {name: value for name, value in fields.items() if name != "form_nonce"}
    before = state()
    for sent in (without, without, {**without, "form_nonce": ""}):
        refused = client.post(url, data={**sent, **data})
        assert refused.status_code != 302
        assert "The form was incomplete" in html.unescape(text(refused))
        assert state() == before
    assert client.post(url, data={**fields, **data}).status_code == 302
    assert client.post(url, data={**fields, **data}).status_code == 409


@pytest.mark.parametrize("route", ["edit_home", "new_bed", "retire_bed", "hold_bed",
                                   "end_hold", "out_of_use", "end_out_of_use"])
def test_a_stale_form_is_refused_and_writes_nothing(client, login, world, route):
    url, data, _ = routes(world)[route]
    as_role(login, world, "admin" if route == "edit_home" else "manager")
    fields = hidden_fields(text(client.get(url)))
    home = db.session.get(Home, world.home.id)
    home.version += 1  # someone else saved a change to the home meanwhile
    db.session.commit()
    before = state()
    response = client.post(url, data={**fields, **data})
    assert response.status_code == 409
    assert STALE in text(response)
    assert state() == before
    # The page now carries the current version and the person's input: sending it again works.
    again = hidden_fields(text(response))
    assert again["version"] == str(before["homes"][0][1])
    assert again["form_nonce"] != fields["form_nonce"]
    assert client.post(url, data={**again, **data}).status_code == 302


@pytest.mark.parametrize(("route", "field", "value", "message"), [
    ("hold_bed", "starts_on", ["31", "02", "2026"], "Start date must be a real date"),
    ("hold_bed", "ends_on", ["1", "13", "2026"], "End date (optional) must be a real date"),
    ("hold_bed", "starts_on", ["", "", ""], "Enter the date the hold starts"),
    ("hold_bed", "starts_on", ["1", "", "2026"], "Start date must include a month"),
    ("hold_bed", "starts_on", ["1", "12", "26"], "Year must include 4 numbers"),
    ("out_of_use", "starts_on", ["29", "2", "2027"], "Start date must be a real date"),
    ("retire_bed", "in_service_until", ["31", "4", "2027"],
     "Date the bed leaves service must be a real date"),
    ("new_bed", "in_service_from", ["a", "b", "c"],
     "Date the bed comes into service must be a real date"),
    ("end_hold", "ends_on", ["30", "2", "2026"], "End date must be a real date"),
    ("new_home", "registered_on", ["31", "02", "2026"],
     "Date registered with Ofsted must be a real date"),
    # Real dates, but a day after (or before) them is past Python's calendar.
    ("hold_bed", "ends_on", ["31", "12", "9999"], "End date (optional) must be between 1900 "
                                                  "and 2199"),
    ("new_home", "registered_on", ["1", "1", "0001"],
     "Date registered with Ofsted must be between 1900 and 2199"),
])
def test_an_impossible_date_is_shown_beside_its_field(client, login, world, route, field,
                                                     value, message):
    url, data, _ = routes(world)[route]
    as_role(login, world, "admin" if route == "new_home" else "manager")
    before = state()
    response = submit(client, url, {**data, field: value})
    assert response.status_code == 200
    assert beside(response, field) == message
    assert message in summary(response)
    for box in value:  # what the person typed is still there
        if box:
            assert f'name="{field}" type="text" value="{box}"' in text(response)
    assert state() == before


@pytest.mark.parametrize("route", ["hold_bed", "out_of_use"])
def test_an_end_before_the_start_is_refused(client, login, world, route):
    url, data, _ = routes(world)[route]
    login(world.users["registered_manager"])
    before = state()
    response = submit(client, url, {**data, "starts_on": day(TODAY),
                                    "ends_on": ["21", "11", "2026"]})
    assert response.status_code == 200
    assert beside(response, "ends_on") == "The end date must be after the start date"
    assert 'value="21"' in text(response)
    assert state() == before


def test_ending_a_hold_before_it_starts_is_refused(client, login, world):
    url, _, _ = routes(world)["end_hold"]
    login(world.users["registered_manager"])
    before = state()
    response = submit(client, url, {"ends_on": ["30", "11", "2026"]})
    assert beside(response, "ends_on") == ("The end date must be after the start date "
                                           "(1 December 2026)")
    assert state() == before


def test_a_hold_over_a_childs_stay_is_refused_beside_the_start(client, login, world, make):
    bed = world.home.beds[2]
    stay(bed, make.child(), TODAY)
    url, data, _ = routes(world)["hold_bed"]
    login(world.users["registered_manager"])
    before = state()
    response = submit(client, url, data)
    assert response.status_code == 200
    assert beside(response, "starts_on") == "Bed 3 is occupied on the night of 22 November 2026"
    assert state() == before


def test_overlapping_hold_is_refused(client, login, world):
    url, data, _ = routes(world)["hold_bed"]
    url = url.replace(f"/beds/{world.home.beds[2].id}/", f"/beds/{world.home.beds[0].id}/")
    login(world.users["registered_manager"])
    before = state()
    response = submit(client, url, {**data, "ends_on": ["2", "12", "2026"]})
    assert beside(response, "starts_on") == ("Bed 1 is already held for matching from "
                                             "1 December 2026")
    assert db.session.query(BedHold).count() == 1
    assert state() == before


def test_retiring_a_bed_with_a_stay_running_past_is_refused(client, login, world, make):
    stay(world.home.beds[2], make.child(), TODAY)
    url, data, _ = routes(world)["retire_bed"]
    login(world.users["registered_manager"])
    before = state()
    response = submit(client, url, data)
    assert beside(response, "in_service_until") == (
        "Bed 3 is occupied on the night of 10 December 2026; record the child's move first")
    assert state() == before


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ofsted_urn": "SC12345"}, "ofsted_urn", "Ofsted URN must be SC followed by 6 numbers"),
    ({"ofsted_urn": "12345678"}, "ofsted_urn", "Ofsted URN must be SC followed by 6 numbers"),
    ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode, like DE1 2AB"),
    ({"max_children": "13"}, "max_children", "Maximum number of children must be between"),
    ({"max_children": "two"}, "max_children", "Maximum number of children must be a whole"),
    ({"max_children": ""}, "max_children", "Enter the maximum number of children"),
    ({"min_age": "15", "max_age": "12"}, "min_age", "Youngest age must be the same as or"),
    ({"weekly_unit_cost": "12.345"}, "weekly_unit_cost", "Weekly unit cost must be in pounds"),
    ({"weekly_unit_cost": "lots"}, "weekly_unit_cost", "Weekly unit cost must be an amount"),
    ({"weekly_unit_cost": "99999999999999999999"}, "weekly_unit_cost",
     "Weekly unit cost must be £21,474,836.47 or less"),  # more pence than a column holds
    ({"max_children": "99999999999999999999"}, "max_children",
     "Maximum number of children must be between -2,147,483,647 and 2,147,483,647"),
    ({"categories_of_need": []}, "categories_of_need", "Select at least one category of need"),
    ({"name": ""}, "name", "Enter the name of the home"),
    ({"name": "Oak House"}, "name", "There is already a home called Oak House"),
    ({"status": "registered"}, "registered_on", "Enter the date the home was registered"),
    ({"registered_manager_id": "abc"}, "registered_manager_id", "Choose a registered manager"),
])
def test_bad_home_input_is_shown_beside_the_field(client, login, world, changes, field,
                                                  message):
    login(world.users["administrator"])
    before = state()
    response = submit(client, "/homes/new", home_post(**changes))
    assert response.status_code == 200
    assert beside(response, field).startswith(message)
    assert "1 Birch Road</textarea>" in text(response)  # the rest of the input is kept
    if changes.get("name") != "":
        assert 'value="' + changes.get("name", "Birch House") + '"' in text(response)
    assert state() == before


def test_reducing_the_maximum_below_children_placed_is_refused(client, login, world, make):
    home = world.home
    stay(home.beds[0], make.child(), date(2026, 11, 1), date(2026, 12, 1))
    stay(home.beds[2], make.child(), TODAY)
    stay(world.other.beds[0], make.child(), TODAY)  # another home's child does not count
    login(world.users["administrator"])
    before = state()
    response = submit(client, f"/homes/{home.id}/edit", home_post(home, max_children="1"))
    assert response.status_code == 200
    assert beside(response, "max_children") == (
        "2 children are placed in Oak House on the night of 22 November 2026; the maximum "
        "cannot be lower than that")
    assert 'name="max_children" type="text" spellcheck="false" value="1"' in text(response)
    assert state() == before
    response = submit(client, f"/homes/{home.id}/edit", home_post(home, max_children="2"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Home, home.id).max_children == 2


def test_the_edit_form_shows_the_home_and_saves_the_manager(client, login, world, make):
    manager = make.user("registered_manager", homes=[], display_name="Rowan Manager")
    login(world.users["administrator"])
    page = text(client.get(f"/homes/{world.home.id}/edit"))
    assert 'value="Oak House"' in page and "Rowan Manager" in page
    response = submit(client, f"/homes/{world.home.id}/edit",
                      home_post(world.home, registered_manager_id=str(manager.id),
                                target_occupancy_pct="90", weekly_unit_cost="£5,000.50"))
    assert response.status_code == 302
    assert "Oak House has been saved" in text(client.get(response.location))
    db.session.expire_all()
    home = db.session.get(Home, world.home.id)
    assert (home.registered_manager_id, home.target_occupancy_pct,
            home.weekly_unit_cost_pence) == (manager.id, 90, 500050)
    assert world.home.id in {h.id for h in db.session.get(type(manager), manager.id).homes}
    shown = text(client.get(f"/homes/{world.home.id}"))
    assert "Rowan Manager" in shown and "£5,000.50" in shown and "90%" in shown


def test_settings_page_shows_and_saves_the_default(client, login, world):
    login(world.users["administrator"])
    assert 'value="80"' in text(client.get("/settings"))
    response = submit(client, "/settings", {"default_target_occupancy_pct": "101"})
    assert beside(response, "default_target_occupancy_pct").startswith(
        "Default target occupancy must be between 1% and 100%")
    assert submit(client, "/settings", {"default_target_occupancy_pct": "72"}).status_code == 302
    assert 'value="72"' in text(client.get("/settings"))
    assert "Target 72%" in text(client.get(f"/homes/{world.other.id}"))
