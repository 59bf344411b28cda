"""Bad input gets a clear message beside its field and writes nothing."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from tests.helpers import hidden_fields, submit

from .moves_support import TODAY, admit_form, admit_now, day, placements, state, text


def field_error(response, field: str) -> str:
    """The GOV.UK error message shown beside `field` ('' if none)."""
    html = response.get_data(as_text=True)
    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', html,
                      re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", found.group(1)))).strip() \
        if found else ""


@pytest.fixture
def setting(make, login):
    """A manager signed in to a two-bed home with one place free, and a child to admit."""
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    return home, manager, make.child()


ADMIT_REFUSALS = {
    "impossible date": ({"starts_on": ["31", "2", "2026"]}, "starts_on",
                        "Date of admission must be a real date"),
    "date missing a month": ({"starts_on": ["3", "", "2026"]}, "starts_on",
                             "Date of admission must include a month"),
    "date with letters": ({"starts_on": ["1", "Nov", "2026"]}, "starts_on",
                          "Date of admission must be a real date"),
    "no date": ({"starts_on": ["", "", ""]}, "starts_on", "Enter the date of admission"),
    "future date": ({"starts_on": day(TODAY + timedelta(days=1))}, "starts_on",
                    "The admission date cannot be in the future (23 November 2026); record a "
                    "planned admission instead"),
    "unknown bed": ({"bed_id": "999999"}, "bed_id", "Choose a bed in this home"),
    "bed id that is not a number": ({"bed_id": "bed-1"}, "bed_id", "Choose a bed"),
    "no type of admission": ({"admission_type": "walk-in"}, "admission_type",
                             "Select the type of admission"),
    "unknown child": ({"child_id": "999999"}, "child_id", "Choose a child from the list"),
}


@pytest.mark.parametrize("case", ADMIT_REFUSALS, ids=list(ADMIT_REFUSALS))
def test_the_admit_form_refuses(client, setting, case):
    home, _, child = setting
    change, field, message = ADMIT_REFUSALS[case]
    before = state()
    data = {"child_id": str(child.id), "bed_id": str(home.beds[0].id),
            "starts_on": day(TODAY), "admission_type": "planned", **change}

    response = submit(client, f"/homes/{home.id}/admit", data)

    assert response.status_code == 200
    assert field_error(response, field) == f"Error: {message}"
    assert "There is a problem" in text(response)
    assert state() == before


def test_a_bed_of_another_home_is_refused(client, make, setting):
    home, _, child = setting
    other = make.home(beds=1)
    before = state()

    response = admit_form(client, home, child, other.beds[0], TODAY)

    assert response.status_code == 200
    assert field_error(response, "bed_id") == "Error: Choose a bed in this home"
    assert state() == before


def test_a_full_home_is_refused(client, make, login):
    home = make.home(beds=2, max_children=1)
    manager = login(make.user("registered_manager", homes=[home]))
    admit_now(home, make.child(), date(2026, 11, 1), manager)
    second = make.child()
    before = state()

    response = admit_form(client, home, second, home.beds[1], date(2026, 11, 10))

    assert response.status_code == 200
    assert field_error(response, "starts_on") == (
        f"Error: Conditions of registration: {home.name} may look after at most 1 child; "
        "this would make 2 on the night of 10 November 2026")
    assert state() == before


def test_a_child_of_the_wrong_age_is_refused(client, make, setting):
    home, _, _ = setting
    young = make.child(date_of_birth=date(2020, 1, 1))
    before = state()

    response = admit_form(client, home, young, home.beds[0], TODAY)

    assert response.status_code == 200
    assert field_error(response, "child_id") == (
        f"Error: Conditions of registration: {home.name} takes children aged 8 to 17; this "
        "child is 6 on 22 November 2026")
    assert state() == before


def test_a_discharge_before_the_admission_is_refused(client, setting):
    home, manager, child = setting
    stay = admit_now(home, child, date(2026, 11, 10), manager)
    before = state()

    response = submit(client, f"/placements/{stay.id}/discharge", {
        "ends_on": day(date(2026, 11, 9)), "destination": "family", "ending": "planned"})

    assert response.status_code == 200
    assert field_error(response, "ends_on") == (
        "Error: The move out (9 November 2026) cannot be before the admission "
        "(10 November 2026)")
    assert state() == before


def test_a_discharge_needs_a_destination(client, setting):
    home, manager, child = setting
    stay = admit_now(home, child, date(2026, 11, 10), manager)
    before = state()

    response = submit(client, f"/placements/{stay.id}/discharge", {
        "ends_on": day(TODAY), "destination": "", "ending": ""})

    assert field_error(response, "destination") == "Error: Choose where the child went"
    assert field_error(response, "ending") == "Error: Select whether the ending was planned"
    assert state() == before


def test_a_stale_form_is_refused_then_accepted_once_reread(client, make, setting):
    home, manager, child = setting
    url = f"/homes/{home.id}/admit"
    opened = hidden_fields(client.get(url).get_data(as_text=True))
    admit_now(home, make.child(), date(2026, 11, 1), manager, bed=home.beds[1])
    before = state()
    data = {"child_id": str(child.id), "bed_id": str(home.beds[0].id),
            "starts_on": day(TODAY), "admission_type": "emergency"}

    response = client.post(url, data={**opened, **data})

    assert response.status_code == 409
    assert "Since you opened this form, someone else changed this home" in text(response)
    assert state() == before
    again = hidden_fields(response.get_data(as_text=True))
    assert again["home_version"] == str(before["versions"][0])
    assert 'value="22"' in response.get_data(as_text=True)  # the input is kept
    assert client.post(url, data={**again, **data}).status_code == 302
    assert len(placements()) == 2


def test_a_replayed_form_is_refused(client, setting):
    home, _, child = setting
    url = f"/homes/{home.id}/admit"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    data = {**fields, "child_id": str(child.id), "bed_id": str(home.beds[0].id),
            "starts_on": day(TODAY), "admission_type": "planned"}
    assert client.post(url, data=data).status_code == 302
    before = state()

    response = client.post(url, data=data)

    assert response.status_code == 409
    assert "This form has already been submitted" in text(response)
    assert state() == before


def test_a_form_without_its_csrf_token_is_refused(client, setting):
    home, _, child = setting
    before = state()
    fields = hidden_fields(client.get(f"/homes/{home.id}/admit").get_data(as_text=True))
    del fields["csrf_token"]

    response = client.post(f"/homes/{home.id}/admit", data={
        **fields, "child_id": str(child.id), "bed_id": str(home.beds[0].id),
        "starts_on": day(TODAY), "admission_type": "planned"})

    assert response.status_code == 400  # the form expired: nothing saved, nothing kept
    assert "This form expired" in response.get_data(as_text=True)
    assert state() == before
    page = client.get(f"/homes/{home.id}/admit").get_data(as_text=True)
    assert f'value="{child.id}" selected' not in page


def test_a_bed_already_taken_for_a_planned_admission_is_refused(client, make, setting):
    home, manager, _ = setting
    admit_now(home, make.child(), date(2026, 11, 1), manager)
    second = make.child()
    before = state()

    response = submit(client, f"/homes/{home.id}/plan", {
        "child_id": str(second.id), "bed_id": str(home.beds[0].id),
        "starts_on": day(TODAY + timedelta(days=3))})

    assert response.status_code == 200
    # The rules word it "Bed <label>", which doubles a label like "Bed 1": match the rest.
    assert field_error(response, "bed_id").endswith(
        "is occupied on the night of 22 November 2026")
    assert state() == before


def test_a_stale_discharge_form_is_refused(client, make, setting):
    home, manager, child = setting
    stay = admit_now(home, child, date(2026, 11, 1), manager)
    url = f"/placements/{stay.id}/discharge"
    opened = hidden_fields(client.get(url).get_data(as_text=True))
    admit_now(home, make.child(), date(2026, 11, 2), manager, bed=home.beds[1])
    before = state()

    response = client.post(url, data={**opened, "ends_on": day(TODAY),
                                      "destination": "family", "ending": "planned"})

    assert response.status_code == 409
    assert "someone else changed this home" in text(response)
    assert state() == before
