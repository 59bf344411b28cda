"""Home scope, generated from the URL map: for every route that names a record, people scoped
to one home are refused (403 or 404) on another home's record, for GET and for a well-formed
POST, and nothing in the database changes. Relief staff are refused every page but their own
relief-pool pages."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from homes_app.audit.models import AuditEvent
from homes_app.audit.personal_data import READS
from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse, Home
from homes_app.ops.blueprint import OPERATOR_ENDPOINTS
from homes_app.placements import services as moves
from tests.alerts.support import scope_alert
from tests.helpers import hidden_fields
from tests.postcodes.support import scope_override
from tests.registration.support import scope_records as registration_records

TODAY = date(2026, 11, 22)
DAY = {"day": "1", "month": "12", "year": "2026"}
# Everything a move or bed form could ask for, filled in validly for the other home.
# Form nonces, and the audit log (its latest change is compared instead).
NOT_COUNTED = {"submitted_forms", "audit_events", "audit_event_children"}
FORM_FIELDS = ["starts_on", "ends_on", "in_service_from", "in_service_until", "arrived_on"]
ACCOUNT_ROUTES = {"auth.start", "auth.logout", "auth.login", "auth.set_password", "static",
                  "govuk_assets", "auth.two_factor", "auth.two_factor_setup", "account.index",
                  "account.two_factor_setup", "account.two_factor_off", "account.end_sessions"}
# The relief pool's own pages: open shifts across homes, their own shifts and calendar. What they
# show is tested in tests/staffing/test_relief_sees_no_children.py.
RELIEF_ROUTES = {"staffing.open_shifts", "staffing.pick_up", "staffing.my_shifts",
                 "staffing.release", "staffing.reset_calendar", "staffing.calendar_feed"}
RELIEF_ROUTES |= {"alerts.index", "alerts.preferences"}  # only alerts about themselves
# Probes and metrics hold no home's or child's data (tests/ops).
ACCOUNT_ROUTES |= OPERATOR_ENDPOINTS


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
                            "hold_id": hold.id, "period_id": out.id,
                            **staffing_records(home)}
        records[home.id].update(registration_records(home))
        records[home.id]["user_id"] = make.user("home_staff", homes=[home]).id  # an account
        records[home.id]["override_id"] = scope_override().id  # council-wide
        records[home.id]["alert_id"] = scope_alert(home).id
    db.session.commit()
    return mine, theirs, records


def staffing_records(home) -> dict:
    """A home's staff member, shift type and rule, pattern and slot, an offered shift and a
    published week, so that every staffing route with an id is walked too."""
    from datetime import time

    from homes_app import clock
    from homes_app.staffing.people.models import StaffMember
    from homes_app.staffing.relief import services as relief_services
    from homes_app.staffing.rota import patterns
    from homes_app.staffing.rota import records as rota_records
    from homes_app.staffing.rota import services as rota_services

    now = clock.utcnow()
    person = StaffMember(name=f"Staff of {home.name}", role="rsw", home_id=home.id,
                         contracted_minutes=1200, started_on=date(2024, 1, 1), version=1,
                         calendar_version=1, active=True)
    db.session.add(person)
    shift_type = rota_services.save_shift_type(home.id, name="Early", starts_at=time(7),
                                               ends_at=time(15), kind="day",
                                               counts_as_work=True, actor=None)
    rule = rota_services.set_rule(shift_type, min_children=1, minimum=2, actor=None)
    pattern = patterns.create_pattern(home.id, name="Rota", weeks=1,
                                      starts_on=date(2026, 11, 23), actor=None)
    slot = patterns.add_slot(pattern, week=1, weekdays=[0], shift_type_id=shift_type.id,
                             staff_id=None, actor=None)[0]
    shift = rota_services.add_shift(home.id, shift_type=shift_type, on_date=date(2026, 12, 1),
                                    actor=None, now=now)
    relief_services.offer_shift(shift, home_first=False, approval_required=False, actor=None,
                                now=now)
    publication = rota_records.publish_week(home.id, date(2026, 11, 30), actor=None, now=now)
    return {"staff_id": person.id, "shift_type_id": shift_type.id, "rule_id": rule.id,
            "pattern_id": pattern.id, "slot_id": slot.id, "shift_id": shift.id,
            "publication_id": publication.id}


def database_state() -> dict:
    """Every table's size and the latest change: the reads of one's own pages that a test
    makes along the way are audited, and are not changes."""
    db.session.expire_all()
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
              for t in db.metadata.sorted_tables if t.name not in NOT_COUNTED}
    versions = [v for v in db.session.scalars(select(Home.version).order_by(Home.id))]
    return {"counts": counts, "versions": versions, "audit": db.session.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.action.not_in(READS)))}


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
    from tests.staffing.support import staff

    mine, theirs, records = world(make)
    staff(user=login(make.user("relief_staff")))
    before = database_state()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ACCOUNT_ROUTES | RELIEF_ROUTES:
            continue
        url = url_for_record(rule, records[mine.id]) or (
            rule.rule if "<" not in rule.rule else None)
        assert url is not None, rule.rule
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = post_data(client, "/my-shifts", records[mine.id]) \
                if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code in (403, 404), (method, url, response.status_code)
    assert database_state() == before
