"""The rota: shift types, single shifts, patterns that fill it, publication with versions,
the rota worked and absence; bad input gets a clear message and writes nothing."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from homes_app import clock
from homes_app.extensions import db
from homes_app.staffing.rota import patterns
from homes_app.staffing.rota import services as rota
from homes_app.staffing.rota.models import RotaPublication, Shift, ShiftAssignment, ShiftType
from tests.helpers import submit
from tests.placements.test_views_bad_input import field_error

from .support import NOW, audit_count, days, shift, shift_type, staff, state
from .test_staff_records import day


def test_a_shift_type_is_added_through_the_form(client, login, staffed):
    login(staffed.manager)
    response = submit(client, f"/homes/{staffed.home.id}/shift-types/new", {
        "name": "Sleep-in", "starts_at": "2200", "ends_at": "7:00", "kind": "sleep_in",
        "counts_as_work": "y"})
    assert response.status_code == 302
    st = db.session.scalar(select(ShiftType).where(ShiftType.name == "Sleep-in"))
    assert (st.starts_at, st.ends_at, st.kind, st.crosses_midnight) == (
        time(22), time(7), "sleep_in", True)
    assert audit_count("shift_type.create") == 1


BAD_TYPES = {
    "same start and end": ({"starts_at": "08:00", "ends_at": "08:00"}, "ends_at",
                           "The shift must end at a different time from its start (a shift "
                           "cannot last 0 or 24 hours)"),
    "not a time": ({"starts_at": "25:00"}, "starts_at",
                   "Start time must be a time like 07:30 (00:00 to 23:59)"),
    "no end": ({"ends_at": ""}, "ends_at", "Enter the end time"),
    "name taken": ({"name": "long DAY"}, "name", "This home already has a shift called long DAY"),
}


@pytest.mark.parametrize("case", BAD_TYPES, ids=list(BAD_TYPES))
def test_bad_shift_types_are_refused(client, login, staffed, case):
    change, field, message = BAD_TYPES[case]
    login(staffed.manager)
    before = state()
    response = submit(client, f"/homes/{staffed.home.id}/shift-types/new", {
        "name": "Early", "starts_at": "07:00", "ends_at": "15:00", "kind": "day", **change})
    assert field_error(response, field) == f"Error: {message}"
    assert state() == before


def test_a_shift_ending_before_it_starts_is_refused(client, login, staffed):
    login(staffed.manager)
    before = state()
    response = submit(client, f"/homes/{staffed.home.id}/shifts/new", {
        "shift_type_id": str(staffed.night.id), "on_date": day(days(5)), "starts": "22:00",
        "ends": "08:00", "ends_on": day(days(5))})
    assert response.status_code == 200
    assert field_error(response, "ends") == (
        "Error: The shift must end after it starts: it would end at 27 November 2026 08:00, "
        "before it starts at 27 November 2026 22:00. For a night shift, make the end date the "
        "next day.")
    assert state() == before
    response = submit(client, f"/homes/{staffed.home.id}/shifts/new", {
        "shift_type_id": str(staffed.night.id), "on_date": day(days(5)), "starts": "21:00",
        "ends": "08:00", "ends_on": day(days(6))})
    assert response.status_code == 302
    assert db.session.scalar(select(Shift).order_by(Shift.id.desc()).limit(1)).minutes == 660


def test_an_added_shift_is_uncovered_and_appears_on_the_rota(client, login, staffed):
    login(staffed.manager)
    submit(client, f"/homes/{staffed.home.id}/shifts/new", {
        "shift_type_id": str(staffed.day.id), "on_date": day(days(4))})
    html = client.get(f"/homes/{staffed.home.id}/rota?week=2026-11-23").get_data(as_text=True)
    uncovered = html[html.index('data-test="uncovered"'):]
    assert uncovered[:uncovered.index("</tr>")].count("Long day") == 1


def four_week_pattern(staffed, gap: bool = False):
    p = patterns.create_pattern(staffed.home.id, name="Four weeks", weeks=4,
                                starts_on=date(2026, 11, 23), actor=None)
    for week in range(1, 5):
        week_days = list(range(6)) if gap and week == 3 else list(range(7))
        patterns.add_slot(p, week=week, weekdays=week_days, shift_type_id=staffed.day.id,
                          staff_id=staffed.worker.id if week % 2 else None, actor=None)
        patterns.add_slot(p, week=week, weekdays=week_days, shift_type_id=staffed.night.id,
                          staff_id=None, actor=None)
    db.session.commit()
    return p


def test_a_pattern_with_a_gap_fills_nothing(client, login, staffed):
    p = four_week_pattern(staffed, gap=True)
    login(staffed.manager)
    html = client.get(f"/homes/{staffed.home.id}/patterns/{p.id}").get_data(as_text=True)
    assert "Days with no shifts yet: Sunday of week 3" in html
    before = state()
    response = submit(client, f"/homes/{staffed.home.id}/patterns/{p.id}/generate", {
        "first": day(date(2026, 11, 30)), "last": day(date(2026, 12, 27))},
        form_url=f"/homes/{staffed.home.id}/patterns/{p.id}")
    assert response.status_code == 200
    assert "The pattern has days with no shifts: Sunday of week 3. A home is staffed every " \
        "day: add shifts for those days first." in response.get_data(as_text=True)
    assert state() == before


def test_a_pattern_fills_the_rota_leaving_days_already_planned(client, login, staffed):
    p = four_week_pattern(staffed)
    login(staffed.manager)
    response = submit(client, f"/homes/{staffed.home.id}/patterns/{p.id}/generate", {
        "first": day(date(2026, 11, 23)), "last": day(date(2026, 12, 20))},
        form_url=f"/homes/{staffed.home.id}/patterns/{p.id}")
    assert response.status_code == 302
    # 28 days, two shifts a day; 24 and 25 November already have shifts.
    assert db.session.scalar(select(func.count(Shift.id))) == 2 + 26 * 2
    worker = db.session.scalars(select(Shift).where(
        Shift.assignee_id == staffed.worker.id, Shift.on_date >= date(2026, 11, 30))
        .order_by(Shift.on_date)).all()
    # Weeks 1 and 3 of the pattern are Hal's long days: from 30 Nov, only 7-13 Dec.
    assert [s.on_date for s in worker][:1] == [date(2026, 12, 7)] and len(worker) == 7
    assert all(s.cover == "contracted" for s in worker)
    assert db.session.scalar(select(func.count(ShiftAssignment.id))) == 1 + 5 + 7
    assert audit_count("pattern.generate") == 1


def test_generating_a_person_onto_two_shifts_at_once_is_refused(make, staffed):
    p = patterns.create_pattern(staffed.home.id, name="One week", weeks=1,
                                starts_on=date(2026, 11, 23), actor=None)
    patterns.add_slot(p, week=1, weekdays=list(range(7)), shift_type_id=staffed.day.id,
                      staff_id=None, actor=None)
    late = rota.save_shift_type(staffed.home.id, name="Late", starts_at=time(14),
                                ends_at=time(23), kind="day", counts_as_work=True, actor=None)
    patterns.add_slot(p, week=1, weekdays=[2], shift_type_id=late.id,
                      staff_id=staffed.worker.id, actor=None)
    db.session.commit()
    other = make.home(name="Elm House")  # Hal covers a long day there on Wednesday 2 December
    shift(other, shift_type(other), date(2026, 12, 2), assignee=staffed.worker)
    before = state()
    with pytest.raises(rota.DomainError, match="Hal Home would work two shifts at once on 2 "
                                               "December 2026 14:00"):
        patterns.generate(p, first=date(2026, 11, 30), last=date(2026, 12, 6), actor=None,
                          now=clock.utcnow())
    db.session.rollback()
    assert state() == before


def test_publishing_keeps_each_version_as_it_was(client, login, staffed):
    login(staffed.manager)
    week = f"/homes/{staffed.home.id}/rota?week=2026-11-23"
    publish = f"/homes/{staffed.home.id}/rota/publish?week=2026-11-23"
    assert submit(client, publish, {}, form_url=week).status_code == 302
    assert "Version 1</a> published" in client.get(week).get_data(as_text=True)
    # A change after publication: the open night is cancelled.
    rota.cancel_shift(staffed.open_shift, reason="Child away on respite", actor=staffed.manager,
                      now=clock.utcnow())
    db.session.commit()
    html = client.get(week).get_data(as_text=True)
    assert "1 change since" in html
    assert submit(client, publish, {}, form_url=week).status_code == 302
    v1, v2 = db.session.scalars(select(RotaPublication).order_by(RotaPublication.version))
    assert [r["status"] for r in v1.snapshot] == ["active", "active"]
    assert [r["status"] for r in v2.snapshot] == ["active", "cancelled"]
    page = client.get(f"/homes/{staffed.home.id}/rota/publications/{v1.id}")
    assert "version 1" in page.get_data(as_text=True)
    assert "no changes since" in client.get(week).get_data(as_text=True)


def test_the_rota_worked_is_recorded_after_the_shift_and_the_plan_kept(client, login, make,
                                                                      staffed, frozen_clock):
    other = staff(staffed.home, name="Sid Swap")
    s = staffed.rota_shift
    login(staffed.manager)
    response = submit(client, f"/shifts/{s.id}/worked", {"outcome": "swapped",
                                                         "worked_by_id": str(other.id)})
    assert "once the shift has ended (24 November 2026 22:00)" in \
        field_error(response, "outcome")
    frozen_clock.freeze(datetime(2026, 11, 25, 9, 0))
    login(staffed.manager)  # days later: sessions last 12 hours, so a new sign-in
    response = submit(client, f"/shifts/{s.id}/worked", {"outcome": "swapped",
                                                         "worked_by_id": str(other.id),
                                                         "note": "Swapped with Hal"})
    assert response.status_code == 302
    db.session.expire_all()
    s = db.session.get(Shift, s.id)
    assert (s.assignee_id, s.worked_by_id, s.worked_outcome) == (
        staffed.worker.id, other.id, "swapped")
    assert audit_count("shift.worked") == 1


def test_absence_turns_the_persons_shifts_into_uncovered_shifts(client, login, staffed):
    later = shift(staffed.home, staffed.day, days(10), assignee=staffed.worker)
    login(staffed.manager)
    response = submit(client, f"/staff/{staffed.worker.id}/absence", {
        "kind": "sick", "starts_on": day(days(1)), "ends_on": day(days(3))})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Shift, staffed.rota_shift.id).assignee_id is None
    assert db.session.get(Shift, later.id).assignee_id == staffed.worker.id
    booking = db.session.scalar(select(ShiftAssignment).where(
        ShiftAssignment.shift_id == staffed.rota_shift.id))
    assert (booking.status, booking.end_reason) == ("ended", "absence")
    assert "1 shift now uncovered" in client.get(f"/staff/{staffed.worker.id}").get_data(
        as_text=True)


def test_absence_ending_before_it_starts_is_refused(client, login, staffed):
    login(staffed.manager)
    before = state()
    response = submit(client, f"/staff/{staffed.worker.id}/absence", {
        "kind": "leave", "starts_on": day(days(3)), "ends_on": day(days(1))})
    assert field_error(response, "ends_on") == \
        "Error: The last day (23 November 2026) cannot be before the first (25 November 2026)"
    assert state() == before


def test_an_assignment_checks_the_person_like_a_pick_up(client, login, staffed):
    lapsed = staff(staffed.home, name="Lee Lapsed", vetted_until=days(1))
    login(staffed.manager)
    before = state()
    response = submit(client, f"/shifts/{staffed.open_shift.id}/assign", {
        "staff_id": str(lapsed.id), "cover": "contracted"})
    assert "Lee Lapsed cannot work this shift. Mandatory training: your Safeguarding " \
        "training counts until 23 November 2026" in field_error(response, "staff_id")
    assert state() == before


def test_a_refusal_does_not_tell_a_manager_about_another_homes_rota(client, login, make,
                                                                     staffed):
    """The relief worker is busy at another home: the manager learns that they are not free
    then, not where, nor that home's shift."""
    elm = make.home(name="Elm House")
    shift(elm, shift_type(elm, "Elm sleep-in", time(21), time(9), "sleep_in"), days(3),
          assignee=staffed.relief)
    login(staffed.manager)
    before = state()
    response = submit(client, f"/shifts/{staffed.open_shift.id}/assign", {
        "staff_id": str(staffed.relief.id), "cover": "contracted"})
    message = field_error(response, "staff_id")
    assert "Overlap: you already work a shift at another home from 25 November 2026 21:00" \
        in message
    assert "Elm" not in response.get_data(as_text=True)
    assert state() == before


def test_a_stale_shift_form_is_refused(client, login, staffed):
    login(staffed.manager)
    page = f"/shifts/{staffed.open_shift.id}/cancel"
    form = client.get(page).get_data(as_text=True)
    from tests.helpers import hidden_fields

    fields = hidden_fields(form)
    rota.assign_shift(staffed.open_shift, staff_id=None, cover="agency",
                      agency_name="Acme Care: J. Doe", actor=None, now=NOW)
    db.session.commit()
    before = state()
    response = client.post(page, data={**fields, "reason": "Not needed"})
    assert response.status_code == 409
    assert "Someone else changed this shift a moment ago" in response.get_data(as_text=True)
    assert state() == before
    assert timedelta(0) == timedelta(0)
