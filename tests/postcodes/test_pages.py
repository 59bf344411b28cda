"""The postcode overrides page: adding, changing and removing overrides (audited), what is
unknown, and case references only for those who may see children."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.placements import services as moves
from homes_app.postcodes.models import PostcodeOverride
from tests.helpers import submit

TODAY = date(2026, 11, 22)


def placed(make, postcode: str, reference: str):
    home = make.home(postcode="DE1 2AB")
    child = make.child(case_reference=reference, home_postcode=postcode)
    moves.admit_child(home.id, home.beds[0].id, child, date(2026, 11, 1), emergency=False,
                      actor=None, today=TODAY)
    db.session.commit()


def test_an_administrator_adds_changes_and_removes_an_override_each_audited(client, make,
                                                                          login):
    admin = login(make.user("administrator"))
    response = submit(client, "/postcodes/new", {
        "postcode": "zz9 9zz", "latitude": "52.91", "longitude": "-1.47",
        "la_code": "e06000015", "note": "New estate, not yet in the ONS directory"})
    assert response.status_code == 302
    override = db.session.scalar(select(PostcodeOverride))
    assert (override.postcode, override.latitude, override.la_code) == ("ZZ9 9ZZ", 52.91,
                                                                        "E06000015")
    assert override.updated_by_id == admin.id
    submit(client, f"/postcodes/{override.id}", {
        "postcode": "ZZ9 9ZZ", "latitude": "52.92", "longitude": "-1.47",
        "la_code": "E06000015", "note": ""})
    db.session.expire_all()
    assert db.session.get(PostcodeOverride, override.id).latitude == 52.92
    submit(client, f"/postcodes/{override.id}/remove", {}, form_url=f"/postcodes/{override.id}")
    assert db.session.scalar(select(PostcodeOverride)) is None
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "postcode_overrides").order_by(AuditEvent.id)).all()
    assert actions == ["postcode_override.create", "postcode_override.change",
                       "postcode_override.remove"]


def test_a_bad_override_shows_the_message_and_keeps_the_answers(client, make, login):
    login(make.user("service_director"))
    response = submit(client, "/postcodes/new", {
        "postcode": "ZZ9 9ZZ", "latitude": "52.91", "longitude": "-1.47",
        "la_code": "E10000007", "note": "kept"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "not a local-authority district code" in body and "kept" in body
    assert db.session.scalar(select(PostcodeOverride)) is None


def test_directors_see_unknown_postcodes_with_case_references(client, make, login):
    placed(make, "ZZ9 9ZZ", "LCS7001")
    login(make.user("service_director"))
    body = client.get("/postcodes").get_data(as_text=True)
    assert "ZZ9 9ZZ" in body and "LCS7001" in body


def test_administrators_see_the_counts_but_no_case_references(client, make, login):
    placed(make, "ZZ9 9ZZ", "LCS7001")
    login(make.user("administrator"))
    body = client.get("/postcodes").get_data(as_text=True)
    assert "ZZ9 9ZZ" in body and "LCS7001" not in body


def test_an_override_clears_the_unknown_postcode(client, make, login):
    placed(make, "ZZ9 9ZZ", "LCS7001")
    login(make.user("service_director"))
    submit(client, "/postcodes/new", {"postcode": "ZZ9 9ZZ", "latitude": "52.91",
                                      "longitude": "-1.47", "la_code": "E06000015"})
    body = client.get("/postcodes").get_data(as_text=True)
    assert "Every postcode of an open home and of a child now placed is found" in body


def test_only_administrators_set_the_councils_area(client, make, login):
    login(make.user("administrator"))
    response = submit(client, "/postcodes/council-area", {"la_code": "E06000015"})
    assert response.status_code == 302
    assert "E06000015" in client.get("/postcodes").get_data(as_text=True)
