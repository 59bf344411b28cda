"""flask demo-data: the fictional council's shape, two years of moves, and no rule broken."""
from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from homes_app import clock, create_app
from homes_app.audit.models import AuditEvent
from homes_app.auth.models import Role, User
from homes_app.demo.council import DEMO_PASSWORD, PEOPLE
from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse, Home
from homes_app.placements.models import Child, Placement, PlacementCorrection
from homes_app.placements.rules import check_stay
from tests.conftest import empty_postgres

TABLES = (Home, Bed, BedHold, BedOutOfUse, User, Child, Placement, PlacementCorrection,
          AuditEvent)


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["demo-data", *args])
    db.session.rollback()  # see what the command committed
    return result


@pytest.fixture
def demo(app):
    result = run(app, "--seed", "1")
    assert result.exit_code == 0, result.output
    return result


def counts() -> dict[str, int]:
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in TABLES}


def test_six_homes_with_the_required_mix(demo):
    homes = db.session.scalars(select(Home)).all()
    assert len(homes) == 6
    assert {len(h.beds) for h in homes} == {1, 2, 3, 4}
    solo = [h for h in homes if h.home_type == "solo"]
    assert len(solo) == 1 and len(solo[0].beds) == 1 and solo[0].max_children == 1
    registering = [h for h in homes if h.status == "registering"]
    assert len(registering) == 1 and registering[0].ofsted_urn is None
    assert not db.session.scalar(select(func.count(Placement.id)).where(
        Placement.home_id == registering[0].id))
    urns = [h.ofsted_urn for h in homes if h.status == "registered"]
    assert len(urns) == 5 and all(re.fullmatch(r"SC\d{6}|\d{7}", u) for u in urns)
    assert any(u.startswith("SC") for u in urns) and any(u.isdigit() for u in urns)
    for home in homes:
        assert 400000 <= home.weekly_unit_cost_pence <= 700000
        assert home.postcode and home.district and home.min_age <= home.max_age


def test_one_demo_log_in_per_role(demo, client):
    signers = db.session.scalars(select(User).where(User.password_hash.is_not(None))).all()
    assert {u.role for u in signers} == {r.value for r in Role}
    managers = [u for u in signers if u.role == Role.REGISTERED_MANAGER]
    assert len(managers) == 2 and any(len(u.homes) == 2 for u in managers)
    for manager in managers:  # each home's manager on record is the one who may record moves
        assert all(h.registered_manager_id == manager.id for h in manager.homes)
    for person in PEOPLE:
        if person.can_sign_in:
            assert person.email in demo.output
    assert DEMO_PASSWORD in demo.output
    assert demo.output.count(DEMO_PASSWORD) == 1
    page = client.post("/sign-in", data={"email": "director@northmoor.example",
                                         "password": DEMO_PASSWORD,
                                         "csrf_token": _csrf(client)})
    assert page.status_code == 302  # a director sets up two-factor at the first sign-in
    enrol = client.get(page.headers["Location"]).get_data(as_text=True)
    key = re.search(r'data-test="manual-key">([A-Z2-7 ]+)<', enrol).group(1).replace(" ", "")
    import pyotp

    done = client.post(page.headers["Location"], data={
        "code": pyotp.TOTP(key).at(clock.now()),
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                enrol).group(1)})
    assert "Your recovery codes" in done.get_data(as_text=True)
    assert client.get("/overview").status_code == 200


