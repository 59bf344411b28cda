"""Occupancy against hand-worked bed-night counts."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse
from homes_app.placements import services as moves
from homes_app.placements.queries import home_occupancy, occupancy_by_home, total

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def november(make):
    """Three beds in November 2026 (30 nights):
    bed 1: a child since 20 October, still here            -> 30 occupied
    bed 2: a child 10-20 November, then a planned admission
           for 5 December holding the bed from 21 November  -> 10 occupied, 10 held (planned)
    bed 3: held for matching 1-8 November, out of use from 25 November to 3 December
                                                            -> 7 held (matching), 6 out of use
    """
    home = make.home(beds=3, max_children=3)
    b1, b2, b3 = home.beds
    moves.admit_child(home.id, b1.id, make.child(), date(2026, 10, 20), emergency=False,
                      actor=None, today=date(2026, 10, 20))
    stay = moves.admit_child(home.id, b2.id, make.child(), date(2026, 11, 10), emergency=True,
                             actor=None, today=date(2026, 11, 10))
    moves.discharge_child(stay, date(2026, 11, 20), destination="foster_care", planned=False,
                          actor=None, today=date(2026, 11, 20))
    moves.plan_admission(home.id, b2.id, make.child(), date(2026, 12, 5), actor=None,
                         today=date(2026, 11, 21))
    db.session.add_all([
        BedHold(bed_id=b3.id, reason="matching", starts_on=NOV, ends_on=date(2026, 11, 8)),
        BedOutOfUse(bed_id=b3.id, reason="repairs", starts_on=date(2026, 11, 25),
                    ends_on=date(2026, 12, 3)),
    ])
    db.session.commit()
    return home


def test_a_month_of_bed_nights_by_reason(november):
    o = home_occupancy(november.id, NOV, DEC)
    assert (o.registered, o.in_service, o.out_of_use, o.in_use) == (90, 90, 6, 84)
    assert (o.occupied, o.held_matching, o.held_planned, o.vacant) == (40, 7, 10, 27)
    assert (o.pct_registered, o.pct_in_use) == (44.4, 47.6)


def test_a_stay_open_at_the_period_end_counts_up_to_the_end(november):
    o = home_occupancy(november.id, date(2026, 11, 15), date(2026, 11, 16))
    assert o.occupied == 2  # bed 1 and bed 2 on the night of 15 November


def test_the_discharge_night_is_not_occupied(november):
    assert home_occupancy(november.id, date(2026, 11, 20), date(2026, 11, 21)).occupied == 1


def test_a_bed_out_of_use_mid_month_leaves_beds_in_use(november):
    o = home_occupancy(november.id, date(2026, 11, 24), date(2026, 11, 27))
    assert (o.in_service, o.out_of_use, o.in_use) == (9, 2, 7)


def test_a_leap_day_is_a_night(make):
    home = make.home(beds=1, max_children=1)
    moves.admit_child(home.id, home.beds[0].id, make.child(), date(2028, 2, 1),
                      emergency=False, actor=None, today=date(2028, 3, 5))
    db.session.commit()
    o = home_occupancy(home.id, date(2028, 2, 1), date(2028, 3, 1))
    assert (o.occupied, o.registered, o.pct_registered) == (29, 29, 100.0)


def test_nothing_counts_before_registration_or_after_a_bed_leaves_service(make):
    home = make.home(beds=2, max_children=2, registered_on=date(2026, 11, 11))
    db.session.get(Bed, home.beds[1].id).in_service_until = date(2026, 11, 21)
    db.session.commit()
    o = home_occupancy(home.id, NOV, DEC)
    assert (o.registered, o.in_service) == (2 * 20, 20 + 10)


def test_an_empty_or_inverted_period_counts_nothing(november):
    assert home_occupancy(november.id, NOV, NOV).occupied == 0
    assert home_occupancy(november.id, DEC, NOV).registered == 0


def test_all_homes_add_up(november, make):
    other = make.home(beds=1, max_children=1)
    by_home = occupancy_by_home(NOV, DEC)
    assert set(by_home) == {november.id, other.id}
    assert total(by_home).registered == 90 + 30
