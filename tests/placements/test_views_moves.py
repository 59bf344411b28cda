"""A registered manager transfers, discharges and corrects stays through the pages."""
from __future__ import annotations

from datetime import date

from tests.helpers import submit

from .moves_support import TODAY, admit_now, audit, day, placements, state, text


def test_transfer_to_another_bed_in_the_same_home(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Alex")
    first = admit_now(home, child, date(2026, 10, 1), manager)

    response = submit(client, f"/placements/{first.id}/transfer", {
        "bed_id": str(home.beds[1].id), "ends_on": day(date(2026, 11, 20)),
        "ending": "planned"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/homes/{home.id}"
    old, new = placements()
    assert (old.ends_on, old.end_reason, old.ending_planned) == (date(2026, 11, 20),
                                                                 "transfer", True)
    assert (new.bed_id, new.starts_on, new.admission_type, new.previous_placement_id) == (
        home.beds[1].id, date(2026, 11, 20), "transfer", old.id)
    [out] = audit("placement.transfer_out")
    assert out.before["ends_on"] is None and out.after["ends_on"] == "2026-11-20"
    assert len(audit("placement.transfer_in")) == 1
    assert "Alex moved to" in text(client.get(f"/homes/{home.id}"))


def test_transfer_to_another_home_the_manager_manages(client, make, login):
    home, second = make.home(beds=1), make.home(beds=1)
    manager = login(make.user("registered_manager", homes=[home, second]))
    first = admit_now(home, make.child(), date(2026, 10, 1), manager)

    form = text(client.get(f"/placements/{first.id}/transfer"))
    assert f"{second.name}: Bed 1" in form
    response = submit(client, f"/placements/{first.id}/transfer", {
        "bed_id": str(second.beds[0].id), "ends_on": day(TODAY), "ending": "unplanned"})

    assert response.status_code == 302
    old, new = placements()
    assert (old.home_id, old.ends_on, old.ending_planned) == (home.id, TODAY, False)
    assert (new.home_id, new.starts_on) == (second.id, TODAY)


def test_no_transfer_into_a_home_the_manager_does_not_manage(client, make, login):
    home, elsewhere = make.home(beds=1), make.home(beds=1)
    manager = login(make.user("registered_manager", homes=[home]))
    first = admit_now(home, make.child(), date(2026, 10, 1), manager)
    assert elsewhere.name not in text(client.get(f"/placements/{first.id}/transfer"))
    before = state()

    response = submit(client, f"/placements/{first.id}/transfer", {
        "bed_id": str(elsewhere.beds[0].id), "ends_on": day(TODAY), "ending": "planned"})

    assert response.status_code == 200
    assert "Choose a bed in a home you manage" in text(response)
    assert state() == before


def test_discharge(client, make, login):
    home = make.home(beds=1)
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Jo")
    stay = admit_now(home, child, date(2026, 6, 1), manager)
    form = client.get(f"/placements/{stay.id}/discharge").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/children/{child.id}">Jo</a>' in form

    response = submit(client, f"/placements/{stay.id}/discharge", {
        "ends_on": day(date(2026, 11, 21)), "destination": "foster_care",
        "ending": "unplanned"})

    assert response.status_code == 302
    [stay] = placements()
    assert (stay.ends_on, stay.end_reason, stay.discharge_destination, stay.ending_planned) == (
        date(2026, 11, 21), "discharge", "foster_care", False)
    [event] = audit("placement.discharge")
    assert event.before["ends_on"] is None
    assert event.after["discharge_destination"] == "foster_care"
    page = text(client.get(f"/children/{child.id}"))
    assert "Discharge: Foster care (unplanned)" in page


def test_correct_dates_with_a_reason_shows_in_the_childs_history(client, make, login):
    home = make.home(beds=1)
    manager = login(make.user("registered_manager", homes=[home], display_name="Pat Manager"))
    child = make.child()
    stay = admit_now(home, child, date(2026, 6, 1), manager)

    response = submit(client, f"/placements/{stay.id}/correct", {
        "starts_on": day(date(2026, 5, 30)), "reason": "Arrived late on the Saturday"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/children/{child.id}"
    assert placements()[0].starts_on == date(2026, 5, 30)
    [event] = audit("placement.correct")
    assert event.before == {"starts_on": "2026-06-01", "reason": "Arrived late on the Saturday"}
    assert event.after == {"starts_on": "2026-05-30"}
    page = text(client.get(f"/children/{child.id}"))
    assert "The correction is saved" in page
    assert ("Start date 2026-06-01 2026-05-30 Arrived late on the Saturday Pat Manager"
            in page)


def test_correct_an_ended_stay_and_its_transfer_partner(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    first = admit_now(home, make.child(), date(2026, 6, 1), manager)
    submit(client, f"/placements/{first.id}/transfer", {
        "bed_id": str(home.beds[1].id), "ends_on": day(date(2026, 9, 1)), "ending": "planned"})

    response = submit(client, f"/placements/{first.id}/correct", {
        "starts_on": day(date(2026, 6, 1)), "ends_on": day(date(2026, 8, 30)),
        "reason": "Moved rooms on the Sunday"})

    assert response.status_code == 302
    old, new = placements()
    assert old.ends_on == new.starts_on == date(2026, 8, 30)
    assert len(audit("placement.correct")) == 2


def test_a_correction_without_a_reason_is_refused(client, make, login):
    home = make.home(beds=1)
    manager = login(make.user("registered_manager", homes=[home]))
    stay = admit_now(home, make.child(), date(2026, 6, 1), manager)
    before = state()

    response = submit(client, f"/placements/{stay.id}/correct", {
        "starts_on": day(date(2026, 5, 30)), "reason": "   "})

    assert response.status_code == 200
    assert "Error: Give the reason for the correction" in text(response)
    assert state() == before


def test_the_childs_page_lists_every_stay_and_links_the_moves(client, make, login):
    home = make.home(beds=2)
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Kit")
    stay = admit_now(home, child, date(2026, 6, 1), manager)
    submit(client, f"/placements/{stay.id}/transfer", {
        "bed_id": str(home.beds[1].id), "ends_on": day(date(2026, 9, 1)), "ending": "planned"})

    response = client.get(f"/children/{child.id}")

    page = text(response)
    assert response.status_code == 200
    assert f"{home.name}, Bed 1 1 Jun 2026 1 Sep 2026 Planned Transfer (planned)" in page
    assert f"{home.name}, Bed 2 1 Sep 2026 Current Transfer" in page
    html = response.get_data(as_text=True)
    _, new = placements()
    assert f"/placements/{new.id}/discharge" in html and f"/placements/{stay.id}/correct" in html
