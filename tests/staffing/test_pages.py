"""Every staffing page renders for the people who may see it, and is refused to the rest."""
from __future__ import annotations

import pytest

from homes_app.extensions import db

from .support import TODAY


def pages(s) -> dict[str, str]:
    return {
        "rota": f"/homes/{s.home.id}/rota",
        "rota next week": f"/homes/{s.home.id}/rota?week=2026-11-30",
        "setup": f"/homes/{s.home.id}/rota/setup",
        "new shift type": f"/homes/{s.home.id}/shift-types/new",
        "edit shift type": f"/homes/{s.home.id}/shift-types/{s.day.id}/edit",
        "rule": f"/homes/{s.home.id}/shift-types/{s.day.id}/rules",
        "new pattern": f"/homes/{s.home.id}/patterns/new",
        "new shift": f"/homes/{s.home.id}/shifts/new",
        "shift": f"/shifts/{s.open_shift.id}",
        "assign": f"/shifts/{s.rota_shift.id}/assign",
        "offer": f"/shifts/{s.rota_shift.id}/offer",
        "cancel": f"/shifts/{s.rota_shift.id}/cancel",
        "staff": "/staff",
        "staff record": f"/staff/{s.worker.id}",
        "relief record": f"/staff/{s.relief.id}",
        "edit staff": f"/staff/{s.worker.id}/edit",
        "dbs": f"/staff/{s.worker.id}/dbs",
        "training": f"/staff/{s.worker.id}/training",
        "induction": f"/staff/{s.relief.id}/induction",
        "absence": f"/staff/{s.worker.id}/absence",
        "new staff": "/staff/new",
    }


MANAGER_ONLY = {"setup", "new shift type", "edit shift type", "rule", "new pattern",
                "new shift", "assign", "offer", "cancel"}


def test_a_manager_sees_every_page_of_their_home(client, login, staffed):
    login(staffed.manager)
    for name, url in pages(staffed).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)


def test_home_staff_read_the_rota_and_their_record_but_change_nothing(client, login, staffed):
    login(db.session.get(type(staffed.manager), staffed.worker.user_id))
    allowed = {"rota", "rota next week", "shift", "staff record"}
    for name, url in pages(staffed).items():
        response = client.get(url)
        expected = (200,) if name in allowed else (403, 404)
        assert response.status_code in expected, (name, url, response.status_code)
    assert client.get("/my-shifts").status_code == 200
    assert client.get("/open-shifts").status_code == 200


def test_relief_staff_see_only_their_own_pages(client, login, staffed):
    login(db.session.get(type(staffed.manager), staffed.relief.user_id))
    for name, url in pages(staffed).items():
        response = client.get(url)
        expected = (200,) if name == "relief record" else (403, 404)
        assert response.status_code in expected, (name, url, response.status_code)
    for url in ("/open-shifts", "/my-shifts"):
        assert client.get(url).status_code == 200
    assert client.get("/").headers["Location"].endswith("/open-shifts")


@pytest.mark.parametrize("role", ["administrator", "service_director"])
def test_administrators_and_directors_read_staff_and_rotas(client, login, make, staffed, role):
    login(make.user(role))
    for name, url in pages(staffed).items():
        response = client.get(url)
        if name in MANAGER_ONLY:
            assert response.status_code == 403, (name, response.status_code)
        elif role == "service_director" and name in ("edit staff", "dbs", "training",
                                                     "induction", "absence", "new staff"):
            assert response.status_code == 403, (name, response.status_code)
        else:
            assert response.status_code == 200, (name, url, response.status_code)
    if role == "administrator":
        assert client.get("/staffing/settings").status_code == 200


def test_a_manager_of_another_home_is_refused(client, login, make, staffed):
    login(make.user("registered_manager", homes=[make.home(name="Elm House")]))
    for name, url in pages(staffed).items():
        if name in ("staff", "new staff", "relief record", "induction"):
            continue  # lists and forms of their own; the relief pool is shared
        assert client.get(url).status_code in (403, 404), name


def test_the_rota_shows_staff_by_day_and_the_gap_below_the_minimum(client, login, make,
                                                                    staffed):
    from homes_app.placements import services as moves

    moves.admit_child(staffed.home.id, staffed.home.beds[0].id, make.child(), TODAY,
                      emergency=True, actor=None, today=TODAY)
    db.session.commit()
    login(staffed.manager)
    html = client.get(f"/homes/{staffed.home.id}/rota?week=2026-11-25").get_data(as_text=True)
    assert "week from Monday 23 November 2026" in html
    assert "Hal Home" in html and "Long day 08:00–22:00" in html
    # One child all week: long days need 2 (one planned, on Tuesday), waking nights 1 (none
    # covered: Wednesday's is only offered): 13 + 7 staff short.
    assert "below the minimum this week: 20 staff short in all" in html
    assert html.count("1 child<") == 7
    assert html.count("app-rota__short") == 14