def _csrf(client) -> str:
    html = client.get("/sign-in").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_two_years_of_every_kind_of_move(demo):
    today = clock.today()
    stays = db.session.scalars(select(Placement)).all()
    confirmed = [p for p in stays if p.status == "confirmed"]
    assert min(p.starts_on for p in confirmed) <= today - timedelta(days=700)
    assert max(p.starts_on for p in confirmed) >= today - timedelta(days=90)
    kinds = {p.admission_type for p in confirmed}
    assert kinds == {"planned", "emergency", "transfer"}
    transfers = [p for p in confirmed if p.admission_type == "transfer"]
    assert any(p.previous.home_id == p.home_id for p in transfers)  # to another bed
    assert any(p.previous.home_id != p.home_id for p in transfers)  # to another home
    discharges = [p for p in confirmed if p.end_reason == "discharge"]
    assert {p.ending_planned for p in discharges} == {True, False}
    assert len({p.discharge_destination for p in discharges}) >= 4
    assert any(p.status == "planned" and p.starts_on > today for p in stays)
    assert any(p.status == "cancelled" for p in stays)
    assert any(p.ends_on is None for p in confirmed)
    assert db.session.scalar(select(func.count(BedOutOfUse.id))) >= 1
    assert db.session.scalar(select(func.count(BedHold.id))) == 1
    assert db.session.scalar(select(func.count(PlacementCorrection.id))) == 1
    assert all(re.fullmatch(r"DEMO-\d{6}", c.case_reference)
               for c in db.session.scalars(select(Child)))


def test_every_move_was_made_through_the_services_and_audited(demo):
    placements = db.session.scalar(select(func.count(Placement.id)))
    audited = db.session.scalar(select(func.count(func.distinct(AuditEvent.subject_id))).where(
        AuditEvent.subject_type == "placements"))
    assert audited == placements
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.like("placement.%"), AuditEvent.actor_id.is_(None))) == 0


def test_no_rule_is_broken(demo):
    stays = db.session.scalars(select(Placement).where(Placement.status != "cancelled")).all()
    for p in stays:
        check_stay(p, admission=False)
        moved_within = p.admission_type == "transfer" and p.previous.home_id == p.home_id
        if p.status == "confirmed" and not moved_within:
            check_stay(p, admission=True)  # conditions of registration on arrival
    far = clock.today() + timedelta(days=10000)
    by_bed, by_child = {}, {}
    for p in stays:
        by_bed.setdefault(p.bed_id, []).append((p.held_from, p.ends_on or far))
        by_child.setdefault(p.child_id, []).append((p.starts_on, p.ends_on or far))
    for intervals in (*by_bed.values(), *by_child.values()):
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            assert end <= start
    for p in stays:
        assert p.child.age_on(p.starts_on) < 18
        if p.ends_on:
            assert p.ends_on <= p.child.date_of_birth.replace(year=p.child.date_of_birth.year
                                                              + 18) + timedelta(days=1)


def test_if_empty_on_a_populated_database_changes_nothing(demo, app):
    before = counts()
    result = run(app, "--if-empty")
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert "director@northmoor.example" in result.output
    assert counts() == before


def test_without_if_empty_a_populated_database_is_refused(demo, app):
    before = counts()
    result = run(app, "--seed", "2")
    assert result.exit_code != 0
    assert "already has homes" in result.output
    assert counts() == before


def test_if_empty_on_an_empty_database_loads(app):
    assert run(app, "--if-empty").exit_code == 0
    assert db.session.scalar(select(func.count(Home.id))) == 6


def test_the_same_seed_gives_the_same_data(app, database, tmp_path):
    kind, where = database
    assert run(app, "--seed", "5").exit_code == 0
    first = _fingerprint()
    if kind == "sqlite":
        shutil.copy(where, tmp_path / "again.sqlite3")
        url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    else:
        db.session.remove()
        db.engine.dispose()
        empty_postgres(where)
        url = where
    other = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                        "SECRET_KEY": "test-secret"})
    with other.app_context():
        assert run(other, "--seed", "5").exit_code == 0
        assert _fingerprint() == first
        db.session.remove()
        db.engine.dispose()


def _fingerprint():
    return [(p.child.case_reference, p.child.date_of_birth, p.home_id, p.bed_id, p.status,
             p.admission_type, p.held_from, p.starts_on, p.ends_on, p.discharge_destination)
            for p in db.session.scalars(select(Placement).order_by(Placement.id))]
