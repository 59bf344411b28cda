"""People picking up the same shift at the same moment: exactly one gets it, the others are
told it has gone. Each attempt runs in its own thread with its own session and connection."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota.models import Shift, ShiftAssignment
from tests.placements.test_concurrency import race

from .support import NOW, days, shift, shift_type, staff


@pytest.mark.parametrize("round_", range(3))
def test_four_people_pick_up_one_shift_at_once_exactly_one_gets_it(app, make, round_):
    home = make.home(name="Ash House")
    open_shift = shift(home, shift_type(home), days(3), offered=True)
    people = [staff(inducted=[home]).id for _ in range(4)]
    shift_id = open_shift.id

    def pick(person):
        return lambda: relief.pick_up_shift(shift_id, person, actor=None, now=NOW)

    outcomes = race(app, [pick(p) for p in people])
    assert outcomes.count("admitted") == 1, outcomes
    assert all(o == relief.GONE for o in outcomes if o != "admitted"), outcomes
    db.session.expire_all()
    s = db.session.get(Shift, shift_id)
    assert s.assignee_id in people
    assert db.session.scalar(select(func.count(ShiftAssignment.id))) == 1


def test_one_person_picking_up_two_overlapping_shifts_at_once_gets_one(app, make):
    home = make.home(name="Ash House")
    a = shift(home, shift_type(home, "Long day", time(8), time(22)), days(3), offered=True).id
    b = shift(home, shift_type(home, "Late", time(14), time(23)), days(3), offered=True).id
    person = staff(inducted=[home]).id
    outcomes = race(app, [lambda s=s: relief.pick_up_shift(s, person, actor=None, now=NOW)
                          for s in (a, b)])
    assert outcomes.count("admitted") == 1, outcomes
    assert any("Overlap" in o for o in outcomes if o != "admitted"), outcomes


def test_the_database_itself_refuses_a_person_on_overlapping_shifts(make):
    home = make.home(name="Ash House")
    person = staff(inducted=[home])
    shift(home, shift_type(home, "Long day", time(8), time(22)), days(3), assignee=person)
    late = shift(home, shift_type(home, "Late", time(14), time(23)), days(3))
    late.assignee_id, late.cover = person.id, "contracted"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_itself_refuses_two_live_bookings_of_one_shift(make):
    home = make.home(name="Ash House")
    s = shift(home, shift_type(home), days(3), assignee=staff(inducted=[home]))
    db.session.add(ShiftAssignment(shift_id=s.id, staff_id=staff(inducted=[home]).id,
                                   status="confirmed", sequence=1, induction=False,
                                   created_at=NOW, updated_at=NOW))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
