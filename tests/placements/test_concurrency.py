"""Two people admitting to the same bed at the same moment: exactly one succeeds.

Each attempt runs in its own thread with its own app context, session and database connection.
"""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.placements import services as moves
from homes_app.placements.models import Placement

TODAY = date(2026, 11, 22)


def race(app, attempts):
    """Run each attempt in its own thread, released together; return their outcomes."""
    db.session.close()  # this thread holds no transaction while the others race
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def worker(i, attempt):
        with app.app_context():
            barrier.wait()
            try:
                attempt()
                db.session.commit()
                outcomes[i] = "admitted"
            except DomainError as error:
                db.session.rollback()
                outcomes[i] = error.message
            except Exception as error:  # reported in the assertion, never swallowed
                outcomes[i] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.parametrize("round_", range(5))
def test_two_admissions_to_one_bed_at_once_exactly_one_wins(app, make, round_):
    home = make.home(beds=2, max_children=2)
    home_id, bed_id = home.id, home.beds[0].id
    child_ids = [make.child().id, make.child().id]

    def admit(child_id):
        def attempt():
            child = db.session.get(moves.Child, child_id)
            moves.admit_child(home_id, bed_id, child, date(2026, 11, 1), emergency=True,
                              actor=None, today=TODAY)
        return attempt

    outcomes = race(app, [admit(c) for c in child_ids])
    assert outcomes.count("admitted") == 1, outcomes
    loser = next(o for o in outcomes if o != "admitted")
    assert "Bed 1 is occupied" in loser or loser == moves.TAKEN
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Placement.id))) == 1


def test_two_admissions_that_would_exceed_the_maximum_exactly_one_wins(app, make):
    home = make.home(beds=2, max_children=1)
    home_id, beds = home.id, [b.id for b in home.beds]
    child_ids = [make.child().id, make.child().id]

    def admit(child_id, bed_id):
        def attempt():
            moves.admit_child(home_id, bed_id, db.session.get(moves.Child, child_id),
                              date(2026, 11, 1), emergency=True, actor=None, today=TODAY)
        return attempt

    outcomes = race(app, [admit(child_ids[0], beds[0]), admit(child_ids[1], beds[1])])
    assert outcomes.count("admitted") == 1, outcomes
    assert any("may look after at most 1" in o for o in outcomes if o != "admitted")


def test_the_database_itself_refuses_a_double_booked_bed(app, make):
    """Even a write that skips the domain rules cannot double-book (constraint or trigger)."""
    home = make.home(beds=1)
    first, second = make.child(), make.child()
    moves.admit_child(home.id, home.beds[0].id, first, date(2026, 11, 1), emergency=False,
                      actor=None, today=TODAY)
    db.session.commit()
    db.session.add(Placement(child_id=second.id, home_id=home.id, bed_id=home.beds[0].id,
                             status="confirmed", admission_type="planned",
                             held_from=date(2026, 11, 10), starts_on=date(2026, 11, 10),
                             created_at=moves.clock.utcnow()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_itself_refuses_overlapping_stays_of_a_child(app, make):
    a, b = make.home(beds=1), make.home(beds=1)
    child = make.child()
    moves.admit_child(a.id, a.beds[0].id, child, date(2026, 11, 1), emergency=False,
                      actor=None, today=TODAY)
    db.session.commit()
    db.session.add(Placement(child_id=child.id, home_id=b.id, bed_id=b.beds[0].id,
                             status="confirmed", admission_type="planned",
                             held_from=date(2026, 11, 5), starts_on=date(2026, 11, 5),
                             ends_on=date(2026, 11, 6), end_reason="discharge",
                             created_at=moves.clock.utcnow()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
