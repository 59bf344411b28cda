"""The overview's bed counts (plain rows, one statement) agree with the bed-by-bed states a
home's page shows, bed for bed, state for state."""
from __future__ import annotations

from datetime import date, timedelta

from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse
from homes_app.placements.tonight import beds_tonight, counts_tonight

from ..homes.support import TODAY, stay


def _counted(home_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {h: {} for h in home_ids}
    for home_id, beds in beds_tonight(home_ids, TODAY).items():
        for b in beds:
            counts[home_id][b.state] = counts[home_id].get(b.state, 0) + 1
    return counts


def test_each_state_is_counted_as_the_home_page_shows_it(make):
    home = make.home(beds=7)
    occupied, planned, held, out, out_and_stay, future, free = home.beds
    stay(occupied, make.child(), date(2026, 1, 1))
    stay(planned, make.child(), TODAY + timedelta(days=3), status="planned", held_from=TODAY)
    stay(out_and_stay, make.child(), date(2026, 2, 1))  # out of use beats the stay
    db.session.add_all([
        BedHold(bed_id=held.id, reason="matching", starts_on=TODAY, ends_on=None),
        BedOutOfUse(bed_id=out.id, reason="repairs", starts_on=TODAY - timedelta(days=1),
                    ends_on=TODAY + timedelta(days=1)),
        BedOutOfUse(bed_id=out_and_stay.id, reason="repairs", starts_on=TODAY, ends_on=None)])
    future.in_service_from = TODAY + timedelta(days=1)
    db.session.commit()
    expected = {"occupied": 1, "held": 2, "out_of_use": 2, "not_in_service": 1, "available": 1}
    assert counts_tonight([home.id], TODAY) == {home.id: expected}
    assert _counted([home.id]) == {home.id: expected}


def test_what_ended_before_tonight_or_starts_after_it_does_not_count(make):
    home, other = make.home(beds=2), make.home(beds=1)
    left, later = home.beds
    stay(left, make.child(), date(2026, 1, 1), TODAY)  # left this morning: free tonight
    db.session.add_all([
        BedHold(bed_id=later.id, reason="matching", starts_on=TODAY + timedelta(days=1),
                ends_on=None),
        BedOutOfUse(bed_id=other.beds[0].id, reason="repairs",
                    starts_on=TODAY - timedelta(days=9), ends_on=TODAY)])
    db.session.commit()
    ids = [home.id, other.id]
    assert counts_tonight(ids, TODAY) == {home.id: {"available": 2}, other.id: {"available": 1}}
    assert counts_tonight(ids, TODAY) == _counted(ids)
