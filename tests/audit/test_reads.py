"""Issue 20, F2: every read of a child's personal data writes one audit event naming the
children it showed (who, which children, when), whatever the page: a child's record, its
change form, the children list, a move's form, a home's page, the postcodes to fix, a report
and its downloads, the SSDA903 return, and searches of the audit log. A list is one event,
whatever its length, at a fixed number of statements; a page that shows no child's data
writes none."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from homes_app.audit.models import AuditEvent, AuditEventChild
from homes_app.audit.personal_data import READS
from homes_app.extensions import db
from homes_app.placements import services as moves
from tests.ssda903.support import history
from tests.test_access import QueryCounter

from .support import TODAY, named, reads, world

PERIOD = {"period_from": ["1", "11", "2025"], "period_to": ["31", "10", "2026"]}


@pytest.fixture
def w(make):
    return world(make)


def test_a_childs_record_names_the_child_with_who_and_when(client, login, w):
    manager = login(w.manager)
    assert client.get(f"/children/{w.current.id}").status_code == 200
    ((event, children),) = reads("child.view")
    assert children == {w.current.id}
    assert (event.actor_id, event.subject_type, event.subject_id) == \
        (manager.id, "children", w.current.id)
    assert event.occurred_at.isoformat() == "2026-11-22T10:00:00+00:00"


def test_opening_the_change_form_is_a_read_and_saving_it_a_change(client, login, w):
    login(w.manager)
    assert client.get(f"/children/{w.current.id}/edit").status_code == 200
    assert named("child.edit_form") == [{w.current.id}]


def test_the_children_list_is_one_event_naming_every_child_it_showed(client, login, w):
    login(w.manager)
    assert client.get("/children").status_code == 200
    assert named("children.list") == [{w.current.id, w.left.id, w.expected.id}]


@pytest.mark.parametrize(("form", "shown"), [
    ("admit", "left"), ("plan", "left"), ("transfer", "current"), ("discharge", "current"),
    ("correct", "current"), ("confirm", "expected"), ("redate", "expected"),
    ("cancel", "expected")])
def test_a_moves_form_names_the_children_it_offers_or_moves(client, login, w, form, shown):
    login(w.manager)
    stay = w.planned if shown == "expected" else w.stay
    url = (f"/homes/{w.ash.id}/{form}" if form in ("admit", "plan")
           else f"/placements/{stay.id}/{form}")
    assert client.get(url).status_code == 200
    # Admitting offers the children who could come in: here, the one who left.
    assert named("move.form") == [{getattr(w, shown).id}]


def test_a_homes_page_names_the_children_in_its_beds_expected_and_recently_moved(
        client, login, w):
    login(w.staff)
    assert client.get(f"/homes/{w.ash.id}").status_code == 200
    assert named("home.page") == [{w.current.id, w.left.id, w.expected.id}]


def test_the_postcodes_page_names_the_children_whose_references_it_shows(client, make, login):
    home = make.home()
    lost = make.child(home_postcode="ZZ9 9ZZ")
    moves.admit_child(home.id, home.beds[0].id, lost, date(2026, 11, 1), emergency=False,
                      actor=None, today=TODAY)
    db.session.commit()
    login(make.user("service_director"))
    assert client.get("/postcodes").status_code == 200
    assert named("postcodes.page") == [{lost.id}]


@pytest.mark.parametrize(("query", "action"), [
    ({}, "report.page"), ({"format": "csv"}, "report.export"),
    ({"format": "xlsx"}, "report.export")])
def test_a_report_and_its_downloads_name_the_children_they_list(client, login, w, query,
                                                                 action):
    login(w.director)
    assert client.get("/reports/local-placement", query_string={**PERIOD, **query}
                      ).status_code == 200
    # Only a child with no home postcode is listed (by case reference) to be put right.
    ((event, children),) = reads(action)
    assert children == {w.elsewhere.id}
    assert event.after["report"] == "sufficiency"
    assert event.after.get("format") == query.get("format")


def test_the_ssda903_download_names_every_child_in_the_return(client, make, login):
    history(make)
    login(make.user("administrator"))
    response = client.get("/ssda903?year=2026")
    assert response.mimetype == "application/zip"
    ((event, children),) = reads("ssda903.export")
    assert children == _ids("LCS1001", "LCS1002", "LCS1004")  # LCS1003 left before the year
    assert event.after["year"] == 2026


def test_the_ssda903_command_is_audited_too(app, make, tmp_path):
    history(make)
    result = app.test_cli_runner().invoke(args=["export-ssda903", "--year", "2026",
                                                "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    ((event, children),) = reads("ssda903.export")
    assert children == _ids("LCS1001", "LCS1002", "LCS1004") and event.actor_id is None


def test_a_search_of_the_audit_log_is_recorded_with_its_terms(client, login, w):
    admin = login(w.admin)
    client.get("/audit?action=placement.&home_id=")
    client.get(f"/audit?subject_type=children&subject_id={w.current.id}")
    (first, _), (second, children) = reads("audit.search")
    assert first.actor_id == admin.id and first.after == {"action": "placement.",
                                                          "children_shown": 0}
    assert children == {w.current.id}  # a search for a child's events names the child


@pytest.mark.parametrize(("who", "url"), [
    ("admin", "/homes/{ash}"), ("director", "/overview"), ("director", "/reports/occupancy"),
    ("manager", "/children/new"), ("admin", "/postcodes"),
    ("admin", "/reports/local-placement")])
def test_pages_that_show_no_childs_data_write_no_read(client, login, w, who, url):
    login(getattr(w, who))  # administrators see these pages without children's details
    assert client.get(url.format(ash=w.ash.id), query_string=PERIOD).status_code == 200
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(READS))) == 0


@pytest.mark.parametrize("url", ["/children", "/homes/{ash}"])
def test_a_list_costs_the_same_statements_however_many_children_it_names(
        client, login, make, w, url):
    login(w.manager)
    url = url.format(ash=w.ash.id)
    one = _statements(client, url)
    for _ in range(5):  # five more children on the list (referrals any manager may see)
        make.child()
    bed = w.ash.beds[1]
    moves.admit_child(w.ash.id, bed.id, make.child(), date(2026, 11, 10), emergency=True,
                      actor=w.manager, today=TODAY)
    db.session.commit()
    assert _statements(client, url) == one
    assert len(named("children.list" if url == "/children" else "home.page")[-1]) > 3


def test_the_children_an_event_names_cannot_be_changed_or_removed(client, login, w):
    login(w.manager)
    client.get("/children")
    for statement in (update(AuditEventChild).values(child_id=0), delete(AuditEventChild)):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert len(named("children.list")[0]) == 3


def _statements(client, url: str) -> int:
    client.get(url)  # the first request also loads the session's user
    with QueryCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def _ids(*references: str) -> set[int]:
    from homes_app.placements.models import Child

    return set(db.session.scalars(select(Child.id).where(Child.case_reference.in_(references))))
