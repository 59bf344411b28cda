"""Staff records and compliance through the pages: managers keep their homes' staff,
administrators everyone and the settings; every change is audited; bad input writes nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from homes_app.extensions import db
from homes_app.staffing.people.models import Induction, StaffMember, TrainingRecord
from homes_app.staffing.settings import load
from tests.helpers import submit
from tests.placements.test_views_bad_input import field_error

from .support import audit_count, staff, state


def day(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


STAFF = {"name": "Sam Rivers", "role": "rsw", "contracted_hours": "30", "active": "y",
         "started_on": day(date(2025, 3, 1))}


def test_a_manager_adds_a_member_of_their_home_and_it_is_audited(client, login, staffed):
    login(staffed.manager)
    response = submit(client, "/staff/new", {**STAFF, "home_id": str(staffed.home.id)})
    assert response.status_code == 302, field_error(response, "home_id")
    person = db.session.scalar(select(StaffMember).where(StaffMember.name == "Sam Rivers"))
    assert person.home_id == staffed.home.id and person.contracted_minutes == 1800
    assert audit_count("staff.create") == 1
    html = client.get(f"/staff/{person.id}").get_data(as_text=True)
    assert "Level 3 Diploma in Residential Childcare" in html and "1 Mar 2027" in html


def test_a_manager_cannot_add_to_another_home_or_the_relief_pool(client, login, make, staffed):
    other = make.home(name="Elm House")
    login(staffed.manager)
    before = state()
    assert submit(client, "/staff/new", {**STAFF, "home_id": str(other.id)}).status_code == 403
    response = submit(client, "/staff/new", {**STAFF, "role": "relief", "home_id": ""})
    assert response.status_code == 403
    assert state() == before


def test_a_manager_is_shown_and_told_nothing_of_other_homes_accounts(client, login, make,
                                                                      staffed):
    """Only the accounts of the manager's own homes are offered; another account's id (a
    tampered post) is refused as not on the list, never with its email, role or record."""
    elm = make.home(name="Elm House")
    elm_manager = make.user("registered_manager", homes=[elm], email="elm.rm@council.example")
    elm_worker = make.user("home_staff", homes=[elm, staffed.home],
                           email="elm.worker@council.example")
    staff(elm, user=elm_worker, name="Eli Elmwood")  # their record is Elm House's
    relief = db.session.get(type(elm_manager), staffed.relief.user_id)
    login(staffed.manager)
    offered = client.get("/staff/new").get_data(as_text=True)
    assert "elm.rm@council.example" not in offered and relief.email not in offered
    before = state()
    for account, error in ((elm_manager, "Choose an account from the list"),
                           (relief, "Choose an account from the list"),
                           (elm_worker, "elm.worker@council.example is already linked to "
                                        "another staff record: choose another account")):
        response = submit(client, "/staff/new", {**STAFF, "home_id": str(staffed.home.id),
                                                 "user_id": str(account.id)})
        assert field_error(response, "user_id") == f"Error: {error}"
        page = response.get_data(as_text=True)
        for leak in ("elm.rm@", relief.email, "Eli Elmwood", "manager account",
                     "relief staff account"):
            assert leak not in page, (account.email, leak)
    assert state() == before


BAD_STAFF = {
    "no name": ({"name": ""}, "name", "Enter the person's name"),
    "hours not a number": ({"contracted_hours": "lots"}, "contracted_hours",
                           "Contracted hours a week must be a number, like 37.5"),
    "too many hours": ({"contracted_hours": "95"}, "contracted_hours",
                       "Contracted hours must be between 0 and 80 a week"),
    "future start": ({"started_on": day(date(2027, 1, 1))}, "started_on",
                     "The start date cannot be in the future (1 January 2027)"),
    "relief with a home": ({"role": "relief"}, "home_id",
                           "Relief workers belong to the relief pool, not a home: choose the "
                           "relief pool"),
}


@pytest.mark.parametrize("case", BAD_STAFF, ids=list(BAD_STAFF))
def test_bad_staff_details_are_refused_beside_the_field(client, login, make, staffed, case):
    change, field, message = BAD_STAFF[case]
    login(make.user("administrator"))
    before = state()
    response = submit(client, "/staff/new", {**STAFF, "home_id": str(staffed.home.id),
                                             **change})
    assert response.status_code == 200
    assert field_error(response, field) == f"Error: {message}"
    assert state() == before


def test_dbs_training_and_induction_are_recorded(client, login, make, staffed):
    login(make.user("administrator"))
    url = f"/staff/{staffed.relief.id}"
    assert submit(client, url + "/dbs", {"issued_on": day(date(2026, 1, 5)),
                                         "barred_list": "y", "update_service": "y",
                                         "status_checked_on": day(date(2026, 10, 1))}
                  ).status_code == 302
    assert submit(client, url + "/training", {"course": "First aid",
                                              "completed_on": day(date(2026, 2, 1)),
                                              "valid_until": day(date(2029, 1, 31))}
                  ).status_code == 302
    other = make.home(name="Elm House")
    assert submit(client, url + "/induction", {"home_id": str(other.id),
                                               "inducted_on": day(date(2026, 11, 1))}
                  ).status_code == 302
    db.session.expire_all()
    relief = db.session.get(StaffMember, staffed.relief.id)
    assert relief.dbs_status_checked_on == date(2026, 10, 1)
    assert {i.home_id for i in db.session.scalars(select(Induction).where(
        Induction.staff_id == relief.id))} == {staffed.home.id, other.id}
    html = client.get(url).get_data(as_text=True)
    # Three years from the latest Update Service check.
    assert "30 Sep 2029" in html and "Elm House" in html
    assert [audit_count(a) for a in ("staff.dbs", "staff.training", "staff.induction")] == \
        [1, 1, 1]


def test_training_that_runs_out_before_it_was_done_is_refused(client, login, staffed):
    login(staffed.manager)
    before = state()
    response = submit(client, f"/staff/{staffed.worker.id}/training", {
        "course": "Medication", "completed_on": day(date(2026, 5, 1)),
        "valid_until": day(date(2026, 4, 1))})
    assert field_error(response, "valid_until") == \
        "Error: The training cannot run out (1 April 2026) before it was completed (1 May 2026)"
    assert state() == before
    assert db.session.scalar(select(TrainingRecord).where(
        TrainingRecord.course == "Medication", TrainingRecord.staff_id == staffed.worker.id
    ).where(TrainingRecord.completed_on == date(2026, 5, 1))) is None


def test_a_manager_keeps_their_home_staff_but_not_the_relief_pool(client, login, staffed):
    login(staffed.manager)
    assert client.get(f"/staff/{staffed.relief.id}/dbs").status_code == 403
    assert client.get(f"/staff/{staffed.relief.id}/edit").status_code == 403
    assert client.get(f"/staff/{staffed.relief.id}/induction").status_code == 200


def test_people_see_their_own_record_and_cannot_edit_it(client, login, staffed):
    user = login(db.session.get(type(staffed.manager), staffed.relief.user_id))
    assert user.role == "relief_staff"
    html = client.get(f"/staff/{staffed.relief.id}").get_data(as_text=True)
    assert "Rae Relief" in html and "Edit record" not in html
    assert client.get(f"/staff/{staffed.relief.id}/edit").status_code == 403
    assert client.get(f"/staff/{staffed.worker.id}").status_code == 404


def test_the_council_sets_the_staffing_rules(client, login, make, staffed):
    login(make.user("administrator"))
    response = submit(client, "/staffing/settings", {
        "dbs_recheck_years": "2", "mandatory_training": "Safeguarding\nFirst aid\n",
        "release_notice_hours": "72", "home_first_hours": "12", "short_rest": "block"})
    assert response.status_code == 302
    s = load()
    assert (s.dbs_recheck_years, s.mandatory_training, s.release_notice_hours,
            s.short_rest) == (2, ("Safeguarding", "First aid"), 72, "block")
    assert audit_count("settings.staffing") == 1
    before = state()
    response = submit(client, "/staffing/settings", {
        "dbs_recheck_years": "0", "mandatory_training": "Safeguarding",
        "release_notice_hours": "48", "home_first_hours": "12", "short_rest": "warn"})
    assert field_error(response, "dbs_recheck_years") == \
        "Error: The DBS re-check interval must be 1 to 10 years"
    assert state() == before and load().dbs_recheck_years == 2


def test_the_staff_list_flags_overdue_checks(client, login, make, staffed):
    staffed.worker.level3_achieved_on = date(2023, 6, 1)
    staffed.worker.last_appraisal_on = date(2026, 6, 1)
    db.session.commit()
    login(staffed.manager)
    row = re.search(r"Hal Home.*?</tr>", client.get("/staff").get_data(as_text=True), re.S)
    assert "overdue" not in row.group(0)
    staffed.worker.dbs_issued_on = date(2021, 1, 1)
    db.session.commit()
    login(staffed.manager)
    html = client.get("/staff").get_data(as_text=True)
    row = re.search(r"Hal Home.*?</tr>", html, re.S).group(0)
    assert "1 overdue or missing" in row
