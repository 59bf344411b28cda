"""Property-based: no sequence of pick-ups, releases, approvals, declines and cancellations
ever gives one shift two people or one person two shifts at once, and each shift's assignee
is its one live booking."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from homes_app import clock
from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota import services as rota
from homes_app.staffing.rota.models import Shift, ShiftAssignment

from .support import NOW, days, shift, shift_type, staff

pick = st.integers(0, 99)
operation = st.one_of(
    st.tuples(st.just("pick_up"), pick, pick),
    st.tuples(st.just("release"), pick, pick),
    st.tuples(st.just("approve"), pick),
    st.tuples(st.just("decline"), pick),
    st.tuples(st.just("cancel_booking"), pick),
    st.tuples(st.just("cancel_shift"), pick),
    st.tuples(st.just("offer"), pick),
    st.tuples(st.just("assign"), pick, pick),
)
property_settings = settings(max_examples=25, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                    HealthCheck.too_slow])


def build(make):
    home = make.home()
    early = shift_type(home, "Early", time(7), time(15))
    late = shift_type(home, "Late", time(14), time(22))
    night = shift_type(home, "Night", time(21), time(8), "waking_night")
    shifts = [shift(home, t, days(n), offered=True, approval=n % 2 == 0)
              for n in (3, 4) for t in (early, late, night)]
    people = [staff(inducted=[home] if n else [], opted_out_48h=True) for n in range(3)]
    people.append(staff(home, contracted_hours=16))
    return [s.id for s in shifts], [p.id for p in people]


def run(op, shift_ids, people, now):
    kind, *args = op
    s = db.session.get(Shift, shift_ids[args[0] % len(shift_ids)])
    person = people[args[1] % len(people)] if len(args) > 1 else None
    common = dict(actor=None, now=now)
    try:
        if kind == "pick_up":
            relief.pick_up_shift(s.id, person, **common)
        elif kind == "release":
            relief.release_shift(s.id, person, **common)
        elif kind == "approve":
            relief.approve_claim(s, compensatory_rest="A later start next day",
                                 induction_accepted=True, **common)
        elif kind == "decline":
            relief.decline_claim(s, reason="Not this time", **common)
        elif kind == "cancel_booking":
            relief.cancel_booking(s, reason="Covered by our own staff", **common)
        elif kind == "cancel_shift":
            rota.cancel_shift(s, reason="Not needed", **common)
        elif kind == "offer":
            relief.offer_shift(s, home_first=False, approval_required=False, **common)
        elif kind == "assign":
            rota.assign_shift(s, staff_id=person, cover="contracted",
                              compensatory_rest="A later start", **common)
        db.session.commit()
    except DomainError:
        db.session.rollback()


def check_invariants(shift_ids):
    db.session.expire_all()
    shifts = db.session.scalars(select(Shift).where(Shift.id.in_(shift_ids))).all()
    live = db.session.scalars(select(ShiftAssignment).where(
        ShiftAssignment.status != "ended")).all()
    by_shift: dict[int, list[int]] = {}
    for booking in live:
        by_shift.setdefault(booking.shift_id, []).append(booking.staff_id)
    for s in shifts:
        assert len(by_shift.get(s.id, [])) <= 1, s.id
        expected = [s.assignee_id] if s.assignee_id and s.status == "active" else []
        assert by_shift.get(s.id, []) == expected, (s.id, s.assignee_id, by_shift.get(s.id))
        assert not s.claim_pending or s.assignee_id is not None
    active = sorted((s for s in shifts if s.status == "active" and s.assignee_id),
                    key=lambda s: (s.assignee_id, s.starts_at))
    for a, b in zip(active, active[1:], strict=False):
        if a.assignee_id == b.assignee_id:
            assert a.ends_at <= b.starts_at, (a.id, b.id)


@property_settings
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_no_sequence_double_books_a_shift_or_a_person(make, ops):
    db.session.rollback()
    shift_ids, people = build(make)
    now = NOW
    for op in ops:
        run(op, shift_ids, people, now)
        check_invariants(shift_ids)
        now += timedelta(minutes=7)
    db.session.execute(ShiftAssignment.__table__.delete())
    db.session.execute(Shift.__table__.delete())
    db.session.commit()
    assert isinstance(clock.utcnow(), datetime)
