"""The rules of moves, each at its boundary: refusals name the rule and the date."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from homes_app.audit.models import AuditEvent
from homes_app.errors import DomainError, StaleForm
from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse
from homes_app.placements import services as moves
from homes_app.placements.models import Placement

TODAY = date(2026, 11, 22)


def admit(home, child, on=date(2026, 11, 1), bed=0, emergency=False, **kw):
    p = moves.admit_child(home.id, home.beds[bed].id, child, on, emergency=emergency,
                          actor=None, today=TODAY, **kw)
    db.session.commit()
    return p


def refused(match: str):
    return pytest.raises(DomainError, match=match)


def placements() -> int:
    return db.session.scalar(select(func.count(Placement.id)))


def test_admission_is_recorded_and_audited(make):
    home, child = make.home(beds=2), make.child()
    p = admit(home, child)
    assert (p.status, p.starts_on, p.ends_on, p.admission_type) == \
        ("confirmed", date(2026, 11, 1), None, "planned")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "placement.admit")).one()
    assert event.subject_id == p.id and event.after["bed_id"] == home.beds[0].id


def test_a_bed_holds_one_child_a_night(make):
    home = make.home(beds=2)
    admit(home, make.child())
    with refused("Bed 1 is occupied on the night of 5 November 2026"):
        admit(home, make.child(), on=date(2026, 11, 5))


def test_the_bed_is_free_again_on_the_discharge_date(make):
    home, first = make.home(beds=1), make.child()
    p = admit(home, first, on=date(2026, 11, 1))
    moves.discharge_child(p, date(2026, 11, 10), destination="family", planned=True,
                          actor=None, today=TODAY)
    db.session.commit()
    second = admit(home, make.child(), on=date(2026, 11, 10))
    assert second.starts_on == date(2026, 11, 10)


def test_a_child_cannot_have_two_stays_on_one_night(make):
    a, b = make.home(beds=2), make.home(beds=1)
    child = make.child()
    admit(a, child)
    with refused("already has a stay on the night of 1 November 2026"):
        admit(a, child, bed=1)
    db.session.rollback()
    # Another home's stay is not dated: its manager alone sees it.
    with refused("already has a stay in another home at that time: ask the placements team") \
            as elsewhere:
        admit(b, child, on=date(2026, 11, 5))
    assert "November" not in elsewhere.value.message


def test_registration_maximum_holds_on_every_night(make):
    home = make.home(beds=3, max_children=2)
    admit(home, make.child(), bed=0)
    admit(home, make.child(), bed=1)
    with refused("at most 2 children; this would make 3 on the night of 1 November 2026"):
        admit(home, make.child(), bed=2)


def test_maximum_counts_planned_admissions_on_their_future_nights(make):
    home = make.home(beds=3, max_children=2)
    admit(home, make.child(), bed=0)
    moves.plan_admission(home.id, home.beds[1].id, make.child(), date(2026, 12, 1),
                         actor=None, today=TODAY)
    db.session.commit()
    with refused("on the night of 1 December 2026"):
        admit(home, make.child(), bed=2, on=date(2026, 11, 20))


@pytest.mark.parametrize("dob, ok", [
    (date(2018, 11, 1), True),    # 8 on the day of admission
    (date(2018, 11, 2), False),   # still 7
    (date(2008, 11, 2), True),    # 17
    (date(2008, 11, 1), False),   # 18 on the day
])
def test_age_on_the_admission_date(make, dob, ok):
    home = make.home(beds=1, min_age=8, max_age=17)
    child = make.child(date_of_birth=dob)
    if ok:
        admit(home, child)
    else:
        with refused("takes children aged 8 to 17"):
            admit(home, child)


def test_sex_and_categories_of_need(make):
    home = make.home(beds=2, sex_admitted="female", categories_of_need="ebd")
    with refused("registered for female only children"):
        admit(home, make.child(sex="male"))
    with refused("not registered for learning disabilities"):
        admit(home, make.child(needs="ebd,learning"))


def test_no_admission_before_registration(make):
    home = make.home(beds=1, status="registering", ofsted_urn=None)
    with refused("not registered with Ofsted"):
        admit(home, make.child())


def test_no_admission_in_the_future_or_into_an_out_of_use_bed(make):
    home = make.home(beds=1)
    with refused("cannot be in the future"):
        admit(home, make.child(), on=date(2026, 11, 23))
    db.session.add(BedOutOfUse(bed_id=home.beds[0].id, reason="repairs",
                               starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 8)))
    db.session.commit()
    # An open stay would run into the repairs: refused, naming their dates.
    with refused("out of use from 1 December 2026 until 8 December 2026"):
        admit(home, make.child())
    db.session.rollback()
    assert placements() == 0


def test_a_matching_hold_keeps_the_bed_empty(make):
    home = make.home(beds=1)
    db.session.add(BedHold(bed_id=home.beds[0].id, reason="matching", starts_on=date(2026, 10, 1)))
    db.session.commit()
    with refused("held for matching from 1 October 2026"):
        admit(home, make.child())


def test_discharge_not_before_admission_and_not_twice(make):
    home = make.home(beds=1)
    p = admit(home, make.child(), on=date(2026, 11, 10))
    with refused("cannot be before the admission"):
        moves.discharge_child(p, date(2026, 11, 9), destination="family", planned=True,
                              actor=None, today=TODAY)
    db.session.rollback()
    moves.discharge_child(p, date(2026, 11, 10), destination="family", planned=True,
                          actor=None, today=TODAY)
    db.session.commit()
    with refused("not currently living here"):
        moves.discharge_child(p, date(2026, 11, 12), destination="family", planned=True,
                              actor=None, today=TODAY)


def test_transfer_between_homes_ends_one_stay_and_starts_the_next_the_same_day(make):
    a, b = make.home(beds=1), make.home(beds=1)
    p = admit(a, make.child(), on=date(2026, 10, 1))
    nxt = moves.transfer_child(p, b.id, b.beds[0].id, date(2026, 11, 15), planned=True,
                               actor=None, today=TODAY)
    db.session.commit()
    assert (p.ends_on, p.end_reason) == (date(2026, 11, 15), "transfer")
    assert (nxt.starts_on, nxt.home_id, nxt.previous_placement_id) == (date(2026, 11, 15), b.id, p.id)


def test_a_refused_transfer_changes_nothing(make):
    a, b = make.home(beds=1), make.home(beds=1, max_age=12)
    p = admit(a, make.child(date_of_birth=date(2010, 1, 1)), on=date(2026, 10, 1))
    with refused("takes children aged 8 to 12"):
        moves.transfer_child(p, b.id, b.beds[0].id, date(2026, 11, 15), planned=True,
                             actor=None, today=TODAY)
    db.session.rollback()
    assert db.session.get(Placement, p.id).ends_on is None and placements() == 1


def test_planned_admission_holds_the_bed_then_is_confirmed(make):
    home = make.home(beds=1)
    child = make.child()
    plan = moves.plan_admission(home.id, home.beds[0].id, child, date(2026, 11, 30),
                                actor=None, today=TODAY)
    db.session.commit()
    assert (plan.status, plan.held_from) == ("planned", TODAY)
    with refused("held for a planned admission on the night of 22 November 2026"):
        admit(home, make.child(), on=date(2026, 11, 22))
    db.session.rollback()
    moves.confirm_admission(plan, TODAY, actor=None, today=TODAY)
    db.session.commit()
    assert (plan.status, plan.starts_on) == ("confirmed", TODAY)


def test_cancelled_plan_releases_the_bed(make):
    home = make.home(beds=1)
    plan = moves.plan_admission(home.id, home.beds[0].id, make.child(), date(2026, 12, 5),
                                actor=None, today=TODAY)
    moves.cancel_admission(plan, actor=None, today=TODAY)
    db.session.commit()
    assert (plan.status, plan.ends_on) == ("cancelled", TODAY)
    admit(home, make.child(), on=TODAY)


def test_a_stale_form_is_refused(make):
    home = make.home(beds=2)
    seen = home.version
    admit(home, make.child(), bed=0)
    with pytest.raises(StaleForm):
        admit(home, make.child(), bed=1, seen_version=seen)


def test_correcting_a_transfer_date_moves_both_stays_and_keeps_history(make):
    a, b = make.home(beds=1), make.home(beds=1)
    p = admit(a, make.child(), on=date(2026, 10, 1))
    nxt = moves.transfer_child(p, b.id, b.beds[0].id, date(2026, 11, 15), planned=True,
                               actor=None, today=TODAY)
    db.session.commit()
    moves.correct_dates(nxt, starts_on=date(2026, 11, 14), ends_on=None,
                        reason="Moved a day earlier than recorded", actor=None, today=TODAY)
    db.session.commit()
    assert (p.ends_on, nxt.starts_on) == (date(2026, 11, 14), date(2026, 11, 14))
    fields = {(c.placement_id, c.field, c.old_value, c.new_value)
              for c in db.session.scalars(select(moves.PlacementCorrection))}
    assert fields == {(nxt.id, "starts_on", "2026-11-15", "2026-11-14"),
                      (p.id, "ends_on", "2026-11-15", "2026-11-14")}


def test_a_correction_needs_a_reason_and_keeps_the_rules(make):
    home = make.home(beds=1)
    first = admit(home, make.child(), on=date(2026, 10, 1))
    moves.discharge_child(first, date(2026, 10, 20), destination="family", planned=True,
                          actor=None, today=TODAY)
    second = admit(home, make.child(), on=date(2026, 10, 25))
    with refused("Give the reason"):
        moves.correct_dates(first, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 21),
                            reason=" ", actor=None, today=TODAY)
    db.session.rollback()
    with refused("Bed 1 is occupied on the night of 25 October 2026"):
        moves.correct_dates(first, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 27),
                            reason="Left later", actor=None, today=TODAY)
    db.session.rollback()
    assert db.session.get(Placement, first.id).ends_on == date(2026, 10, 20)
    assert second.starts_on == date(2026, 10, 25)


def test_correcting_a_transfer_later_writes_the_shrinking_stay_first(make):
    """The database checks row by row: the later stay must give up the night before the
    earlier stay takes it (found by the property-based test)."""
    a, b = make.home(beds=1), make.home(beds=1)
    p = admit(a, make.child(), on=date(2026, 10, 1))
    nxt = moves.transfer_child(p, b.id, b.beds[0].id, date(2026, 11, 15), planned=True,
                               actor=None, today=TODAY)
    db.session.commit()
    moves.correct_dates(p, starts_on=date(2026, 10, 1), ends_on=date(2026, 11, 17),
                        reason="Stayed two more nights", actor=None, today=TODAY)
    db.session.commit()
    db.session.expire_all()
    assert (p.ends_on, nxt.starts_on, nxt.held_from) == (date(2026, 11, 17),) * 3
