"""Issue 5's figures: every alert job once over the 100-home, 10-year data set
(`alert_sweep_ms`: the sweep raising every alert from none, the urgent emails and the digests
queued), and the statements a sweep costs with 1 home and with 100 (equal: not growing with
the number of homes).

Compliance calendars and Reg 40 events are made as issue 4's figures make them. Staff (with
training, some of it expiring), shift types with minimum staffing and a fortnight
of shifts (some uncovered) are added to the data set inside a transaction that is rolled back,
so the cached data sets are left as they are; each timed run is rolled back to a savepoint.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from homes_app import clock
from homes_app.alerts import email, notify
from homes_app.alerts.models import NotificationPreference
from homes_app.alerts.sweep import sweep
from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.staffing.people.models import StaffMember, TrainingRecord
from homes_app.staffing.rota.models import Shift, ShiftType, StaffingRule
from homes_app.staffing.settings import DEFAULT_TRAINING
from homes_app.staffing.times import span

from .dataset import TODAY
from .registration import _prepare as compliance_calendars
from .registry import STANDARD, Bench, figure, median_ms, statements
from .registry import homes as homes_name

STAFF_PER_HOME = 8
DAYS = 14


def _staffing(home_ids: list[int]) -> None:
    """Staff, training, two shift types with a minimum of 2, and a fortnight of shifts in
    which every fifth is left uncovered. Bulk inserts; flushed, never committed."""
    now = clock.utcnow()
    for home_id in home_ids:
        staff = [db.session.scalar(insert(StaffMember).values(
            name=f"Bench worker {home_id}-{n}", role="rsw", home_id=home_id,
            contracted_minutes=2250, started_on=date(2023, 1, 9), active=True,
            dbs_issued_on=date(2024, 1, 1) + timedelta(days=40 * n), dbs_barred_list=True,
            dbs_update_service=False, level3_achieved_on=date(2024, 6, 1),
            last_appraisal_on=date(2026, 1, 15), opted_out_48h=False, calendar_version=1,
            version=1).returning(StaffMember.id)) for n in range(STAFF_PER_HOME)]
        db.session.execute(insert(TrainingRecord), [
            dict(staff_id=s, course=c, completed_on=date(2024, 1, 1),
                 valid_until=TODAY + timedelta(days=10 * i + 7 * j))
            for i, s in enumerate(staff) for j, c in enumerate(DEFAULT_TRAINING)])
        db.session.execute(insert(Shift), _fortnight(home_id, staff, now))
    director = db.session.scalar(select(User.id).order_by(User.id))
    db.session.add(NotificationPreference(user_id=director, digest_enabled=True,
                                          digest_at=time(7, 30), digest_days=127,
                                          immediate_high=True))
    db.session.flush()


def _fortnight(home_id: int, staff: list[int], now: datetime) -> list[dict]:
    """The home's two shift types (each needing 2) and their shift rows for DAYS days."""
    shifts = []
    for t, (name, starts, ends) in enumerate((("Early", time(7), time(15)),
                                              ("Sleep-in", time(22), time(8)))):
        type_id = db.session.scalar(insert(ShiftType).values(
            home_id=home_id, name=name, starts_at=starts, ends_at=ends, kind="day",
            counts_as_work=True, active=True).returning(ShiftType.id))
        db.session.execute(insert(StaffingRule).values(shift_type_id=type_id,
                                                       min_children=0, minimum=2))
        for d in range(DAYS):
            day = TODAY + timedelta(days=d)
            start, end, minutes = span(day, starts, ends)
            for k in range(2):
                # Half the staff on each type, so that nobody's shifts overlap.
                who = None if (d + k) % 5 == 0 else staff[4 * t + (d + k) % 4]
                shifts.append(dict(
                    home_id=home_id, shift_type_id=type_id, on_date=day, starts_at=start,
                    ends_at=end, minutes=minutes, kind="day", counts_as_work=True,
                    status="active", assignee_id=who, cover="contracted" if who else None,
                    claim_pending=False, approval_required=False, version=1,
                    created_at=now))
    return shifts


def _all_jobs(now: datetime) -> None:
    result = sweep(now)
    notify.queue_immediate(result.raised + result.escalated, now)
    notify.queue_digests(now)


@figure
def alert_sweep(bench: Bench):
    counts = {}
    for homes in sorted(bench.data):
        app = bench.data[homes].app
        compliance_calendars(app)  # as issue 4's figures leave it: calendars and Reg 40 events
        with app.app_context():
            app.extensions["smtp"] = email.SmtpSettings("localhost", 25, "none",
                                                        "alerts@bench.example")
            _staffing(db.session.scalars(select(Home.id).order_by(Home.id)).all())
            now = clock.now()

            def once(now=now) -> None:
                savepoint = db.session.begin_nested()
                _all_jobs(now)
                savepoint.rollback()

            if homes == STANDARD:
                yield "alert_sweep_ms", median_ms(once, bench.runs), "ms"
            # The statements of a sweep every 15 minutes: after the first has raised them.
            savepoint = db.session.begin_nested()
            first = sweep(now)
            with statements(db.engine) as n:
                sweep(now)
            savepoint.rollback()
            counts[homes] = n[0]
            if homes == STANDARD:
                yield "alert_sweep_alerts_100_homes", len(first.raised), "alerts"
            db.session.rollback()
            db.session.remove()
    for homes in bench.scaled:
        yield f"alert_sweep_queries_{homes_name(homes)}", counts[homes], "statements"
