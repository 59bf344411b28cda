"""Who may open children's pages and record moves: every role, every route, nothing changed."""
from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from werkzeug.routing import IntegerConverter

from homes_app.extensions import db
from homes_app.placements import services
from tests.helpers import hidden_fields

from .moves_support import TODAY, admit_now, day, plan_now, state, text


@pytest.fixture
def world(make):
    """Home A with a child living there, one who left and one expected; home B elsewhere."""
    a, b = make.home(beds=3, name="Ash House"), make.home(beds=1, name="Birch House")
    manager = make.user("registered_manager", homes=[a])
    current = make.child(preferred_name="Casey Current", case_reference="LCS777001",
                         date_of_birth=date(2011, 3, 4))
    left = make.child(preferred_name="Lee Left")
    stay = admit_now(a, current, date(2026, 9, 1), manager)
    old = admit_now(a, left, date(2026, 1, 5), manager, bed=a.beds[1])
    services.discharge_child(old, date(2026, 3, 1), destination="family", planned=True,
                             actor=manager, today=TODAY)
    db.session.commit()
    planned = plan_now(a, make.child(), TODAY + timedelta(days=4), manager, bed=a.beds[2])
    return SimpleNamespace(
        a=a, b=b, manager=manager, current=current, left=left, stay=stay, planned=planned,
        other_manager=make.user("registered_manager", homes=[b]),
        staff=make.user("home_staff", homes=[a]), director=make.user("service_director"),
        admin=make.user("administrator"), relief=make.user("relief_staff"))


def move_posts(w) -> dict[str, tuple[str, dict]]:
    """Every move route, with a body that succeeds when the home's manager sends it."""
    admit = {"child_id": str(w.left.id), "bed_id": str(w.a.beds[1].id),
             "starts_on": day(TODAY), "admission_type": "planned"}
    return {
        "admit": (f"/homes/{w.a.id}/admit", admit),
        "plan": (f"/homes/{w.a.id}/plan", {**admit, "starts_on": day(TODAY + timedelta(2))}),
        "confirm": (f"/placements/{w.planned.id}/confirm", {"starts_on": day(TODAY)}),
        "redate": (f"/placements/{w.planned.id}/redate",
                   {"starts_on": day(TODAY + timedelta(days=9))}),
        "cancel": (f"/placements/{w.planned.id}/cancel", {}),
        "transfer": (f"/placements/{w.stay.id}/transfer",
                     {"bed_id": str(w.a.beds[1].id), "ends_on": day(TODAY), "ending": "planned"}),
        "discharge": (f"/placements/{w.stay.id}/discharge",
                      {"ends_on": day(TODAY), "destination": "family", "ending": "planned"}),
        "correct": (f"/placements/{w.stay.id}/correct",
                    {"starts_on": day(date(2026, 8, 31)), "reason": "Typing slip"}),
    }


MOVES = ["admit", "plan", "confirm", "redate", "cancel", "transfer", "discharge", "correct"]


def post_as_signed_in(client, w, url: str, body: dict):
    """A complete, well-formed post (CSRF token, nonce, version) from whoever is signed in."""
    token = hidden_fields(client.get("/", follow_redirects=True).get_data(as_text=True))
    return client.post(url, data={**body, "csrf_token": token["csrf_token"],
                                  "home_version": str(w.a.version),
                                  "form_nonce": secrets.token_urlsafe(16)})


@pytest.mark.parametrize("who, expected", [
    ("director", 403), ("admin", 403), ("staff", 403), ("relief", 403), ("other_manager", 404),
])
def test_only_the_homes_manager_reaches_the_move_pages(client, login, world, who, expected):
    login(getattr(world, who))
    before = state()
    for name, (url, body) in move_posts(world).items():
        assert client.get(url).status_code == expected, name
        assert post_as_signed_in(client, world, url, body).status_code == expected, name
    assert state() == before


@pytest.mark.parametrize("move", MOVES)
def test_the_homes_manager_can_make_each_move(client, login, world, move):
    login(world.manager)
    url, body = move_posts(world)[move]
    assert client.get(url).status_code == 200
    before = state()

    response = post_as_signed_in(client, world, url, body)

    assert response.status_code == 302, text(response)[:600]
    assert state()["audit"] > before["audit"]


def test_a_manager_of_another_home_cannot_move_a_child_out_of_theirs(client, login, world):
    """Even into a bed of their own home: the placement decides, and it is not theirs."""
    login(world.other_manager)
    before = state()
    response = post_as_signed_in(client, world, f"/placements/{world.stay.id}/transfer", {
        "bed_id": str(world.b.beds[0].id), "ends_on": day(TODAY), "ending": "planned"})
    assert response.status_code == 404
    assert state() == before


def child_urls(w) -> dict[str, str]:
    return {"list": "/children", "current": f"/children/{w.current.id}",
            "left": f"/children/{w.left.id}", "new": "/children/new",
            "edit": f"/children/{w.current.id}/edit"}


@pytest.mark.parametrize("who, expected", [
    ("admin", {"list": 403, "current": 403, "left": 403, "new": 403, "edit": 403}),
    ("relief", {"list": 403, "current": 403, "left": 403, "new": 403, "edit": 403}),
    ("director", {"list": 200, "current": 200, "left": 200, "new": 403, "edit": 403}),
    ("staff", {"list": 200, "current": 200, "left": 404, "new": 403, "edit": 403}),
    ("manager", {"list": 200, "current": 200, "left": 200, "new": 200, "edit": 200}),
    ("other_manager", {"list": 200, "current": 404, "left": 404, "new": 200, "edit": 404}),
])
def test_who_sees_which_childs_pages(client, login, world, who, expected):
    login(getattr(world, who))
    got = {name: client.get(url).status_code for name, url in child_urls(world).items()}
    assert got == expected


def test_the_children_list_shows_only_the_children_in_scope(client, login, world):
    login(world.other_manager)
    page = text(client.get("/children"))
    assert "Casey Current" not in page and "Lee Left" not in page

    login(world.staff)
    page = text(client.get("/children"))
    assert "Casey Current" in page and "Lee Left" not in page

    login(world.manager)
    page = text(client.get("/children"))
    assert "Casey Current" in page and "Lee Left" in page
    assert "Ash House, Bed 1" in page


def test_no_childs_name_reference_or_birth_date_in_any_url(client, login, world, app):
    login(world.manager)
    private = ["Casey", "Current", "LCS777001", "2011-03-04", "04/03/2011", "4-3-2011"]
    pages = [client.get(u) for u in (*child_urls(world).values(), f"/homes/{world.a.id}",
                                     f"/placements/{world.stay.id}/transfer")]
    links = [link for p in pages for link in
             re.findall(r'(?:href|action)="([^"]*)"', p.get_data(as_text=True))]
    assert links
    for link in links:
        assert not any(s.lower() in link.lower() for s in private), link
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("placements."):
            assert set(rule.arguments) <= {"home_id", "placement_id", "child_id"}, rule
            assert all(isinstance(c, IntegerConverter) for c in rule._converters.values()), rule
