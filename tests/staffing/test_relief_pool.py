"""The relief pool through the pages: open shifts, one-tap pick-up, My shifts, release with
notice, the manager's approval and cancellation, and who sees an offer when."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape

from sqlalchemy import select

from homes_app import clock
from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota import services as rota
from homes_app.staffing.rota.models import Shift, ShiftAssignment
from tests.helpers import hidden_fields, submit

from .support import NOW, audit_count, days, shift, shift_type, staff, state


def as_relief(client, login, staffed):
    return login(db.session.get(User, staffed.relief.user_id))


def tap(client, page: str, action: str):
    """Press a one-tap button on `page` as a person would: its form's own hidden fields."""
    html = client.get(page).get_data(as_text=True)
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no button for {action} on {page}"
    return client.post(action, data=hidden_fields(form.group(0)))


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ",
                                                 response.get_data(as_text=True))))


def test_a_relief_worker_picks_up_an_open_shift_in_one_tap(client, login, staffed):
    as_relief(client, login, staffed)
    page = text(client.get("/open-shifts"))
    assert "Wed 25 Nov: Waking night" in page and "Ash House" in page
    assert "22:00 to 08:00 next day (10 hours)" in page
    response = tap(client, "/open-shifts", f"/open-shifts/{staffed.open_shift.id}/pick-up")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my-shifts")
    mine = text(client.get("/my-shifts"))
    assert "The Waking night at Ash House on Wednesday 25 November is yours" in mine
    assert "Confirmed" in mine
    db.session.expire_all()
    s = db.session.get(Shift, staffed.open_shift.id)
    assert (s.assignee_id, s.cover, s.claim_pending) == (staffed.relief.id, "relief", False)
    assert audit_count("shift.pick_up") == 1
    assert "no open shifts" in text(client.get("/open-shifts"))


def test_a_shift_cancelled_a_moment_ago_is_refused_clearly(client, login, staffed):
    as_relief(client, login, staffed)
    action = f"/open-shifts/{staffed.open_shift.id}/pick-up"
    html = client.get("/open-shifts").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="{action}".*?</form>', html, re.S).group(0)
    rota.cancel_shift(staffed.open_shift, reason="Not needed", actor=None, now=NOW)
    db.session.commit()
    before = state()
    response = client.post(action, data=hidden_fields(form))
    assert response.status_code == 200
    assert relief.CANCELLED in text(response)
    assert state() == before


def test_a_shift_someone_else_took_is_refused_clearly(client, login, staffed):
    other = staff(inducted=[staffed.home])
    as_relief(client, login, staffed)
    html = client.get("/open-shifts").get_data(as_text=True)
    action = f"/open-shifts/{staffed.open_shift.id}/pick-up"
    form = re.search(rf'<form method="post" action="{action}".*?</form>', html, re.S).group(0)
    relief.pick_up_shift(staffed.open_shift.id, other.id, actor=None, now=NOW)
    db.session.commit()
    before = state()
    response = client.post(action, data=hidden_fields(form))
    assert relief.GONE in text(response)
    assert state() == before


def test_a_refused_pick_up_lists_each_rule_and_why(client, login, staffed):
    s = shift(staffed.home, staffed.day, days(3), offered=True)
    staffed.relief.dbs_barred_list = False
    db.session.commit()
    as_relief(client, login, staffed)
    assert f"/open-shifts/{s.id}/pick-up" not in client.get("/open-shifts").get_data(
        as_text=True)  # only shifts they may pick up are listed
    before = state()
    page = client.get("/my-shifts").get_data(as_text=True)
    response = client.post(f"/open-shifts/{s.id}/pick-up", data=hidden_fields(page))
    assert "You cannot pick up this shift" in text(response)
    assert "DBS check: no enhanced DBS check with the children's barred list" in text(response)
    assert state() == before


