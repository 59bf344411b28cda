"""Child records: checked, audited with before and after, and seen only by those in scope."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.placements import services
from homes_app.placements.children import (
    create_child,
    normalise_postcode,
    update_child,
    visible_child,
)
from tests.helpers import submit

from .moves_support import TODAY, admit_now, audit, day, state, text

GOOD = {"case_reference": "lcs 123456", "preferred_name": " Morgan ",
        "date_of_birth": date(2012, 5, 17), "sex": "male", "legal_status": "C2",
        "home_postcode": "de221aa", "uasc": False, "needs": ["learning", "ebd"]}


def test_create_child_normalises_and_audits(app, make):
    manager = make.user("registered_manager", homes=[make.home()])
    child = create_child(GOOD, actor=manager, today=TODAY)
    db.session.commit()
    assert (child.case_reference, child.preferred_name, child.home_postcode, child.needs) == (
        "LCS123456", "Morgan", "DE22 1AA", "ebd,learning")
    [event] = audit("child.create")
    assert event.actor_id == manager.id and event.subject_id == child.id
    assert event.after["date_of_birth"] == "2012-05-17" and event.before is None


def test_update_child_audits_only_what_changed(app, make):
    manager = make.user("registered_manager", homes=[make.home()])
    child = create_child(GOOD, actor=manager, today=TODAY)
    update_child(child, {**GOOD, "legal_status": "V2", "uasc": True}, actor=manager,
                 today=TODAY)
    db.session.commit()
    [event] = audit("child.update")
    assert event.before == {"legal_status": "C2", "uasc": False}
    assert event.after == {"legal_status": "V2", "uasc": True}


def test_an_unchanged_record_writes_no_audit_entry(app, make):
    child = create_child(GOOD, actor=None, today=TODAY)
    update_child(child, GOOD, actor=None, today=TODAY)
    assert audit("child.update") == []


@pytest.mark.parametrize("change, field, message", [
    ({"case_reference": "LCS100001"}, "case_reference", "already has a record"),
    ({"case_reference": "lcs100001 "}, "case_reference", "already has a record"),
    ({"case_reference": "  "}, "case_reference", "Enter the case reference"),
    ({"preferred_name": ""}, "preferred_name", "Enter the name the child likes to be called"),
    ({"date_of_birth": date(2026, 11, 23)}, "date_of_birth",
     "The date of birth (23 November 2026) cannot be in the future"),
    ({"date_of_birth": date(2008, 11, 22)}, "date_of_birth",
     "A child must be under 18; this date of birth makes them 18 today"),
    ({"date_of_birth": None}, "date_of_birth", "Enter the child's date of birth"),
    ({"sex": "x"}, "sex", "Select the child's sex"),
    ({"legal_status": "Z9"}, "legal_status", "Select the child's legal status"),
    ({"home_postcode": "DE22"}, "home_postcode", "Enter a full UK postcode"),
    ({"needs": ["flying"]}, "needs", "Choose needs from the list"),
])
def test_create_child_refuses(app, make, change, field, message):
    make.child(case_reference="LCS100001")
    with pytest.raises(DomainError) as refused:
        create_child({**GOOD, **change}, actor=None, today=TODAY)
    assert refused.value.field == field and message in refused.value.message


def test_a_child_the_day_before_their_eighteenth_birthday_is_accepted(app):
    child = create_child({**GOOD, "date_of_birth": date(2008, 11, 23)}, actor=None,
                         today=TODAY)
    assert child.age_on(TODAY) == 17


@pytest.mark.parametrize("given, kept", [
    ("", ""), ("sw1a1aa", "SW1A 1AA"), (" M1  1AE ", "M1 1AE"), ("gir0aa", "GIR 0AA"),
])
def test_postcodes_are_normalised(given, kept):
    assert normalise_postcode(given) == kept


def test_a_manager_adds_a_child_from_the_home_and_goes_on_to_admit(client, make, login):
    home = make.home()
    manager = login(make.user("registered_manager", homes=[home]))

    response = submit(client, f"/children/new?home_id={home.id}", {
        "case_reference": "MOS-42", "preferred_name": "Drew", "date_of_birth": day(
            date(2013, 2, 1)), "sex": "female", "legal_status": "V2",
        "home_postcode": "DE1 1AA", "uasc": "y", "needs": ["ebd", "sensory"]})

    assert response.status_code == 302
    [event] = audit("child.create")
    child_id = event.subject_id
    assert response.headers["Location"] == f"/homes/{home.id}/admit?child_id={child_id}"
    assert event.actor_id == manager.id and event.after["uasc"] is True
    admit_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option value="{child_id}" selected>' in admit_page


def test_the_child_form_keeps_input_and_explains_a_refusal(client, make, login):
    login(make.user("registered_manager", homes=[make.home()]))
    make.child(case_reference="LCS900900")
    before = state()

    response = submit(client, "/children/new", {
        "case_reference": "LCS900900", "preferred_name": "Rae",
        "date_of_birth": ["30", "2", "2012"], "sex": "male", "legal_status": "C1"})

    assert response.status_code == 200
    assert "Date of birth must be a real date" in text(response)
    assert state() == before

    response = submit(client, "/children/new", {
        "case_reference": "LCS900900", "preferred_name": "Rae",
        "date_of_birth": day(date(2012, 2, 28)), "sex": "male", "legal_status": "C1"})

    assert response.status_code == 200
    assert "A child with case reference LCS900900 already has a record" in text(response)
    assert 'value="Rae"' in response.get_data(as_text=True)
    assert state() == before


def test_a_case_reference_held_in_a_home_out_of_sight_is_not_confirmed(client, make, login):
    """A manager adding (or editing to) a case reference that a child placed in another home
    already has is refused without confirming that record, its home or its child."""
    elm = make.home(name="Elm House")
    placed = make.child(case_reference="LCS777777", preferred_name="Jordan")
    admit_now(elm, placed, date(2026, 11, 1), make.user("registered_manager", homes=[elm]))
    home = make.home()
    manager = login(make.user("registered_manager", homes=[home]))
    mine = make.child(case_reference="LCS888888")
    admit_now(home, mine, date(2026, 11, 2), manager)
    before = state()
    details = {"case_reference": "lcs 777777", "preferred_name": "Rae",
               "date_of_birth": day(date(2012, 2, 28)), "sex": "male", "legal_status": "C1"}
    for url in ("/children/new", f"/children/{mine.id}/edit"):
        page = text(submit(client, url, details))
        assert "This case reference cannot be added here" in page
        assert "ask the placements team (a service director)" in page
        for leak in ("already has a record", "Elm House", "Jordan", "LCS777777"):
            assert leak not in page, (url, leak)
    assert state() == before


def test_a_manager_edits_a_childs_record(client, make, login):
    home = make.home()
    manager = login(make.user("registered_manager", homes=[home]))
    child = make.child(preferred_name="Ellis", needs="ebd")
    admit_now(home, child, date(2026, 11, 1), manager)
    form = client.get(f"/children/{child.id}/edit").get_data(as_text=True)
    assert 'value="Ellis"' in form and 'value="ebd" checked' in form

    response = submit(client, f"/children/{child.id}/edit", {
        "case_reference": child.case_reference, "preferred_name": "Elli",
        "date_of_birth": day(child.date_of_birth), "sex": "female", "legal_status": "C2",
        "home_postcode": "DE22 1AA", "needs": ["ebd"]})

    assert response.status_code == 302
    [event] = audit("child.update")
    assert event.before == {"preferred_name": "Ellis"} and event.after == {
        "preferred_name": "Elli"}
    page = text(client.get(f"/children/{child.id}"))
    assert "Elli" in page and "Emotional and behavioural difficulties" in page


def test_an_unplaced_child_is_seen_by_managers_and_directors_only(app, make):
    a, b = make.home(), make.home()
    child = make.child()
    manager_a = make.user("registered_manager", homes=[a])
    manager_b = make.user("registered_manager", homes=[b])
    staff = make.user("home_staff", homes=[a])
    for user, sees in ((manager_a, True), (manager_b, True), (staff, False),
                       (make.user("service_director"), True),
                       (make.user("administrator"), False), (make.user("relief_staff"), False)):
        assert (visible_child(user, child.id, TODAY) is not None) == sees, user.role

    admit_now(a, child, date(2026, 11, 1), manager_a)

    assert visible_child(manager_a, child.id, TODAY) is child
    assert visible_child(staff, child.id, TODAY) is child
    assert visible_child(manager_b, child.id, TODAY) is None


def test_a_manager_sees_only_their_homes_stays_of_a_child(client, make, login):
    a, b = make.home(name="Alder"), make.home(name="Beech")
    manager_a = make.user("registered_manager", homes=[a])
    manager_both = make.user("registered_manager", homes=[a, b])
    child = make.child()
    stay = admit_now(a, child, date(2026, 6, 1), manager_both)
    services.transfer_child(stay, b.id, b.beds[0].id, date(2026, 9, 1), planned=True,
                            actor=manager_both, today=TODAY)
    db.session.commit()

    login(manager_a)
    page = text(client.get(f"/children/{child.id}"))

    assert "Alder, Bed 1" in page and "Beech" not in page
