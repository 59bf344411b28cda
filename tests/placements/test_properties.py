"""Property-based: random sequences of moves never break the rules, and SQL occupancy equals a
night-by-night count."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.homes.models import BedOutOfUse
from homes_app.placements import services as moves
from homes_app.placements.models import Placement
from homes_app.placements.queries import occupancy_by_home

START = date(2026, 1, 1)
TODAY = date(2026, 3, 1)  # every move is recorded on this day, about the 59 days before it
DAYS = (TODAY - START).days

day = st.integers(0, DAYS).map(lambda n: START + timedelta(days=n))
pick = st.integers(0, 99)
operation = st.one_of(
    st.tuples(st.just("admit"), pick, pick, pick, day, st.booleans()),
    st.tuples(st.just("plan"), pick, pick, pick, st.integers(0, 20)),
    st.tuples(st.just("confirm"), pick),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("discharge"), pick, day),
    st.tuples(st.just("transfer"), pick, pick, pick, day),
    st.tuples(st.just("correct"), pick, st.integers(-5, 5), st.integers(-5, 5)),
)
world_settings = settings(max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])


def build_world(make):
    homes = [make.home(beds=3, max_children=2, registered_on=date(2025, 1, 1)),
             make.home(beds=1, max_children=1, registered_on=date(2025, 1, 1))]
    db.session.add(BedOutOfUse(bed_id=homes[0].beds[2].id, reason="repairs",
                               starts_on=date(2026, 2, 1), ends_on=date(2026, 2, 10)))
    db.session.commit()
    children = [make.child() for _ in range(5)]
    return homes, children


def run(op, homes, children):
    """Apply one move; a refusal is rolled back, as the pages do."""
    stays = db.session.scalars(select(Placement).where(
        Placement.home_id.in_([h.id for h in homes])).order_by(Placement.id)).all()
    planned = [p for p in stays if p.status == "planned"]
    current = [p for p in stays if p.status == "confirmed" and p.ends_on is None]
    confirmed = [p for p in stays if p.status == "confirmed"]
    kind, *args = op
    common = dict(actor=None, today=TODAY)
    try:
        if kind == "admit":
            c, h, b, on, emergency = args
            home = homes[h % 2]
            moves.admit_child(home.id, home.beds[b % len(home.beds)].id,
                              children[c % len(children)], on, emergency=emergency, **common)
        elif kind == "plan":
            c, h, b, ahead = args
            home = homes[h % 2]
            moves.plan_admission(home.id, home.beds[b % len(home.beds)].id,
                                 children[c % len(children)], TODAY + timedelta(days=ahead),
                                 **common)
        elif kind == "confirm" and planned:
            moves.confirm_admission(planned[args[0] % len(planned)], TODAY, **common)
        elif kind == "cancel" and planned:
            moves.cancel_admission(planned[args[0] % len(planned)], **common)
        elif kind == "discharge" and current:
            moves.discharge_child(current[args[0] % len(current)], args[1],
                                  destination="family", planned=True, **common)
        elif kind == "transfer" and current:
            p, h, b, on = args
            home = homes[h % 2]
            moves.transfer_child(current[p % len(current)], home.id,
                                 home.beds[b % len(home.beds)].id, on, planned=True, **common)
        elif kind == "correct" and confirmed:
            p, ds, de = args
            stay = confirmed[p % len(confirmed)]
            end = stay.ends_on and stay.ends_on + timedelta(days=de)
            moves.correct_dates(stay, starts_on=stay.starts_on + timedelta(days=ds),
                                ends_on=end, reason="Recorded wrongly", **common)
        db.session.commit()
    except DomainError:
        db.session.rollback()


def nights(start: date, end: date | None, upto: date = date(2027, 12, 31)):
    end = end or upto
    return {start + timedelta(days=i) for i in range((end - start).days)}


def check_rules(homes):
    stays = db.session.scalars(select(Placement).where(
        Placement.home_id.in_([h.id for h in homes]), Placement.status != "cancelled")).all()
    by_bed, by_child, by_home = {}, {}, {}
    for p in stays:
        assert p.held_from <= p.starts_on
        if p.status == "confirmed" and p.ends_on:
            assert p.ends_on >= p.starts_on, "a discharge before the admission"
        for night in nights(p.held_from, p.ends_on):
            assert (p.bed_id, night) not in by_bed, f"bed {p.bed_id} double-booked on {night}"
            by_bed[(p.bed_id, night)] = p.id
        for night in nights(p.starts_on, p.ends_on):
            assert (p.child_id, night) not in by_child, f"child {p.child_id} twice on {night}"
            by_child[(p.child_id, night)] = p.id
            by_home[(p.home_id, night)] = by_home.get((p.home_id, night), 0) + 1
    limits = {h.id: h.max_children for h in homes}
    assert all(count <= limits[h] for (h, _), count in by_home.items()), "over the maximum"


def brute_force(homes, a: date, b: date) -> dict[int, tuple[int, int]]:
    """(occupied, held for a planned admission) nights per home, counted night by night."""
    stays = db.session.scalars(select(Placement).where(
        Placement.home_id.in_([h.id for h in homes]))).all()
    counts = {h.id: [0, 0] for h in homes}
    for p in stays:
        if p.status == "confirmed":
            counts[p.home_id][0] += sum(1 for n in nights(p.starts_on, p.ends_on) if a <= n < b)
        hold_end = {"confirmed": p.starts_on, "cancelled": p.ends_on}.get(p.status)
        if p.held_from < p.starts_on:
            counts[p.home_id][1] += sum(1 for n in nights(p.held_from, hold_end) if a <= n < b)
    return {h: tuple(c) for h, c in counts.items()}


@world_settings
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_no_sequence_of_moves_breaks_the_rules(make, ops):
    homes, children = build_world(make)
    for op in ops:
        run(op, homes, children)
        check_rules(homes)


@world_settings
@given(ops=st.lists(operation, min_size=1, max_size=20),
       period=st.tuples(st.integers(-10, DAYS + 40), st.integers(0, 90)))
def test_sql_occupancy_equals_a_night_by_night_count(make, ops, period):
    homes, children = build_world(make)
    for op in ops:
        run(op, homes, children)
    a = START + timedelta(days=period[0])
    b = a + timedelta(days=period[1])
    sql = occupancy_by_home(a, b, [h.id for h in homes])
    expected = brute_force(homes, a, b)
    assert {h: (sql[h].occupied, sql[h].held_planned) if h in sql else (0, 0)
            for h in expected} == expected
    # Beds in service count every night of the period (all beds predate it), minus repairs.
    repairs = len([n for n in nights(date(2026, 2, 1), date(2026, 2, 10)) if a <= n < b])
    assert sql[homes[0].id].in_service == 3 * (b - a).days
    assert sql[homes[0].id].out_of_use == repairs
    assert sql[homes[0].id].registered == 2 * (b - a).days
