"""Home scope, generated from the URL map: for every route that names a record, people scoped
to one home are refused (403 or 404) on another home's record, for GET and for a well-formed
POST, and nothing in the database changes. Relief staff are refused every page of the core."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse, Home
from homes_app.placements import services as moves
from tests.helpers import hidden_fields

TODAY = date(2026, 11, 22)
DAY = {"day": "1", "month": "12", "year": "2026"}
# Everything a move or bed form could ask for, filled in validly for the other home.
FORM_FIELDS = ["starts_on", "ends_on", "in_service_from", "in_service_until", "arrived_on"]
ACCOUNT_ROUTES = {"auth.start", "auth.logout", "auth.login", "auth.set_password", "static",
                  "govuk_assets"}


def world(make):
    mine, theirs = make.home(beds=3, name="Ash House"), make.home(beds=3, name="Elm House")
    records = {}
    for home in (mine, theirs):
        stay = moves.admit_child(home.id, home.beds[0].id, make.child(), date(2026, 11, 1),
                                 emergency=False, actor=None, today=TODAY)
        moves.plan_admission(home.id, home.beds[1].id, make.child(), date(2026, 12, 5),
                             actor=None, today=TODAY)
        hold = BedHold(bed_id=home.beds[2].id, reason="matching", starts_on=date(2026, 11, 2),
                       ends_on=date(2026, 11, 10))
        out = BedOutOfUse(bed_id=home.beds[2].id, reason="repairs",
                          starts_on=date(2026, 11, 12), ends_on=date(2026, 11, 20))
        db.session.add_all([hold, out])
        db.session.flush()
        records[home.id] = {"home_id": home.id, "bed_id": home.beds[2].id,
                            "placement_id": stay.id, "child_id": stay.child_id,
                            "hold_id": hold.id, "period_id": out.id}
    db.session.commit()
    return mine, theirs, records


def database_state() -> dict:
    db.session.expire_all()
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
              for t in db.metadata.sorted_tables if t.name != "submitted_forms"}
    versions = [v for v in db.session.scalars(select(Home.version).order_by(Home.id))]
    return {"counts": counts, "versions": versions,
            "audit": db.session.scalar(select(func.max(AuditEvent.id)))}


def url_for_record(rule, ids: dict) -> str | None:
    names = re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)
    if not names or any(n not in ids for n in names):
        return None
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def post_data(client, own_page: str, ids: dict) -> dict:
    """A well-formed post: a valid CSRF token and nonce from a page the user may see."""
    data = hidden_fields(client.get(own_page).get_data(as_text=True))
    for name in FORM_FIELDS:
        data.update({f"{name}-{k}": v for k, v in DAY.items()})
        data[name] = [DAY["day"], DAY["month"], DAY["year"]]
    data.update({"child_id": str(ids["child_id"]), "bed_id": str(ids["bed_id"]),
                 "admission_type": "emergency", "destination": "family", "ending": "planned",
                 "planned": "yes", "reason": "repairs", "note": "x", "label": "Bed 9",
                 "home_version": "1", "to_bed_id": str(ids["bed_id"])})
    return data


@pytest.mark.parametrize("role", ["registered_manager", "home_staff"])
def test_people_scoped_to_one_home_are_refused_on_another_homes_records(
        app, client, make, login, role):
    mine, theirs, records = world(make)
    login(make.user(role, homes=[db.session.get(Home, mine.id)]))
    before = database_state()
    checked = 0
    for rule in app.url_map.iter_rules():
        url = url_for_record(rule, records[theirs.id])
        if url is None:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = post_data(client, f"/homes/{mine.id}", records[theirs.id]) \
                if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code in (403, 404), (role, method, url, response.status_code)
            checked += 1
    assert checked >= 20
    assert database_state() == before


def test_relief_staff_see_no_home_or_child_page(app, client, make, login):
    mine, theirs, records = world(make)
    login(make.user("relief_staff"))
    before = database_state()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ACCOUNT_ROUTES:
            continue
        url = url_for_record(rule, records[mine.id]) or (
            rule.rule if "<" not in rule.rule else None)
        assert url is not None, rule.rule
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = post_data(client, "/", records[mine.id]) if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code in (403, 404), (method, url, response.status_code)
    assert database_state() == before
