"""A session that ends while a form is open loses nothing: the person signs in again and finds
their answers in the form, to check and send; nothing was saved meanwhile."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from homes_app.extensions import db
from homes_app.placements.models import Placement
from tests.conftest import next_code
from tests.helpers import hidden_fields, submit


def admit_page_fields(client, home_id):
    return hidden_fields(client.get(f"/homes/{home_id}/admit").get_data(as_text=True))


def test_answers_survive_a_session_that_ended_mid_form(client, make, login):
    home = make.home(beds=2, name="Hazel House")
    child = make.child(preferred_name="Robin")
    manager = login(make.user("registered_manager", homes=[home]))
    fields = admit_page_fields(client, home.id)
    client.delete_cookie("session")  # the session ends while the form is open
    answers = {"child_id": str(child.id), "bed_id": str(home.beds[1].id),
               "starts_on": ["3", "11", "2026"], "admission_type": "emergency"}
    refused = client.post(f"/homes/{home.id}/admit", data={**fields, **answers})
    assert refused.status_code == 302
    assert db.session.scalar(select(func.count(Placement.id))) == 0

    back = client.get(refused.headers["Location"])  # the form asks for sign-in first
    assert back.status_code == 302 and "/sign-in" in back.headers["Location"]
    signed_in = submit(client, back.headers["Location"],
                       {"email": manager.email, "password": make.PASSWORD})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[-3000:]
    signed_in = submit(client, signed_in.headers["Location"], {"code": next_code(manager)})
    assert signed_in.status_code == 302
    page = client.get(signed_in.headers["Location"]).get_data(as_text=True)
    assert "Your session ended before the form was sent" in page
    assert f'<option value="{child.id}" selected>' in page
    assert re.search(r'id="starts_on-day" name="starts_on" type="text" value="3"', page)
    assert re.search(r'value="emergency" checked', page)

    sent = client.post(f"/homes/{home.id}/admit", data={**hidden_fields(page), **answers})
    assert sent.status_code == 302
    stay = db.session.scalars(select(Placement)).one()
    assert (stay.starts_on, stay.admission_type) == (date(2026, 11, 3), "emergency")


def test_passwords_are_never_kept(client, make, login):
    login(make.user("administrator"))
    client.delete_cookie("session")
    client.post("/sign-in", data={"email": "x@council.example", "password": "secret words!"})
    with client.session_transaction() as session:
        assert "resume_form" not in session


def test_signing_out_forgets_kept_answers(client, make, login):
    home = make.home(beds=1)
    login(make.user("registered_manager", homes=[home]))
    fields = admit_page_fields(client, home.id)
    client.post(f"/homes/{home.id}/admit", data={**fields, "csrf_token": "stale"})
    with client.session_transaction() as session:
        assert "resume_form" in session
    submit(client, "/sign-out", {}, form_url=f"/homes/{home.id}")
    with client.session_transaction() as session:
        assert "resume_form" not in session


def test_answers_survive_an_idle_timeout_mid_form(client, make, login):
    """The server-side session ends while the form is open (the cookie and its CSRF token are
    still there): the answers are kept all the same, and come back after signing in."""
    from datetime import timedelta

    from homes_app import clock
    from tests.conftest import sign_in

    home = make.home(beds=2, name="Hazel House")
    child = make.child(preferred_name="Robin")
    manager = login(make.user("registered_manager", homes=[home]))
    fields = admit_page_fields(client, home.id)
    clock.freeze(clock.now() + timedelta(minutes=31))  # idle too long
    answers = {"child_id": str(child.id), "bed_id": str(home.beds[1].id),
               "starts_on": ["3", "11", "2026"], "admission_type": "emergency"}
    refused = client.post(f"/homes/{home.id}/admit", data={**fields, **answers})
    assert refused.status_code == 302
    assert refused.headers["Location"] == f"/homes/{home.id}/admit"
    assert db.session.scalar(select(func.count(Placement.id))) == 0
    assert "/sign-in" in client.get(refused.headers["Location"]).headers["Location"]
    sign_in(client, manager)
    page = client.get(f"/homes/{home.id}/admit").get_data(as_text=True)
    assert "Your session ended before the form was sent" in page
    assert f'<option value="{child.id}" selected>' in page
