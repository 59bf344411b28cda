"""Access: no page but signing in (and static assets) is open to anonymous visitors, and the
overview costs the same number of queries for one home or many."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import event

from homes_app.auth.views import PUBLIC_ENDPOINTS
from homes_app.extensions import db
from homes_app.ops.blueprint import OPERATOR_ENDPOINTS
from homes_app.placements import services as moves


def concrete(rule) -> str:
    """A URL for a rule with every variable filled with 1 (ids) or 'x'."""
    return re.sub(r"<(?:(\w+):)?(\w+)>",
                  lambda m: "1" if (m.group(1) or "") in ("int", "") and "id" in m.group(2)
                  else "x", rule.rule)


def test_no_route_but_sign_in_and_assets_is_open_to_anonymous_visitors(app, client, make):
    make.home()  # something to find, if a page leaked it
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS | OPERATOR_ENDPOINTS:  # tests/ops for the latter
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(concrete(rule), method=method)
            assert response.status_code in (302, 400, 401), (rule.rule, method,
                                                              response.status_code)
            if response.status_code == 302 and method == "POST":
                # A post refused as its session ran out goes back to its form (resume.py);
                # the form page itself then asks for sign-in.
                response = client.get(response.headers["Location"])
            if response.status_code == 302:
                assert "/sign-in" in response.headers["Location"], rule.rule
            checked += 1
    assert checked >= 5


def test_public_endpoints_are_only_sign_in_set_password_and_assets():
    assert PUBLIC_ENDPOINTS == {"auth.login", "auth.set_password", "static", "govuk_assets"}


def test_the_only_other_open_endpoints_are_the_probes_and_metrics():
    assert OPERATOR_ENDPOINTS == {"ops.healthz", "ops.readyz", "metrics.metrics"}


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def populate(make, homes: int):
    for n in range(homes):
        home = make.home(beds=2, max_children=2)
        moves.admit_child(home.id, home.beds[0].id, make.child(), date(2026, 11, 1),
                          emergency=n % 2 == 0, actor=None, today=date(2026, 11, 22))
    db.session.commit()


def overview_queries(client) -> int:
    client.get("/overview")  # the first request also loads the session's user
    with QueryCounter(db.engine) as counter:
        page = client.get("/overview")
    assert page.status_code == 200
    return counter.count


def test_the_overview_costs_the_same_queries_for_one_home_or_many(client, make, login):
    login(make.user("service_director"))
    populate(make, 1)
    one = overview_queries(client)
    populate(make, 11)
    many = overview_queries(client)
    assert client.get("/overview").get_data(as_text=True).count("1 of 2") == 12
    assert one == many, (one, many)
    assert one <= 12  # user and homes, then homes, beds, stays, holds, out-of-use, occupancy
