"""load(): Northmoor Council's homes, beds and people, then two years of simulated moves.

Everything goes through the same services the pages use (homes, beds, accounts, children,
moves), so every rule is checked and every change audited; the caller commits once.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from .. import clock
from ..auth import password_links
from ..auth import services as accounts
from ..auth.models import User
from ..extensions import db
from ..homes import services as homes_admin
from ..homes.models import Bed, Home
from ..homes.services import HomeDetails
from ..placements import beds as bed_services
from ..placements import home_changes
from ..placements.models import Child, Placement
from ..placements.queries import Occupancy, occupancy_by_home, total
from ..placements.services import correct_dates
from ..postcodes import examples as postcodes
from ..postcodes.overrides import store_council_la_code
from .council import DEMO_PASSWORD, HOMES, PEOPLE, REGISTERED_MANAGER, HomeSpec
from .registration import load_registration
from .simulate import Simulation
from .staffing import load_staffing

YEARS = 2
# A registering home's beds come into service on its expected opening date.
EXPECTED_OPENING = timedelta(days=120)


@dataclass
class Summary:
    start: date
    today: date
    homes: list[Home]
    beds: int
    children: int
    placements: int
    moves: Counter
    occupancy: Occupancy
    by_home: dict[int, Occupancy] = field(default_factory=dict)


def load(seed: int, today: date) -> Summary:
    """Create the demo council in the current transaction (empty database expected)."""
    rng = random.Random(seed)
    admin = _person(PEOPLE[0], {}, None)
    homes = {spec.name: homes_admin.create_home(_details(spec), actor=admin, today=today)
             for spec in HOMES}
    people = {PEOPLE[0].key: admin}
    people |= {p.key: _person(p, homes, admin) for p in PEOPLE[1:]}
    _passwords(people)
    homes_admin.set_default_target(80, actor=admin, today=today)
    store_council_la_code(postcodes.COUNCIL_LA_CODE, actor=admin)
    actors = {}
    for spec in HOMES:
        home, manager = homes[spec.name], people[REGISTERED_MANAGER[spec.name]]
        home_changes.update_home(home.id, _details(spec, manager.id), actor=admin, today=today,
                                seen_version=home.version)
        for n in range(1, spec.beds + 1):
            bed_services.add_bed(home.id, f"Bed {n}", spec.registered_on or
                                today + EXPECTED_OPENING, actor=manager, today=today)
        db.session.flush()
        db.session.refresh(home)
        actors[home.id] = manager
    sim = Simulation(list(homes.values()), actors, today, rng.randrange(2**32), YEARS)
    sim.run(_specials(today, sim.start, rng))
    _correction(today, actors)
    load_registration(homes, people, today, seed)
    load_staffing(homes, people, today, seed)
    db.session.flush()
    return summarise(sim.start, today)


def _details(spec: HomeSpec, manager_id: int | None = None) -> HomeDetails:
    return HomeDetails(
        name=spec.name, address=spec.address, postcode=spec.postcode, district=spec.district,
        home_type=spec.home_type, status=spec.status, ofsted_urn=spec.urn or "",
        registered_on=spec.registered_on, registered_manager_id=manager_id,
        target_occupancy_pct=spec.target, weekly_unit_cost_pence=spec.weekly_cost * 100,
        max_children=spec.beds, min_age=spec.min_age, max_age=spec.max_age,
        sex_admitted=spec.sex_admitted, categories_of_need=tuple(spec.needs.split(",")))


def _person(person, homes: dict[str, Home], actor: User | None) -> User:
    return accounts.create_user(person.email, person.role, person.name,
                                [homes[name] for name in person.homes], actor=actor)


def _passwords(people: dict[str, User]) -> None:
    """Demo log-ins set their password through the same one-time link a person would use."""
    now = clock.utcnow()
    for person in PEOPLE:
        if person.can_sign_in:
            token = password_links.issue_set_password_token(people[person.key], now, hours=1)
            accounts.set_password(token, DEMO_PASSWORD, now)


def _specials(today: date, start: date, rng: random.Random) -> list[tuple[date, str, dict]]:
    """Beds out of use (for repairs a while ago, after damage now), a matching hold, and a
    planned admission still to come."""
    past = start + timedelta(days=240 + rng.randint(0, 60))
    return [
        (past, "out_of_use", {
            "home": "Heatherbank House", "reason": "repairs", "days": rng.randint(35, 56),
            "note": "Ceiling and window repairs after a leak", "until": past + timedelta(300)}),
        (today - timedelta(days=60), "out_of_use", {
            "home": "Larchfield Close", "reason": "damage", "back_on": today + timedelta(21),
            "note": "Door and window being replaced after damage", "until": today}),
        (today - timedelta(days=30), "future_admission", {"until": today}),
        (today - timedelta(days=150), "matching_hold", {
            "home": "Moss Lane", "until": today - timedelta(days=20),
            "note": "Kept empty: the young person living here needs to live alone for now, "
                    "so a second child would not be safe"}),
    ]


def _correction(today: date, actors: dict[int, User]) -> None:
    """One past discharge recorded a day late, corrected with a reason (history stays)."""
    stay = db.session.scalars(
        select(Placement).where(Placement.end_reason == "discharge",
                                Placement.ends_on < today - timedelta(days=60),
                                Placement.ends_on > Placement.starts_on + timedelta(days=10))
        .order_by(Placement.ends_on.desc()).limit(1)).first()
    if stay is not None:
        correct_dates(stay, starts_on=stay.starts_on, ends_on=stay.ends_on - timedelta(days=1),
                      reason="The move-out was recorded a day late; the last night here was "
                             "the night before", actor=actors[stay.home_id], today=today)


def summarise(start: date, today: date) -> Summary:
    homes = db.session.scalars(select(Home).order_by(Home.name)).all()
    by_home = occupancy_by_home(start, today)
    moves: Counter = Counter()
    for p in db.session.scalars(select(Placement)):
        moves[_kind(p)] += 1
        if p.end_reason == "discharge":
            moves["planned endings" if p.ending_planned else "unplanned endings"] += 1
    return Summary(start, today, homes, db.session.scalar(select(func.count(Bed.id))),
                   db.session.scalar(select(func.count(Child.id))),
                   sum(v for k, v in moves.items() if not k.endswith("endings")), moves,
                   total(by_home), by_home)


def _kind(p: Placement) -> str:
    if p.status == "planned":
        return "planned admissions still to come"
    if p.status == "cancelled":
        return "planned admissions cancelled"
    if p.admission_type != "transfer":
        return f"{p.admission_type} admissions"
    same_home = p.previous is not None and p.previous.home_id == p.home_id
    return "moves to another bed" if same_home else "transfers to another home"
