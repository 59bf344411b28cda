"""Issue 20, F1: the audit log shows that a child's record changed (which fields, who, when,
which record) to everyone who may read the log, and the values only to the roles that may open
the record itself. An administrator may not open a child's record, so reads no values of one;
the values of records they may open (a home) they still read."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.auth.services import may_see_audit_values
from homes_app.extensions import db
from homes_app.homes import services as home_services
from homes_app.placements import children
from homes_app.placements import services as moves
from tests.homes.test_home_services import details
from tests.placements.moves_support import text

from .support import TODAY


@pytest.fixture
def changed_needs(make):
    """A child recorded by Ash's manager, whose needs later add mental health; then admitted
    and discharged to custody."""
    home = make.home(beds=1, name="Ash House", categories_of_need="ebd,mental_health")
    manager = make.user("registered_manager", homes=[home], email="rm@council.example")
    child = children.create_child(dict(
        case_reference="LCS424242", preferred_name="Zephyrine", date_of_birth=date(2012, 5, 17),
        sex="female", legal_status="C2", home_postcode="DE22 1AA", uasc=False, needs=["ebd"]),
        actor=manager, today=TODAY)
    children.update_child(child, dict(
        case_reference="LCS424242", preferred_name="Zephyrine", date_of_birth=date(2012, 5, 17),
        sex="female", legal_status="C2", home_postcode="DE22 1AA", uasc=False,
        needs=["ebd", "mental_health"]), actor=manager, today=TODAY)
    stay = moves.admit_child(home.id, home.beds[0].id, child, date(2026, 11, 1),
                             emergency=False, actor=manager, today=TODAY)
    moves.discharge_child(stay, date(2026, 11, 20), destination="custody", planned=False,
                          actor=manager, today=TODAY)
    db.session.commit()
    return child


PRIVATE = ["Zephyrine", "LCS424242", "2012-05-17", "DE22 1AA", "mental_health", "custody"]


def test_an_administrator_reads_that_a_childs_needs_changed_but_not_what_they_are(
        changed_needs, client, make, login):
    login(make.user("administrator"))
    page = text(client.get("/audit?subject_type=children"))
    assert "child.update" in page and "Changed: needs" in page
    assert "rm@council.example" in page and f"child {changed_needs.id}" in page
    assert not [value for value in PRIVATE if value in page]


def test_an_administrator_reads_no_values_of_a_childs_stays_either(changed_needs, client, make,
                                                                  login):
    login(make.user("administrator"))
    page = text(client.get("/audit?action=placement."))
    assert "placement.discharge" in page and "discharge destination" in page
    assert not [value for value in PRIVATE if value in page]


def test_an_administrator_reads_the_values_of_a_record_they_may_open(client, make, login):
    admin = login(make.user("administrator"))
    home_services.create_home(details(name="Willow House"), actor=admin, today=TODAY)
    db.session.commit()
    page = text(client.get("/audit?action=home.create"))
    assert "name: Willow House" in page and "Changed:" not in page


@pytest.mark.parametrize(("role", "sees"), [
    ("administrator", False), ("service_director", True), ("registered_manager", True),
    ("home_staff", True), ("relief_staff", False)])
def test_a_childs_values_are_for_the_roles_that_open_childrens_records(make, role, sees):
    user = make.user(role)
    for record_type in ("children", "placements", "placement_corrections"):
        assert may_see_audit_values(user, record_type) is sees, record_type
    assert may_see_audit_values(user, "homes")  # not a child's record: values for all


def test_the_childrens_record_types_are_the_tables_of_childrens_records():
    from homes_app.audit.personal_data import CHILD_RECORDS
    from homes_app.placements.models import Child, Placement, PlacementCorrection

    assert CHILD_RECORDS == {m.__tablename__ for m in (Child, Placement, PlacementCorrection)}
