"""A registered manager admits a child, and plans, confirms, re-dates and cancels admissions."""
from __future__ import annotations

import re
from datetime import date, timedelta

from homes_app.extensions import db
from homes_app.placements import services
from tests.helpers import submit

from .moves_support import (
    TODAY,
    admit_form,
    admit_now,
    audit,
    day,
    placements,
    plan_now,
    text,
)


def _occupancy(client, home) -> str:
    html = client.get(f"/homes/{home.id}").get_data(as_text=True)
    return re.search(r'data-test="month-occupancy">([^<]*)<', html).group(1)


def test_the_admit_page_has_the_labels_the_browser_test_uses(client, make, login):
    home = make.home(beds=2)
    login(make.user("registered_manager", homes=[home]))
    html = client.get(f"/homes/{home.id}/admit").get_data(as_text=True)
    assert re.search(r'<label class="govuk-label" for="child_id">\s*Child\s*</label>', html)
    assert re.search(r'<label class="govuk-label" for="bed_id">\s*Bed\s*</label>', html)
    assert re.search(r"<legend[^>]*>\s*Date of admission\s*</legend>", html)
    for unit in ("day", "month", "year"):
        assert f'for="starts_on-{unit}"' in html
    assert re.search(r"<legend[^>]*>\s*Type of admission\s*</legend>", html)
    assert re.search(r">\s*Planned\s*</label>", html) and re.search(r">\s*Emergency\s*</label>",
                                                                     html)
    assert re.search(r"<button[^>]*>\s*Admit child\s*</button>", html)


def test_a_manager_admits_a_child_and_occupancy_changes(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Robin")
    before = _occupancy(client, home)

    response = admit_form(client, home, child, home.beds[1], TODAY - timedelta(days=7),
                          "emergency")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/homes/{home.id}"
    page = client.get(f"/homes/{home.id}")
    assert "Robin was admitted to" in text(page)
    assert _occupancy(client, home) != before
    [stay] = placements()
    assert (stay.child_id, stay.bed_id, stay.starts_on) == (child.id, home.beds[1].id,
                                                            TODAY - timedelta(days=7))
    assert (stay.status, stay.admission_type, stay.created_by_id) == ("confirmed", "emergency",
                                                                      manager.id)
    [event] = audit("placement.admit")
    assert event.actor_id == manager.id and event.home_id == home.id
    assert event.after["starts_on"] == "2026-11-15" and event.after["admission_type"] == "emergency"


def test_the_home_page_offers_the_moves_to_its_manager_only(client, make, login):
    home = make.home(beds=1)
    manager = make.user("registered_manager", homes=[home])
    stay = admit_now(home, make.child(), date(2026, 11, 1), manager)
    login(make.user("home_staff", homes=[home]))
    assert "Record a move" not in text(client.get(f"/homes/{home.id}"))

    login(manager)
    page = client.get(f"/homes/{home.id}")

    assert "Record a move" in text(page) and "Admit a child" in text(page)
    assert f"/placements/{stay.id}/discharge" in page.get_data(as_text=True)


def test_plan_then_confirm(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Sam")
    expected = TODAY + timedelta(days=5)

    response = submit(client, f"/homes/{home.id}/plan", {
        "child_id": str(child.id), "bed_id": str(home.beds[0].id), "starts_on": day(expected)})
    assert response.status_code == 302
    [stay] = placements()
    assert (stay.status, stay.held_from, stay.starts_on) == ("planned", TODAY, expected)
    assert "A bed is held for Sam" in text(client.get(f"/homes/{home.id}"))

    response = submit(client, f"/placements/{stay.id}/confirm", {"starts_on": day(TODAY)})
    assert response.status_code == 302
    [stay] = placements()
    assert (stay.status, stay.starts_on) == ("confirmed", TODAY)
    [event] = audit("placement.confirm")
    assert event.before["status"] == "planned" and event.after["status"] == "confirmed"
    assert event.actor_id == manager.id


def test_redate_a_planned_admission(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    stay = plan_now(home, make.child(), TODAY + timedelta(days=3), manager)
    later = TODAY + timedelta(days=10)

    response = submit(client, f"/placements/{stay.id}/redate", {"starts_on": day(later)})

    assert response.status_code == 302
    assert placements()[0].starts_on == later
    [event] = audit("placement.redate")
    assert event.before["starts_on"] == "2026-11-25" and event.after["starts_on"] == "2026-12-02"
    assert "The planned admission has a new date" in text(client.get(f"/homes/{home.id}"))


def test_cancel_a_planned_admission(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    stay = plan_now(home, make.child(), TODAY + timedelta(days=3), manager)

    response = submit(client, f"/placements/{stay.id}/cancel", {})

    assert response.status_code == 302
    [stay] = placements()
    assert (stay.status, stay.end_reason, stay.ends_on) == ("cancelled", "cancelled", TODAY)
    [event] = audit("placement.cancel")
    assert event.before["status"] == "planned" and event.after["status"] == "cancelled"


def test_the_admit_form_lists_only_children_the_manager_may_admit(client, make, login):
    home, other = make.home(beds=2), make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    elsewhere = make.child(preferred_name="Elsewhere")
    admit_now(other, elsewhere, date(2026, 10, 1), make.user("registered_manager",
                                                              homes=[other]))
    left = make.child(preferred_name="Returned")
    stay = admit_now(home, left, date(2026, 1, 5), manager)
    services.discharge_child(stay, date(2026, 3, 1), destination="family", planned=True,
                             actor=manager, today=TODAY)
    db.session.commit()

    page = text(client.get(f"/homes/{home.id}/admit"))

    assert "Returned" in page and "Elsewhere" not in page