def test_release_with_notice_reopens_the_shift(client, login, staffed, frozen_clock):
    relief.pick_up_shift(staffed.open_shift.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    as_relief(client, login, staffed)
    response = tap(client, "/my-shifts", f"/my-shifts/{staffed.open_shift.id}/release")
    assert response.status_code == 302
    db.session.expire_all()
    s = db.session.get(Shift, staffed.open_shift.id)
    assert s.assignee_id is None and s.offered_at is not None
    booking = db.session.scalar(select(ShiftAssignment).where(ShiftAssignment.shift_id == s.id))
    assert (booking.status, booking.end_reason) == ("ended", "released")


def test_release_within_the_notice_needs_the_manager(client, login, staffed, frozen_clock):
    relief.pick_up_shift(staffed.open_shift.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    as_relief(client, login, staffed)
    page = client.get("/my-shifts").get_data(as_text=True)
    frozen_clock.freeze(datetime(2026, 11, 25, 8, 0))  # 14 hours before it starts
    as_relief(client, login, staffed)  # days later: sessions last 12 hours, so a new sign-in
    token = hidden_fields(client.get("/my-shifts").get_data(as_text=True))["csrf_token"]
    before = state()
    response = client.post(f"/my-shifts/{staffed.open_shift.id}/release",
                           data={**hidden_fields(page), "csrf_token": token})
    assert ("Release: this shift starts at 25 November 2026 22:00, within 48 hours. Only the "
            "home's manager can release it now: contact Ash House.") in text(response)
    assert state() == before
    assert "Starts within 48 hours: to give it up, contact Ash House." in text(
        client.get("/my-shifts"))


def test_approval_required_holds_the_pick_up_until_the_manager_confirms(client, login, staffed):
    s = shift(staffed.home, staffed.day, days(5), offered=True, approval=True)
    result = relief.pick_up_shift(s.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    assert result.pending
    login(staffed.manager)
    assert "Rae Relief" in text(client.get(f"/homes/{staffed.home.id}/rota?week=2026-11-23"))
    response = submit(client, f"/shifts/{s.id}/approve", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Shift, s.id).claim_pending is False
    assert db.session.scalar(select(ShiftAssignment.status).where(
        ShiftAssignment.shift_id == s.id)) == "confirmed"


def test_short_rest_needs_compensatory_rest_recorded_to_approve(client, login, staffed):
    late = shift_type(staffed.home, "Late", time(14), time(22))
    early = shift_type(staffed.home, "Early", time(7), time(15))
    shift(staffed.home, late, days(6), assignee=staffed.relief)
    s = shift(staffed.home, early, days(7), offered=True)
    assert relief.pick_up_shift(s.id, staffed.relief.id, actor=None, now=NOW).pending
    db.session.commit()
    login(staffed.manager)
    before = state()
    response = submit(client, f"/shifts/{s.id}/approve", {})
    assert "Record the compensatory rest agreed for the short rest" in text(response)
    assert state() == before
    response = submit(client, f"/shifts/{s.id}/approve", {
        "compensatory_rest": "Starts at 09:00 on 30 November instead"})
    assert response.status_code == 302
    assert db.session.scalar(select(ShiftAssignment.compensatory_rest).where(
        ShiftAssignment.shift_id == s.id)) == "Starts at 09:00 on 30 November instead"


def test_declining_tells_the_person_why_and_reopens_the_offer(client, login, staffed):
    s = shift(staffed.home, staffed.day, days(5), offered=True, approval=True)
    relief.pick_up_shift(s.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    login(staffed.manager)
    assert "Give the reason" in text(submit(client, f"/shifts/{s.id}/decline", {"reason": ""}))
    assert submit(client, f"/shifts/{s.id}/decline", {
        "reason": "A familiar face is needed that day"}).status_code == 302
    as_relief(client, login, staffed)
    mine = text(client.get("/my-shifts"))
    assert "Not approved by the home: A familiar face is needed that day" in mine
    assert f"/open-shifts/{s.id}/pick-up" in client.get("/open-shifts").get_data(as_text=True)


def test_a_manager_cancels_a_booking_with_a_reason(client, login, staffed):
    relief.pick_up_shift(staffed.open_shift.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    login(staffed.manager)
    response = submit(client, f"/shifts/{staffed.open_shift.id}/cancel-booking",
                      {"reason": "Our own night worker is back"})
    assert response.status_code == 302
    as_relief(client, login, staffed)
    assert "Cancelled by the home: Our own night worker is back" in text(client.get("/my-shifts"))


def test_home_first_offers_reach_part_time_staff_before_the_pool(client, login, make,
                                                                 staffed, frozen_clock):
    s = shift(staffed.home, staffed.day, days(5), offered=True, home_first=True)
    as_relief(client, login, staffed)
    assert f"/open-shifts/{s.id}/pick-up" not in client.get("/open-shifts").get_data(
        as_text=True)
    login(db.session.get(User, staffed.worker.user_id))  # Hal works 20 hours a week here
    assert f"/open-shifts/{s.id}/pick-up" in client.get("/open-shifts").get_data(as_text=True)
    frozen_clock.freeze(datetime(2026, 11, 23, 10, 1))  # a day on
    as_relief(client, login, staffed)
    assert f"/open-shifts/{s.id}/pick-up" in client.get("/open-shifts").get_data(as_text=True)


def test_a_part_time_worker_picking_up_is_overtime(staffed):
    s = shift(staffed.home, staffed.day, days(5), offered=True)
    result = relief.pick_up_shift(s.id, staffed.worker.id, actor=None, now=NOW)
    assert result.shift.cover == "overtime" and not result.pending


def test_home_staff_cannot_pick_up_another_homes_shift(client, login, make, staffed):
    other = make.home(name="Elm House")
    s = shift(other, shift_type(other), days(4), offered=True)
    login(db.session.get(User, staffed.worker.user_id))
    page = client.get("/my-shifts").get_data(as_text=True)
    before = state()
    assert client.post(f"/open-shifts/{s.id}/pick-up",
                       data=hidden_fields(page)).status_code == 404
    assert state() == before
    assert timedelta(0) == timedelta(0) and clock.today()
