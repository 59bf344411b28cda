"""A session that runs out while a form is open loses nothing: the person signs in again and
finds their answers in the form, to check and send; nothing was saved meanwhile. The answers
are kept on the server for that person alone, and only from a post their own page made (its
CSRF token good): a post that fails the CSRF check (another site's page, or a form left open
across a new sign-in) keeps nothing, plants nothing, and is told the form expired."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from homes_app import clock
from homes_app.auth.models import KeptFormAnswers
from homes_app.extensions import db
from homes_app.placements.models import Placement
from tests.conftest import sign_in
from tests.helpers import hidden_fields

PLANTED = "Planted by another site"


def admit_page(client, home_id) -> str:
    return client.get(f"/homes/{home_id}/admit").get_data(as_text=True)


def answers(home, child) -> dict:
    return {"child_id": str(child.id), "bed_id": str(home.beds[1].id),
            "starts_on": ["3", "11", "2026"], "admission_type": "emergency"}


def kept_rows() -> int:
    return db.session.scalar(select(func.count(KeptFormAnswers.id)))


def set_cookie_sizes(response) -> list[int]:
    return [len(value) for value in response.headers.getlist("Set-Cookie")]


def test_a_post_failing_the_csrf_check_keeps_and_shows_nothing_it_sent(client, make, login):
    """Another site's page posts to the admission form of a signed-in manager, with the
    manager's cookie (browsers that send it) but without the token: the form expired, nothing
    is kept, no big cookie is set, and the form then shows as it was."""
    home = make.home(beds=2, name="Hazel House")
    child = make.child(preferred_name="Robin")
    login(make.user("registered_manager", homes=[home]))
    fields = hidden_fields(admit_page(client, home.id))
    planted = {**answers(home, child), "csrf_token": "from-another-site",
               "form_nonce": fields["form_nonce"], "note": PLANTED * 5000}  # 115 KB
    refused = client.post(f"/homes/{home.id}/admit", data=planted)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "This form expired" in page and "Please try again" in page
    assert f'href="/homes/{home.id}/admit">Go back to the form' in page
    assert PLANTED not in page
    assert all(size < 300 for size in set_cookie_sizes(refused))
    assert kept_rows() == 0 and db.session.scalar(select(func.count(Placement.id))) == 0

    form = admit_page(client, home.id)
    assert "Your session ended" not in form and PLANTED not in form
    assert f'<option value="{child.id}" selected>' not in form
    assert 'value="emergency" checked' not in form


def test_a_cross_site_post_without_cookies_leaves_the_session_alone(client, make, login):
    """Browsers send no cookie with another site's post (SameSite=Lax): the answer sets none
    either, so the manager stays signed in and the form shows nothing planted."""
    home = make.home(beds=2)
    child = make.child()
    login(make.user("registered_manager", homes=[home]))
    cookie = client.get_cookie("session")
    client.delete_cookie("session")
    refused = client.post(f"/homes/{home.id}/admit",
                          data={**answers(home, child), "note": PLANTED * 5000})
    assert refused.status_code == 400 and "This form expired" in refused.get_data(as_text=True)
    assert set_cookie_sizes(refused) == []
    client.set_cookie("session", cookie.value)  # the victim's browser still has its own
    form = client.get(f"/homes/{home.id}/admit")
    assert form.status_code == 200
    assert PLANTED not in form.get_data(as_text=True) and kept_rows() == 0


def idle_post(client, home, child, **extra):
    """The manager's form, posted after their session went idle (its cookie and CSRF token
    still there): refused, back to the form, which asks for sign-in."""
    fields = hidden_fields(admit_page(client, home.id))
    clock.freeze(clock.now() + timedelta(minutes=31))
    refused = client.post(f"/homes/{home.id}/admit",
                          data={**fields, **answers(home, child), **extra})
    assert refused.status_code == 302
    assert refused.headers["Location"] == f"/homes/{home.id}/admit"
    assert "/sign-in" in client.get(refused.headers["Location"]).headers["Location"]
    return refused


def test_answers_survive_an_idle_timeout_mid_form(client, make, login):
    home = make.home(beds=2, name="Hazel House")
    child = make.child(preferred_name="Robin")
    manager = login(make.user("registered_manager", homes=[home]))
    refused = idle_post(client, home, child, note="A long note. " * 700)
    assert db.session.scalar(select(func.count(Placement.id))) == 0
    assert all(size < 1000 for size in set_cookie_sizes(refused))  # the 10 KB note is not

    sign_in(client, manager)
    page = admit_page(client, home.id)
    assert "Your session ended before the form was sent" in page
    assert f'<option value="{child.id}" selected>' in page
    assert re.search(r'id="starts_on-day" name="starts_on" type="text" value="3"', page)
    assert re.search(r'value="emergency" checked', page)
    assert kept_rows() == 0  # shown once, then gone
    assert "Your session ended" not in admit_page(client, home.id)

    sent = client.post(f"/homes/{home.id}/admit", data={**hidden_fields(page),
                                                        **answers(home, child)})
    assert sent.status_code == 302
    stay = db.session.scalars(select(Placement)).one()
    assert (stay.starts_on, stay.admission_type) == (date(2026, 11, 3), "emergency")


def test_kept_answers_are_for_the_same_person_only(client, make, login):
    """Someone else signing in on the same browser does not get them."""
    home = make.home(beds=2)
    child = make.child()
    login(make.user("registered_manager", homes=[home]))
    idle_post(client, home, child)
    assert kept_rows() == 1
    sign_in(client, make.user("registered_manager", homes=[home]))
    page = admit_page(client, home.id)
    assert "Your session ended" not in page
    assert f'<option value="{child.id}" selected>' not in page
    assert kept_rows() == 0


def test_secrets_are_never_kept(client, make, login):
    home = make.home(beds=2)
    child = make.child()
    login(make.user("registered_manager", homes=[home]))
    idle_post(client, home, child, password="secret words!", code="123456")
    [row] = db.session.scalars(select(KeptFormAnswers))
    names = {name for name, _value in row.answers}
    assert names >= {"child_id", "bed_id", "starts_on", "admission_type"}
    assert not names & {"password", "code", "csrf_token", "form_nonce"}


def test_signing_out_forgets_kept_answers(client, make, login):
    home = make.home(beds=2)
    child = make.child()
    manager = login(make.user("registered_manager", homes=[home]))
    idle_post(client, home, child)
    sign_in(client, manager)
    with client.session_transaction() as session:
        assert "resume_form" in session
    fields = hidden_fields(client.get(f"/homes/{home.id}").get_data(as_text=True))
    client.post("/sign-out", data=fields)
    with client.session_transaction() as session:
        assert "resume_form" not in session
    sign_in(client, manager)
    assert "Your session ended" not in admit_page(client, home.id)
