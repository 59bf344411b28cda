"""Demo staffing: each open home's team, shift types and minimum staffing, a weekly pattern
that fills the next three weeks, the coming weeks published, sickness that leaves shifts
uncovered, and open shifts for the relief pool. All through the staffing services."""
from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..homes.models import Home
from ..staffing.people import services as staff_services
from ..staffing.people.models import StaffMember
from ..staffing.people.services import StaffDetails
from ..staffing.relief import services as relief_services
from ..staffing.rota import patterns
from ..staffing.rota import records as rota_records
from ..staffing.rota import services as rota_services
from ..staffing.rota.models import Shift
from ..staffing.settings import DEFAULT_TRAINING
from ..staffing.times import monday
from .council import REGISTERED_MANAGER

SURNAMES = ("Ashworth", "Bellamy", "Carrick", "Dunmore", "Ellery", "Fairholm", "Garside",
            "Hartley", "Ingham", "Jessop", "Kershaw", "Lumb", "Marsden", "Nuttall", "Ormerod",
            "Pickles", "Quarmby", "Rushworth", "Sutcliffe", "Thackray", "Uttley", "Varley",
            "Whiteley", "Yeadon")
FIRST = ("Alex", "Bev", "Chris", "Dee", "Eli", "Fran", "Gina", "Harri", "Imran", "Jo", "Kit",
         "Lou", "Mo", "Nat", "Oli", "Pat", "Remi", "Sam", "Toni", "Val")
SHIFT_TYPES = (  # name, start, end, kind, minimum with one child or more
    ("Early", time(7), time(15), "day", 2),
    ("Late", time(14), time(22), "day", 2),
    ("Sleep-in", time(22), time(7), "sleep_in", 1),
)
TEAM = 6  # staff positions per home; a seventh position in the weekly cycle is left open


def load_staffing(homes: dict[str, Home], people: dict[str, User], today: date,
                  seed: int) -> None:
    rng = random.Random(seed * 7919)
    admin = people["admin"]
    now = clock.utcnow()
    open_homes = [h for h in homes.values() if h.status == "registered"]
    names = iter(rng.sample([f"{f} {s}" for f in FIRST for s in SURNAMES], 60))
    teams = {h.id: _team(h, people, names, today, admin) for h in open_homes}
    for home in open_homes:
        _rota(home, teams[home.id], people[REGISTERED_MANAGER[home.name]], today, now)
    _relief_pool(open_homes, people, names, today, admin)
    _sickness(open_homes[0], teams[open_homes[0].id], people, today, now)


def _vet(staff_id: int, today: date, actor, lapsed: bool = False) -> None:
    staff_services.record_dbs(staff_id, issued_on=today - timedelta(days=400),
                              barred_list=True, update_service=True,
                              status_checked_on=None, actor=actor, today=today)
    for course in DEFAULT_TRAINING:
        done = today - timedelta(days=200)
        until = today + timedelta(days=10 if lapsed and course == "First aid" else 500)
        staff_services.add_training(staff_id, course=course, completed_on=done,
                                    valid_until=until, actor=actor, today=today)


def _team(home: Home, people: dict[str, User], names, today: date, admin) -> list[int]:
    team = []
    for n in range(TEAM):
        user = people["staff"] if n == 1 and home.name == "Heatherbank House" else None
        role = ("deputy", "rsw", "rsw", "team_leader", "rsw", "rsw")[n]
        staff = staff_services.create_staff(StaffDetails(
            name=user.display_name if user else next(names), role=role, home_id=home.id,
            contracted_minutes=int((24 if n in (1, 4) else 37.5) * 60),
            started_on=today - timedelta(days=300 + 97 * n), user_id=user.id if user else None,
            level3_achieved_on=today - timedelta(days=100) if n % 2 == 0 else None,
            last_appraisal_on=today - timedelta(days=30 * n)), actor=admin, today=today)
        _vet(staff.id, today, admin, lapsed=n == 5)
        team.append(staff.id)
    return team


def _rota(home: Home, team: list[int], manager, today: date, now) -> None:
    types = []
    for name, starts, ends, kind, least in SHIFT_TYPES:
        st = rota_services.save_shift_type(home.id, name=name, starts_at=starts, ends_at=ends,
                                           kind=kind, counts_as_work=True, actor=manager)
        rota_services.set_rule(st, min_children=1, minimum=least, actor=manager)
        types.append(st)
    pattern = patterns.create_pattern(home.id, name="Weekly rota", weeks=1,
                                      starts_on=monday(today), actor=manager)
    slots = [t for t, (*_, least) in zip(types, SHIFT_TYPES, strict=True) for _ in range(least)]
    for day in range(7):
        for k, st in enumerate(slots):
            position = (day * len(slots) + k) % (TEAM + 1)
            patterns.add_slot(pattern, week=1, weekdays=[day], shift_type_id=st.id,
                              staff_id=team[position] if position < TEAM else None,
                              actor=manager)
    first = today + timedelta(days=1)
    patterns.generate(pattern, first=first, last=monday(today) + timedelta(days=27),
                      actor=manager, now=now)
    for week in (1, 2):
        rota_records.publish_week(home.id, monday(today) + timedelta(weeks=week),
                                   actor=manager, now=now)
    _offer_open_shifts(home, manager, today, now)


def _offer_open_shifts(home: Home, manager, today: date, now) -> None:
    uncovered = db.session.scalars(select(Shift).where(
        Shift.home_id == home.id, Shift.cover.is_(None), Shift.status == "active",
        Shift.on_date <= today + timedelta(days=14)).order_by(Shift.starts_at)).all()
    for n, shift in enumerate(uncovered):
        relief_services.offer_shift(shift, home_first=n % 4 == 3, approval_required=n % 3 == 2,
                                    actor=manager, now=now)


def _relief_pool(homes: list[Home], people: dict[str, User], names, today: date,
                 admin) -> None:
    pool = [("relief", people["relief"].display_name, people["relief"].id)]
    pool += [(None, next(names), None) for _ in range(3)]
    for n, (_, name, user_id) in enumerate(pool):
        staff = staff_services.create_staff(StaffDetails(
            name=name, role="relief", home_id=None, contracted_minutes=0,
            started_on=today - timedelta(days=200 + 60 * n), user_id=user_id,
            opted_out_48h=n == 2), actor=admin, today=today)
        _vet(staff.id, today, admin)
        for home in homes[: 2 + n % 3]:
            staff_services.record_induction(staff.id, home.id, today - timedelta(days=90),
                                            actor=admin, today=today)


def _sickness(home: Home, team: list[int], people: dict[str, User], today: date,
              now) -> None:
    """A team member off sick for two days next week: their shifts become uncovered, a change
    after the week's rota was published."""

    staff = db.session.get(StaffMember, team[2])
    first = monday(today) + timedelta(weeks=1, days=1)
    rota_records.mark_absence(staff, kind="sick", starts_on=first,
                               ends_on=first + timedelta(days=1), note="Flu",
                               actor=people["admin"], now=now)
