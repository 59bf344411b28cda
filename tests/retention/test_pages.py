"""The administrators' page: records past retention by type and internal id only, confirm
disposal or keep with a reason, each once; everyone else is refused and nothing changes."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from homes_app import clock
from homes_app.extensions import db
from homes_app.placements.models import Child
from tests.helpers import hidden_fields

from .support import audit_rows, findings, review_of, review_on, stay

DUE = date(2085, 4, 3)


@pytest.fixture
def due_child(make):
    home = make.home(beds=1)
    child = make.child(preferred_name="Ruby Example", case_reference="LCS991122",
                       date_of_birth=date(2010, 4, 3))
    stay(make, home, child, date(2026, 2, 1), date(2026, 8, 1))
    review_on(DUE)
    return child


def _row_fields(html: str, review_id: int, action: str) -> dict:
    """The hidden fields of one row's form (each row has its own nonce)."""
    start = html.index(f'data-review="{review_id}"')
    form = html.index(f'action="/retention/{action}"', start)
    end = html.index("</form>", form)
    return hidden_fields(html[form:end])


def test_the_page_lists_records_by_type_and_id_without_personal_data(client, login, make,
                                                                     due_child):
    login(make.user("administrator"))
    html = client.get("/retention").get_data(as_text=True)
    assert f"record with their stays and corrections, internal id {due_child.id}" in html
    assert "3 Apr 2085" in html
    assert "reg 36" in html
    for personal in ("Ruby", "LCS991122", "2010"):
        assert personal not in html


def test_an_administrator_confirms_disposal_once(client, login, make, due_child):
    login(make.user("administrator"))
    review = review_of("child_case_record", due_child.id)
    fields = _row_fields(client.get("/retention").get_data(as_text=True), review.id,
                         "dispose")
    response = client.post("/retention/dispose", data=fields)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Child, due_child.id).preferred_name == "Anonymised"
    assert len(audit_rows("retention.dispose")) == 1
    again = client.post("/retention/dispose", data=fields, follow_redirects=True)
    assert "already been submitted" in again.get_data(as_text=True)
    assert len(audit_rows("retention.dispose")) == 1


def test_keeping_without_a_reason_is_refused_beside_the_field(client, login, make, due_child):
    login(make.user("administrator"))
    review = review_of("child_case_record", due_child.id)
    fields = _row_fields(client.get("/retention").get_data(as_text=True), review.id, "keep")
    response = client.post("/retention/keep", data={**fields, "reason": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter why the record must be kept" in html
    assert findings()[0][4] == "awaiting"
    kept = client.post("/retention/keep", data={**hidden_fields_for(html, review.id),
                                                "reason": "Legal hold: inquiry"})
    assert kept.status_code == 302
    db.session.expire_all()
    assert (review_of("child_case_record", due_child.id).state,
            db.session.get(Child, due_child.id).preferred_name) == ("kept", "Ruby Example")
    page = client.get("/retention").get_data(as_text=True)
    assert "Legal hold: inquiry" in page


def hidden_fields_for(html: str, review_id: int) -> dict:
    return _row_fields(html, review_id, "keep")


@pytest.mark.parametrize("role", ["service_director", "registered_manager", "home_staff",
                                  "relief_staff"])
def test_everyone_but_administrators_is_refused_and_nothing_changes(client, login, make,
                                                                    due_child, role):
    login(make.user(role))
    assert client.get("/retention").status_code == 403
    review = review_of("child_case_record", due_child.id)
    for action in ("dispose", "keep"):
        # Well-formed: this session's CSRF token, a fresh nonce, a real finding.
        data = {**hidden_fields(client.get("/sign-in").get_data(as_text=True)),
                "form_nonce": f"nonce-{action}", "review_id": str(review.id), "reason": "x"}
        assert client.post(f"/retention/{action}", data=data).status_code == 403
    db.session.expire_all()
    assert findings()[0][4] == "awaiting"
    assert db.session.get(Child, due_child.id).preferred_name == "Ruby Example"
    assert audit_rows("retention.dispose") == audit_rows("retention.keep") == []


def test_the_job_and_the_command_say_what_they_found(app, make):
    from homes_app.retention.jobs import retention_review_job

    make.child(date_of_birth=date(2008, 1, 2))
    clock.freeze(datetime(2083, 1, 2, 6))
    assert retention_review_job() == ("1 record past retention awaiting confirmation "
                                      "(1 new, 0 kept records due for another look)")
    result = app.test_cli_runner().invoke(args=["retention-review"])
    assert result.exit_code == 0
    assert result.output.startswith("1 record past retention awaiting confirmation (0 new")


def test_the_page_costs_the_same_statements_whatever_it_lists(client, login, make):
    from sqlalchemy import event

    from homes_app.retention import services

    def statements() -> int:
        seen = []

        def listener(_conn, _cursor, sql, *_args):
            if sql != "BEGIN":  # depends on the connection's state, not on the page
                seen.append(sql)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/retention").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    make.child(date_of_birth=date(2008, 1, 2))
    review_on(date(2083, 2, 1))
    login(make.user("administrator"))  # signed in on the day, so the session is current
    statements()  # warm-up: the session's first request may record when it was last seen
    one = statements()
    for n in range(6):
        make.child(date_of_birth=date(2008, 1, 3 + n))
    review_on(date(2083, 2, 1))
    services.keep(review_of("child_case_record", 1), "Legal hold", actor=None,
                  now=clock.utcnow())
    db.session.commit()
    assert statements() == one
