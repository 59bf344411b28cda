"""The written access matrix (docs/access-matrix.md) is the specification: every page it lists
opens for exactly the roles it says, and every page of the app is listed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.ops.blueprint import OPERATOR_ENDPOINTS
from tests.test_home_scope import post_data, url_for_record, world

MATRIX = Path(__file__).resolve().parent.parent / "docs" / "access-matrix.md"
ROLES = ["administrator", "service_director", "registered_manager", "home_staff",
         "relief_staff"]
ALWAYS_OPEN = {"static", "govuk_assets", "auth.login", "auth.logout", "auth.set_password",
               "auth.start", "staffing.calendar_feed"}


def matrix() -> dict[str, dict[str, bool]]:
    rows = re.findall(r"^\| `([\w.]+)`(?: \(action\))? \| (.+) \|$", MATRIX.read_text(),
                      re.MULTILINE)
    return {endpoint: dict(zip(ROLES, (c.strip() == "yes" for c in cells.split("|")),
                               strict=True))
            for endpoint, cells in rows}


def test_every_page_is_in_the_matrix_and_every_row_is_a_page(app):
    pages = {r.endpoint for r in app.url_map.iter_rules()} - ALWAYS_OPEN - OPERATOR_ENDPOINTS
    assert set(matrix()) == pages


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_the_matrix_gives_it(app, make, role):
    from tests.conftest import FreshRequestClient, sign_in
    from tests.staffing.support import staff

    mine, _theirs, records = world(make)
    homes = [db.session.get(Home, mine.id)] if role in ("registered_manager", "home_staff") else []
    user = make.user(role, homes=homes)
    if role == "relief_staff":
        staff(user=user)  # the relief pool's pages are for people on it
    app.test_client_class = FreshRequestClient
    client = app.test_client()
    sign_in(client, user)  # with the second factor where the role requires it
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    checked = 0
    for endpoint, allowed in sorted(matrix().items()):
        rule = rules[endpoint]
        url = url_for_record(rule, records[mine.id]) or rule.rule
        if "GET" in rule.methods:
            status = client.get(url).status_code
            opened = status < 400
        else:  # a button: a well-formed post, with this session's CSRF token
            status = client.post(url, data=post_data(client, "/sign-in", records[mine.id])
                                 ).status_code
            opened = status not in (403, 404)
        assert opened == allowed[role], (role, endpoint, status)
        assert status != 500, (role, endpoint)
        checked += 1
    assert checked == len(matrix())


def test_each_page_declares_who_may_open_it_and_the_matrix_agrees(app):
    # One way to say who may do what: web.roles_required (or web.signed_in) on the view. A
    # role the declaration leaves out is refused before the page runs, so the matrix must say
    # no for it; a page may still narrow the declared roles (their own homes only).
    for endpoint, allowed in matrix().items():
        declared = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if declared is None:  # before sign-in completes: the sign-in flow's own pages
            assert endpoint.startswith("auth."), f"{endpoint} declares no roles"
            continue
        for role, opens in allowed.items():
            if opens:
                assert role in declared, f"{endpoint}: the matrix opens it to {role}"
