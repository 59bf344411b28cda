"""The relief pick-up race's data and its count (bench/gunicorn.py): one home, relief workers
who each have an account, and open shifts one race each; afterwards, the shifts that more than
one person holds.

The served app reads the real clock (the bench's frozen one is in this process only), so the
shifts lie ahead of the real today: one 3-hour shift every other day from the day after
tomorrow, within the open-shifts page's eight weeks, with rest enough between any two that
one person may win every race and still be allowed the next."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, insert, select, update

from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.extensions import db
from homes_app.staffing.people.models import StaffMember
from homes_app.staffing.rota.models import Shift, ShiftAssignment

from .staffing import _home, _shift_row, _staff, _type

PASSWORD = "bench relief password"  # noqa: S105  (a throwaway bench database)


def email(n: int) -> str:
    return f"relief{n:02d}@bench.example"


def set_up(app, people: int, races: int) -> list[int]:
    """`people` vetted relief workers with accounts, inducted at the home, and `races` open
    shifts offered to the pool now; returns the shifts' ids, soonest first."""
    now = datetime.now(UTC)
    with app.app_context(), db.engine.begin() as conn:
        home = _home(conn, "Race House")
        staff = _staff(conn, None, people, inducted=home)
        password = hasher.hash(PASSWORD)  # once: the same password for everyone
        for n, staff_id in enumerate(staff):
            user = conn.execute(insert(User).values(
                email=email(n), display_name=f"Relief {n:02d}", role="relief_staff",
                password_hash=password, active=True, failed_logins=0,
                created_at=now).returning(User.id)).scalar_one()
            conn.execute(update(StaffMember).where(StaffMember.id == staff_id)
                         .values(user_id=user))
        kind = _type(conn, home, "Afternoon", time(14), time(17))
        first = now.date() + timedelta(days=2)
        conn.execute(insert(Shift), [
            _shift_row(home, kind, first + timedelta(days=2 * i), time(14), time(17), now,
                       offered_at=now - timedelta(minutes=1), pool_from=now - timedelta(minutes=1))
            for i in range(races)])
        return list(conn.execute(select(Shift.id).order_by(Shift.starts_at)).scalars())


def held_twice(app, shifts: list[int]) -> set[int]:
    """The shifts with more than one live booking, or a live booking not the shift's own
    assignee's (a second person recorded on it)."""
    with app.app_context():
        doubled = select(ShiftAssignment.shift_id).where(
            ShiftAssignment.status != "ended", ShiftAssignment.shift_id.in_(shifts)).group_by(
            ShiftAssignment.shift_id).having(func.count() > 1)
        mismatched = select(ShiftAssignment.shift_id).join(
            Shift, Shift.id == ShiftAssignment.shift_id).where(
            ShiftAssignment.status != "ended", ShiftAssignment.shift_id.in_(shifts),
            Shift.assignee_id.is_(None) | (Shift.assignee_id != ShiftAssignment.staff_id))
        found = set(db.session.scalars(doubled)) | set(db.session.scalars(mismatched))
        db.session.remove()
    return found


def unclaimed(app, shifts: list[int]) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count(Shift.id)).where(
            Shift.id.in_(shifts), Shift.assignee_id.is_(None)))
        db.session.remove()
    return n
