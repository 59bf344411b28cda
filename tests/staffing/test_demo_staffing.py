"""The demo data includes a staffed rota: shift types, a published week with a change since,
open shifts the demo relief worker may pick up, and sickness that left shifts uncovered."""
from __future__ import annotations

from sqlalchemy import func, select

from homes_app import clock
from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.staffing import settings as council
from homes_app.staffing.people.models import StaffMember
from homes_app.staffing.people.queries import staff_for
from homes_app.staffing.relief.queries import open_shifts
from homes_app.staffing.rota.models import RotaPublication, Shift, ShiftAssignment


def test_demo_data_has_a_rota_and_open_shifts_for_the_relief_worker(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--seed", "1"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count(StaffMember.id))) >= 30
    assert db.session.scalar(select(func.count(RotaPublication.id))) == 10
    relief = staff_for(db.session.scalar(select(User.id).where(
        User.email == "relief@northmoor.example")))
    assert relief is not None and relief.home_id is None
    offered = open_shifts(relief, clock.utcnow(), council.load())
    assert len(offered) >= 5
    assert any(o.verdict.induction for o in offered)  # some homes she has not worked at yet
    assert db.session.scalar(select(func.count(ShiftAssignment.id)).where(
        ShiftAssignment.end_reason == "absence")) >= 1
    covered = db.session.scalar(select(func.count(Shift.id)).where(Shift.cover.is_not(None)))
    assert covered > db.session.scalar(select(func.count(Shift.id))) // 2
