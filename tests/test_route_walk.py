"""No address can make the app fail (500). Every registered route, for every method it allows,
signed out and signed in as a role that may open it, is asked with ids past what a database
holds (2**63 and more), negative and non-numeric ids and malformed tokens; every query-string
value a page reads is sent as dates of year 0 and 99999, 30 February and ids out of range; and
sign-in is sent a `next=` holding CR/LF. Each answer is below 500, and a 400 or 404 is the
GOV.UK error page."""
from __future__ import annotations

import re

import pytest
from flask import Request, got_request_exception
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.ops.blueprint import OPERATOR_ENDPOINTS
from tests.conftest import FreshRequestClient, next_code, sign_in
from tests.helpers import hidden_fields
from tests.staffing.support import staff
from tests.test_access_matrix import ALWAYS_OPEN, ROLES, matrix
from tests.test_home_scope import post_data, world

# Past 2**64, past 2**63 (SQLite's and PostgreSQL's bigint), then two that no int route
# matches, so they are walked signed out only: routing refuses them before anyone is known.
TOO_BIG = ["99999999999999999999", str(2**63)]
NOT_IDS = ["-1", "seven"]
BAD_TOKENS = ["x", "%00", "%0d%0a", "%E2%80%AE", "a" * 300, "..%2F..", "%C3%A9"]
# As one value (an ISO date, a number) and as the three boxes of a GOV.UK date: year 0, the
# first and last days Python has (a day either side overflows), year 99999, 30 February.
BAD_QUERY_VALUES = [["0000-01-01"], ["0001-01-01"], ["9999-12-31"], ["99999-12-31"],
                    ["2026-02-30"], ["99999999999999999999"], ["-1"],
                    ["30", "2", "2026"], ["1", "1", "0001"], ["31", "12", "9999"]]
CRLF_NEXT = "/%0d%0aSet-Cookie:%20planted=1"
VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class ArgsRead(ImmutableMultiDict):
    """The query string, noting every name a page reads from it."""

    names: set[str] = set()

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's own name)
        self.names.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.names.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        self.names.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    @cached_property
    def args(self):
        return ArgsRead(super().args)


class Walk:
    """Requests made and what went wrong; a failing request's exception is kept to show."""

    def __init__(self, app):
        self.app, self.problems, self.count, self.error = app, [], 0, None
        app.config["PROPAGATE_EXCEPTIONS"] = False  # a failure answers 500, as in production
        app.request_class = RecordingRequest
        got_request_exception.connect(self._failed, app)

    def _failed(self, _sender, exception, **_extra):
        self.error = exception

    def ask(self, client, who: str, method: str, url: str, data=None):
        self.error, self.count = None, self.count + 1
        response = client.open(url, method=method, data=data)
        if response.status_code == 500:
            self.problems.append((who, method, url, repr(self.error)))
        elif response.status_code in (400, 404) and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            if "govuk-heading-l" not in page:
                self.problems.append((who, method, url, f"{response.status_code}, plain"))
        return response

    def report(self) -> str:
        return "\n".join(" ".join(map(str, problem)) for problem in self.problems)


def fill(rule, ids: dict, bad: tuple[str, str] | None = None) -> str:
    """The rule's URL with each variable a real record's id (1 for one without a record, x for
    a word), but `bad` = (variable, value) put in as it is."""
    def value(match):
        converter, name = match.group(1) or "default", match.group(2)
        if bad and name == bad[0]:
            return bad[1]
        return str(ids.get(name, 1)) if converter == "int" else "x"

    return VARIABLE.sub(value, rule.rule)


def bad_values(rule, signed_in: bool) -> list[tuple[str, str]]:
    ids = TOO_BIG if signed_in else TOO_BIG + NOT_IDS
    return [(name, value)
            for converter, name in VARIABLE.findall(rule.rule)
            for value in (ids if converter == "int" else BAD_TOKENS)]


def walker_for(endpoint: str, allowed: dict[str, dict[str, bool]]) -> str:
    """The first role that may open the page (so its code runs), administrator for pages open
    to everyone."""
    if endpoint not in allowed:
        return "administrator"
    return next(role for role in ROLES if allowed[endpoint][role])


def signed_in_clients(app, make, mine) -> dict:
    clients = {}
    for role in ROLES:
        homes = [db.session.get(Home, mine.id)] if role in ("registered_manager",
                                                               "home_staff") else []
        user = make.user(role, homes=homes)
        if role == "relief_staff":
            staff(user=user)
        client = app.test_client()
        sign_in(client, user)
        clients[role] = client
    return clients


def walk_paths(walk, client, who, rule, ids, data):
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        for bad in bad_values(rule, signed_in=who != "signed out"):
            walk.ask(client, who, method, fill(rule, ids, bad),
                     data if method == "POST" else None)


def walk_query(walk, client, who, rule, ids):
    """Each name the page reads from its query string, sent each bad value in turn."""
    url = fill(rule, ids)
    ArgsRead.names = set()
    walk.ask(client, who, "GET", url)
    for name in sorted(ArgsRead.names - {"next"}):
        for values in BAD_QUERY_VALUES:
            query = "&".join(f"{name}={v}" for v in values)
            walk.ask(client, who, "GET", f"{url}?{query}")


def test_no_route_answers_500_to_ids_dates_or_tokens_out_of_range(app, make):
    walk = Walk(app)
    app.test_client_class = FreshRequestClient
    mine, _theirs, records = world(make)
    ids = records[mine.id]
    allowed = matrix()
    clients = signed_in_clients(app, make, mine)
    signed_out = app.test_client()
    signed_out_data = hidden_fields(signed_out.get("/sign-in").get_data(as_text=True))
    data = {role: post_data(client, "/account", ids) for role, client in clients.items()}
    for rule in app.url_map.iter_rules():
        walk_paths(walk, signed_out, "signed out", rule, ids, signed_out_data)
        role = walker_for(rule.endpoint, allowed)
        walk_paths(walk, clients[role], role, rule, ids, data[role])
        if "GET" not in rule.methods:
            continue
        if rule.endpoint in OPERATOR_ENDPOINTS | ALWAYS_OPEN:
            walk_query(walk, signed_out, "signed out", rule, ids)
        walk_query(walk, clients[role], role, rule, ids)
    assert walk.count > 1000
    assert not walk.problems, walk.report()


@pytest.mark.parametrize("role", ["home_staff", "registered_manager"])
def test_a_next_address_holding_cr_lf_is_not_followed_at_sign_in(app, make, role):
    """With or without a second factor, a `next=` that would split the redirect's header
    goes to the start page instead."""
    walk = Walk(app)
    app.test_client_class = FreshRequestClient
    home = make.home()
    user = make.user(role, homes=[home])
    client = app.test_client()
    fields = hidden_fields(client.get(f"/sign-in?next={CRLF_NEXT}").get_data(as_text=True))
    answer = walk.ask(client, role, "POST", f"/sign-in?next={CRLF_NEXT}",
                      {**fields, "email": user.email, "password": make.PASSWORD})
    if "/two-factor" in answer.headers.get("Location", ""):
        step = answer.headers["Location"]
        fields = hidden_fields(client.get(step).get_data(as_text=True))
        answer = walk.ask(client, role, "POST", step, {**fields, "code": next_code(user)})
    assert not walk.problems, walk.report()
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert client.get_cookie("planted") is None
