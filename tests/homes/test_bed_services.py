"""Rules for beds: adding, retiring, holds and out-of-use periods, at their boundaries."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app.errors import DomainError, NotAllowed, StaleForm
from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse, Home
from homes_app.placements import beds as services

from .support import TODAY, audit, count, stay

DEC_1, DEC_10, DEC_20 = date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 20)


@pytest.fixture
def home(make):
    return make.home(beds=2)


@pytest.fixture
def manager(make, home):
    return make.user("registered_manager", homes=[home])


@pytest.fixture
def bed(home):
    return home.beds[0]


def ok(fn, *args, **kw):
    result = fn(*args, today=TODAY, **kw)
    db.session.commit()
    return result


def refused(fn, *args, field: str | None = None, **kw) -> str:
    with pytest.raises(DomainError) as caught:
        fn(*args, today=TODAY, **kw)
    db.session.rollback()
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value.message


def version(home) -> int:
    return db.session.get(Home, home.id).version


# ---- adding and retiring beds --------------------------------------------------------------

def test_add_bed_bumps_the_version_and_audits(home, manager):
    bed = ok(services.add_bed, home.id, "  Blue room ", TODAY, actor=manager, seen_version=1)
    assert (bed.label, bed.in_service_from, version(home)) == ("Blue room", TODAY, 2)
    assert audit("bed.add")[0].after["label"] == "Blue room"


def test_bed_names_are_unique_in_a_home_whatever_the_case(home, manager, make):
    message = refused(services.add_bed, home.id, "bed 1", TODAY, actor=manager, field="label")
    assert "already has a bed called bed 1" in message
    other = make.home(beds=1)
    assert count(Bed, Bed.home_id == home.id) == 2
    # The same name in another home is fine.
    other_manager = make.user("registered_manager", homes=[other])
    ok(services.add_bed, other.id, "Bed 2", TODAY, actor=other_manager)


def test_a_blank_bed_name_is_refused(home, manager):
    refused(services.add_bed, home.id, "  ", TODAY, actor=manager, field="label")


def test_only_the_homes_registered_manager_manages_beds(home, make):
    for user in (make.user("administrator"), make.user("service_director"),
                 make.user("home_staff", homes=[home]),
                 make.user("registered_manager", homes=[make.home()])):
        with pytest.raises(NotAllowed):
            services.add_bed(home.id, "Bed 9", TODAY, actor=user, today=TODAY)
        db.session.rollback()
    assert count(Bed, Bed.home_id == home.id) == 2


def test_a_stale_version_changes_nothing(home, manager, bed):
    ok(services.add_bed, home.id, "Bed 3", TODAY, actor=manager, seen_version=1)
    with pytest.raises(StaleForm):
        services.hold_bed(home.id, bed.id, TODAY, None, actor=manager, today=TODAY,
                          seen_version=1)
    db.session.rollback()
    assert count(BedHold) == 0


def test_retire_refused_while_a_stay_runs_past_the_date(home, manager, bed, make):
    stay(bed, make.child(), date(2026, 1, 1), DEC_10)
    message = refused(services.retire_bed, home.id, bed.id, DEC_1, actor=manager,
                      field="in_service_until")
    assert message == "Bed 1 is occupied on the night of 1 December 2026; record the child's move first"
    # Leaving service the day the child leaves is fine: the last night was the night before.
    retired = ok(services.retire_bed, home.id, bed.id, DEC_10, actor=manager)
    assert retired.in_service_until == DEC_10
    assert audit("bed.retire")[0].after["in_service_until"] == "2026-12-10"


def test_retire_refused_for_a_planned_admission(home, manager, bed, make):
    stay(bed, make.child(), DEC_20, status="planned", held_from=DEC_10)
    message = refused(services.retire_bed, home.id, bed.id, DEC_1, actor=manager)
    assert "held for a planned admission on the night of 10 December 2026" in message


def test_retire_ignores_a_cancelled_admission(home, manager, bed, make):
    p = stay(bed, make.child(), DEC_20, status="planned", held_from=DEC_10)
    p.status, p.ends_on, p.end_reason = "cancelled", DEC_10, "cancelled"
    db.session.commit()
    ok(services.retire_bed, home.id, bed.id, DEC_1, actor=manager)


def test_retire_date_must_be_after_service_began(home, manager, bed):
    refused(services.retire_bed, home.id, bed.id, bed.in_service_from, actor=manager,
            field="in_service_until")


def test_retire_ends_an_open_hold_at_the_same_date(home, manager, bed):
    hold = ok(services.hold_bed, home.id, bed.id, TODAY, None, actor=manager)
    ok(services.retire_bed, home.id, bed.id, DEC_1, actor=manager)
    assert db.session.get(BedHold, hold.id).ends_on == DEC_1
    assert audit("bed_hold.end")[0].before["ends_on"] is None


# ---- holds ---------------------------------------------------------------------------------

def test_hold_a_bed(home, manager, bed):
    hold = ok(services.hold_bed, home.id, bed.id, TODAY, DEC_1, note=" solo ", actor=manager)
    assert (hold.reason, hold.note, hold.ends_on) == ("matching", "solo", DEC_1)
    assert version(home) == 2
    assert audit("bed_hold.start")[0].home_id == home.id


def test_overlapping_holds_are_refused(home, manager, bed):
    ok(services.hold_bed, home.id, bed.id, DEC_1, DEC_10, actor=manager)
    message = refused(services.hold_bed, home.id, bed.id, TODAY, date(2026, 12, 2),
                      actor=manager, field="starts_on")
    assert message == "Bed 1 is already held for matching from 1 December 2026 until 10 December 2026"
    refused(services.hold_bed, home.id, bed.id, date(2026, 12, 9), None, actor=manager)
    # Touching is not overlapping: nights are half-open.
    ok(services.hold_bed, home.id, bed.id, TODAY, DEC_1, actor=manager)
    ok(services.hold_bed, home.id, bed.id, DEC_10, None, actor=manager)
    assert count(BedHold) == 3


def test_a_hold_in_another_bed_does_not_clash(home, manager):
    ok(services.hold_bed, home.id, home.beds[0].id, TODAY, None, actor=manager)
    ok(services.hold_bed, home.id, home.beds[1].id, TODAY, None, actor=manager)


def test_hold_over_a_stay_is_refused(home, manager, bed, make):
    stay(bed, make.child(), date(2026, 1, 1), DEC_1)
    message = refused(services.hold_bed, home.id, bed.id, TODAY, None, actor=manager)
    assert message == "Bed 1 is occupied on the night of 22 November 2026"
    ok(services.hold_bed, home.id, bed.id, DEC_1, None, actor=manager)


def test_hold_dates_must_be_in_order(home, manager, bed):
    refused(services.hold_bed, home.id, bed.id, DEC_1, DEC_1, actor=manager, field="ends_on")
    refused(services.hold_bed, home.id, bed.id, DEC_10, DEC_1, actor=manager, field="ends_on")
    assert count(BedHold) == 0


def test_hold_before_the_bed_is_in_service_is_refused(home, manager, bed):
    refused(services.hold_bed, home.id, bed.id, date(2019, 12, 31), None, actor=manager,
            field="starts_on")


def test_end_hold_brings_the_end_forward_only(home, manager, bed):
    hold = ok(services.hold_bed, home.id, bed.id, TODAY, DEC_10, actor=manager)
    refused(services.end_hold, home.id, hold.id, DEC_20, actor=manager, field="ends_on")
    refused(services.end_hold, home.id, hold.id, TODAY, actor=manager, field="ends_on")
    ok(services.end_hold, home.id, hold.id, DEC_1, actor=manager)
    assert db.session.get(BedHold, hold.id).ends_on == DEC_1
    [event] = audit("bed_hold.end")
    assert (event.before["ends_on"], event.after["ends_on"]) == ("2026-12-10", "2026-12-01")


def test_end_hold_of_another_home_is_refused(home, manager, make):
    other = make.home(beds=1)
    other_manager = make.user("registered_manager", homes=[other])
    hold = ok(services.hold_bed, other.id, other.beds[0].id, TODAY, None, actor=other_manager)
    refused(services.end_hold, home.id, hold.id, DEC_1, actor=manager)
    assert db.session.get(BedHold, hold.id).ends_on is None


# ---- out of use ----------------------------------------------------------------------------

def test_mark_out_of_use(home, manager, bed):
    period = ok(services.mark_out_of_use, home.id, bed.id, "repairs", TODAY, None,
                note="Window", actor=manager)
    assert (period.reason, period.note, period.ends_on) == ("repairs", "Window", None)
    assert audit("bed_out_of_use.start")[0].after["reason"] == "repairs"


def test_out_of_use_overlapping_a_stay_is_refused(home, manager, bed, make):
    stay(bed, make.child(), DEC_1, DEC_20)
    message = refused(services.mark_out_of_use, home.id, bed.id, "damage", TODAY, DEC_10,
                      actor=manager, field="starts_on")
    assert message == "Bed 1 is occupied on the night of 1 December 2026"
    ok(services.mark_out_of_use, home.id, bed.id, "damage", TODAY, DEC_1, actor=manager)
    ok(services.mark_out_of_use, home.id, bed.id, "damage", DEC_20, None, actor=manager)


def test_out_of_use_overlapping_a_hold_is_refused(home, manager, bed):
    ok(services.hold_bed, home.id, bed.id, DEC_1, None, actor=manager)
    message = refused(services.mark_out_of_use, home.id, bed.id, "staffing", TODAY, None,
                      actor=manager)
    assert "already held for matching from 1 December 2026" in message
    ok(services.mark_out_of_use, home.id, bed.id, "staffing", TODAY, DEC_1, actor=manager)
    message = refused(services.hold_bed, home.id, bed.id, TODAY, DEC_1, actor=manager)
    assert "already out of use from 22 November 2026 until 1 December 2026" in message


def test_out_of_use_needs_a_known_reason_and_a_note_for_other(home, manager, bed):
    refused(services.mark_out_of_use, home.id, bed.id, "flood", TODAY, None, actor=manager,
            field="reason")
    refused(services.mark_out_of_use, home.id, bed.id, "other", TODAY, None, actor=manager,
            field="note")
    ok(services.mark_out_of_use, home.id, bed.id, "other", TODAY, None, note="Asbestos survey",
       actor=manager)


def test_out_of_use_must_end_by_the_date_the_bed_leaves_service(home, manager, bed):
    ok(services.retire_bed, home.id, bed.id, DEC_10, actor=manager)
    refused(services.mark_out_of_use, home.id, bed.id, "repairs", TODAY, None, actor=manager,
            field="ends_on")
    refused(services.mark_out_of_use, home.id, bed.id, "repairs", TODAY, DEC_20, actor=manager,
            field="ends_on")
    ok(services.mark_out_of_use, home.id, bed.id, "repairs", TODAY, DEC_10, actor=manager)


def test_end_out_of_use(home, manager, bed):
    period = ok(services.mark_out_of_use, home.id, bed.id, "repairs", TODAY, None,
                actor=manager)
    ok(services.end_out_of_use, home.id, period.id, DEC_1, actor=manager)
    assert db.session.get(BedOutOfUse, period.id).ends_on == DEC_1
    assert version(home) == 3


def test_a_closed_homes_beds_cannot_change(make):
    home = make.home(beds=1, status="closed", closed_on=date(2026, 1, 1))
    manager = make.user("registered_manager", homes=[home])
    message = refused(services.hold_bed, home.id, home.beds[0].id, TODAY, None, actor=manager)
    assert "has closed" in message
