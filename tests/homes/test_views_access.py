"""Every administration route, for every role: the allowed role changes the database and the
audit log; every other role gets 403, another home's ids 404, and nothing changes."""
from __future__ import annotations

import pytest

from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse, Home

from ..helpers import submit
from .forms_data import ADMIN_ROUTES, BED_ROUTES, routes
from .support import audit, state, text

ROLES = ("administrator", "service_director", "registered_manager", "home_staff",
         "relief_staff", "other_manager")


def expected(route: str, role: str) -> int:
    if route in ADMIN_ROUTES:
        return 302 if role == "administrator" else 403
    if role == "registered_manager":
        return 302
    return 404 if role == "other_manager" else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ADMIN_ROUTES + BED_ROUTES)
def test_route_by_role(client, login, world, route, role):
    url, data, action = routes(world)[route]
    login(world.users[role])
    status = expected(route, role)
    page = client.get(url)
    assert page.status_code == (200 if status == 302 else status)
    before = state()
    response = submit(client, url, data)
    assert response.status_code == status, text(response)[:2000]
    if status == 302:
        assert len(audit(action)) == 1
        assert audit(action)[0].actor_id == world.users[role].id
        assert state() != before
    else:
        assert state() == before


def test_each_route_changes_what_it_says(client, login, world):
    """The allowed role's posts, one after another, leave these rows."""
    urls = routes(world)
    login(world.users["administrator"])
    for route in ADMIN_ROUTES:
        assert submit(client, urls[route][0], urls[route][1]).status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})
    login(world.users["registered_manager"])
    for route in ("new_bed", "hold_bed", "end_hold", "end_out_of_use"):
        assert submit(client, urls[route][0], urls[route][1]).status_code == 302, route
    db.session.expire_all()
    birch = db.session.query(Home).filter_by(name="Birch House").one()
    assert (birch.postcode, birch.home_type, birch.needs) == ("DE1 1AA", "solo",
                                                               {"ebd", "learning"})
    oak = db.session.get(Home, world.home.id)
    assert oak.district == "South"
    assert oak.version == 1 + 1 + 4  # the edit and four bed changes
    assert {b.label for b in oak.beds} == {"Bed 1", "Bed 2", "Bed 3", "Bed 4"}
    held = db.session.query(BedHold).filter_by(bed_id=oak.beds[2].id).one()
    assert (held.note, str(held.ends_on)) == ("Solo", "2026-12-01")
    assert str(db.session.get(BedHold, world.hold.id).ends_on) == "2026-12-10"
    assert str(db.session.get(BedOutOfUse, world.out.id).ends_on) == "2026-12-01"


def _token(client) -> str:
    from ..helpers import hidden_fields

    return hidden_fields(text(client.get("/homes")))["csrf_token"]


@pytest.mark.parametrize("route", ["retire_bed", "hold_bed", "out_of_use"])
def test_a_bed_of_another_home_under_my_home_is_404(client, login, world, route):
    url, data, _ = routes(world)[route]
    url = url.replace(f"/beds/{world.home.beds[2].id}/", f"/beds/{world.other.beds[0].id}/")
    login(world.users["registered_manager"])
    assert client.get(url).status_code == 404
    before = state()
    assert submit(client, url, data, form_url="/homes").status_code == 404
    assert state() == before


def test_a_hold_of_another_home_under_my_home_is_404(client, login, world):
    other_bed = world.other.beds[0]
    hold = BedHold(bed_id=other_bed.id, reason="matching", starts_on=world.hold.starts_on)
    db.session.add(hold)
    db.session.commit()
    login(world.users["registered_manager"])
    assert client.get(f"/homes/{world.home.id}/holds/{hold.id}/end").status_code == 404
    assert client.get(f"/homes/{world.home.id}/holds/999/end").status_code == 404


@pytest.mark.parametrize(("role", "own", "other"), [
    ("administrator", 200, 200), ("service_director", 200, 200),
    ("registered_manager", 200, 404), ("home_staff", 200, 404), ("relief_staff", 403, 403),
])
def test_home_pages_by_role(client, login, world, role, own, other):
    login(world.users[role])
    assert client.get(f"/homes/{world.home.id}").status_code == own
    assert client.get(f"/homes/{world.other.id}").status_code == other
    assert client.get("/homes").status_code == (403 if role == "relief_staff" else 200)


def test_links_only_for_roles_that_may_use_them(client, login, world):
    page = f"/homes/{world.home.id}"
    links = {
        "administrator": ([f"{page}/edit", "/homes/new"], [f"{page}/beds/new"]),
        "registered_manager": ([f"{page}/beds/new", f"{page}/holds/{world.hold.id}/end",
                                f"{page}/out-of-use/{world.out.id}/end"], [f"{page}/edit"]),
        "service_director": ([], [f"{page}/edit", f"{page}/beds/new", "/homes/new"]),
        "home_staff": ([], [f"{page}/edit", f"{page}/beds/new", "/holds/"]),
    }
    for role, (shown, hidden) in links.items():
        login(world.users[role])
        html = text(client.get(page)) + text(client.get("/homes"))
        for href in shown:
            assert f'href="{href}"' in html, (role, href)
        for href in hidden:
            assert href not in html, (role, href)
        client.post("/sign-out", data={"csrf_token": _token(client)})


def test_bed_count_is_untouched_by_a_refused_role(client, login, world):
    login(world.users["home_staff"])
    url, data, _ = routes(world)["new_bed"]
    assert submit(client, url, data).status_code == 403
    assert db.session.query(Bed).filter_by(home_id=world.home.id).count() == 3


def test_the_homes_list_links_each_home_by_its_name_escaped_once(client, login, make):
    """Each name is a working link (not markup shown as text), and a name holding markup is
    shown as the text it is."""
    home = make.home(name="Oak & <b>Ash</b> House")
    login(make.user("administrator"))
    page = text(client.get("/homes"))
    name = "Oak &amp; &lt;b&gt;Ash&lt;/b&gt; House"
    assert f'<a class="govuk-link" href="/homes/{home.id}">{name}</a>' in page
    assert f'<a class="govuk-link" href="/homes/{home.id}/edit">Edit' in page
    assert "&lt;a class" not in page
