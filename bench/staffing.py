"""Issue 3's figures: the pick-up race over 1,000 contested shifts (32 concurrent clients, two
on each shift at the same moment), double bookings, pick-up latency, and the rota week's query
count and time for a home with 5 or 50 staff.

Runs on its own fresh database (a temporary SQLite file, or a new database on the bench's
PostgreSQL server), so the cached data sets are left as they are.
"""
from __future__ import annotations

import statistics
import tempfile
import threading
import time as timer
from datetime import date, time, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, insert, select, text

from homes_app import clock
from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.staffing.people.models import Induction, StaffMember, TrainingRecord
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota.models import Shift, ShiftAssignment, ShiftType
from homes_app.staffing.settings import DEFAULT_TRAINING
from homes_app.staffing.times import span

from .dataset import TODAY, bench_app
from .registry import Bench, figure, median_ms, statements
from .signing_in import signed_in_client

CLIENTS = 32
CONTESTED = 1000
PER_SHIFT = 2  # clients pressing at the same moment on each shift
SOLO = 100  # shifts picked up one at a time afterwards, by one client alone: the floor
MANAGER, PASSWORD = "manager@bench.example", "bench manager password"  # noqa: S105
WEEK = date(2026, 11, 2)  # a Monday after the bench's frozen day


def _fresh_app(bench: Bench):
    """An app on a new, migrated, empty database of the bench's kind."""
    url = bench.data[min(bench.data)].url
    if url.startswith("sqlite"):
        path = Path(tempfile.mkdtemp(prefix="homes-bench-staffing-")) / "staffing.sqlite3"
        url = f"sqlite:///{path}"
    else:
        base = url.rsplit("/", 1)[0]
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS bench_staffing"))
            conn.execute(text("CREATE DATABASE bench_staffing"))
        admin.dispose()
        url = f"{base}/bench_staffing"
    app = bench_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CLIENTS + 8,
                                                    "max_overflow": 8, "pool_timeout": 60})
    with app.app_context():
        upgrade(revision="heads")
    return app


def _home(conn, name: str) -> int:
    return conn.execute(insert(Home).values(
        name=name, address="1 Bench Road", postcode="NM1 1AA", district="Bench",
        home_type="mainstream", status="registered", registered_on=date(2020, 1, 1),
        max_children=4, min_age=8, max_age=17, sex_admitted="any", categories_of_need="ebd",
        version=1).returning(Home.id)).scalar_one()


def _staff(conn, home_id: int | None, n: int, inducted: int | None = None) -> list[int]:
    ids = []
    for i in range(n):
        sid = conn.execute(insert(StaffMember).values(
            name=f"{'Relief' if home_id is None else 'Staff'} {i:02d}",
            role="relief" if home_id is None else "rsw", home_id=home_id,
            contracted_minutes=0 if home_id is None else 2250, started_on=date(2022, 1, 1),
            active=True, dbs_issued_on=date(2026, 1, 1), dbs_barred_list=True,
            dbs_update_service=False, opted_out_48h=True, calendar_version=1,
            version=1).returning(StaffMember.id)).scalar_one()
        conn.execute(insert(TrainingRecord), [dict(
            staff_id=sid, course=c, completed_on=date(2026, 1, 1),
            valid_until=date(2030, 1, 1)) for c in DEFAULT_TRAINING])
        if inducted:
            conn.execute(insert(Induction).values(staff_id=sid, home_id=inducted,
                                                  inducted_on=date(2026, 1, 2)))
        ids.append(sid)
    return ids


def _type(conn, home_id: int, name: str, starts: time, ends: time, kind="day") -> int:
    return conn.execute(insert(ShiftType).values(
        home_id=home_id, name=name, starts_at=starts, ends_at=ends, kind=kind,
        counts_as_work=True, active=True).returning(ShiftType.id)).scalar_one()


def _shift_row(home_id, type_id, day, starts, ends, now, **extra) -> dict:
    begin, finish, minutes = span(day, starts, ends)
    extra = {"assignee_id": None, "cover": None, "offered_at": None, "pool_from": None,
             **extra}  # every row the same keys, for one executemany
    return dict(home_id=home_id, shift_type_id=type_id, on_date=day, starts_at=begin,
                ends_at=finish, minutes=minutes, kind=extra.pop("kind", "day"),
                counts_as_work=True, status="active", claim_pending=False,
                approval_required=False, version=1, created_at=now, **extra)


def _race_setup(app) -> tuple[list[int], list[int]]:
    """1,000 open shifts, 11 hours apart, and 32 vetted relief workers inducted at the home."""
    now = clock.utcnow()  # the bench's frozen moment
    with app.app_context(), db.engine.begin() as conn:
        home = _home(conn, "Race House")
        people = _staff(conn, None, CLIENTS, inducted=home)
        night = _type(conn, home, "Early", time(0), time(3))
        day = _type(conn, home, "Afternoon", time(14), time(17))
        rows = []
        first = TODAY + timedelta(days=2)
        for i in range(CONTESTED + SOLO):
            starts, ends, type_id = (time(0), time(3), night) if i % 2 == 0 else \
                (time(14), time(17), day)
            rows.append(_shift_row(home, type_id, first + timedelta(days=i // 2), starts, ends,
                                   now, offered_at=now, pool_from=now))
        conn.execute(insert(Shift), rows)
        shifts = list(conn.execute(select(Shift.id).order_by(Shift.starts_at)).scalars())
    return shifts, people


def _race(app, shifts: list[int], people: list[int]) -> tuple[int, int, list[float]]:
    """Pairs of clients press on the same shift at the same moment; returns (shifts won twice,
    unexpected errors, latencies in ms)."""
    groups = CLIENTS // PER_SHIFT
    wins: dict[int, int] = {}
    errors, latencies, lock = [0], [], threading.Lock()
    barriers = [threading.Barrier(PER_SHIFT) for _ in range(groups)]
    now = clock.utcnow()  # the bench's frozen moment

    def client(index: int) -> None:
        group, person = index % groups, people[index]
        for shift_id in shifts[group::groups]:
            with app.app_context():
                barriers[group].wait()
                began = timer.perf_counter()
                try:
                    relief.pick_up_shift(shift_id, person, actor=None, now=now)
                    db.session.commit()
                    won = 1
                except DomainError:
                    db.session.rollback()
                    won = 0
                except Exception:  # noqa: BLE001  (counted and reported, never hidden)
                    db.session.rollback()
                    won, errors[0] = 0, errors[0] + 1
                finally:
                    db.session.remove()
                spent = (timer.perf_counter() - began) * 1000
            with lock:
                wins[shift_id] = wins.get(shift_id, 0) + won
                latencies.append(spent)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(1 for n in wins.values() if n > 1), errors[0], latencies


def _alone(app, shifts: list[int], person: int) -> list[float]:
    """Pick-ups one after another by a single client: latency without contention."""
    now, spent = clock.utcnow(), []
    for shift_id in shifts:
        with app.app_context():
            began = timer.perf_counter()
            relief.pick_up_shift(shift_id, person, actor=None, now=now)
            db.session.commit()
            spent.append((timer.perf_counter() - began) * 1000)
            db.session.remove()
    return spent


def _database_double_bookings(app, contested: list[int]) -> tuple[int, int]:
    """Shifts with more than one live booking, bookings not matching the shift's assignee, and
    a person's overlapping live shifts: each counts one."""
    with app.app_context():
        live = select(ShiftAssignment.shift_id, func.count().label("n")).where(
            ShiftAssignment.status != "ended").group_by(ShiftAssignment.shift_id).subquery()
        doubled = db.session.scalar(select(func.count()).select_from(live).where(live.c.n > 1))
        mismatched = db.session.scalar(select(func.count(ShiftAssignment.id)).join(
            Shift, Shift.id == ShiftAssignment.shift_id).where(
            ShiftAssignment.status != "ended",
            (Shift.assignee_id.is_(None)) | (Shift.assignee_id != ShiftAssignment.staff_id)))
        a, b = Shift.__table__.alias("a"), Shift.__table__.alias("b")
        overlapping = db.session.scalar(select(func.count()).select_from(a).join(
            b, (a.c.assignee_id == b.c.assignee_id) & (a.c.id < b.c.id)).where(
            a.c.status == "active", b.c.status == "active",
            a.c.starts_at < b.c.ends_at, b.c.starts_at < a.c.ends_at))
        unclaimed = db.session.scalar(select(func.count(Shift.id)).where(
            Shift.assignee_id.is_(None), Shift.id.in_(contested)))
        db.session.remove()
    return doubled + mismatched + overlapping, unclaimed


@figure
def pickup_race(bench: Bench):
    app = _fresh_app(bench)
    shifts, people = _race_setup(app)
    shifts, solo = shifts[:CONTESTED], shifts[CONTESTED:]
    twice, errors, latencies = _race(app, shifts, people)
    in_database, unclaimed = _database_double_bookings(app, shifts)
    alone = _alone(app, solo, people[0])
    yield "pickup_race_trials", len(shifts), "contested shifts"
    yield "pickup_race_clients", CLIENTS, "clients"
    yield "pickup_double_bookings", twice + in_database, "shifts"
    yield "pickup_race_unclaimed", unclaimed, "shifts"
    yield "pickup_race_errors", errors, "errors"
    yield "pickup_ms", statistics.median(latencies), "ms"
    yield "pickup_p95_ms", sorted(latencies)[int(len(latencies) * 0.95)], "ms"
    yield "pickup_ms_1_client", statistics.median(alone), "ms"
    _dispose(app)
    bench.staffing_app = _rota_setup(_fresh_app(bench))


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _rota_setup(app):
    """Two homes with a week of rota: 5 staff and 50 staff, every one on a shift each day."""
    now = clock.utcnow()  # the bench's frozen moment
    with app.app_context(), db.engine.begin() as conn:
        homes = {}
        for people in (5, 50):
            home = _home(conn, f"Rota House {people}")
            types = [_type(conn, home, "Early", time(7), time(15)),
                     _type(conn, home, "Late", time(14), time(22)),
                     _type(conn, home, "Sleep-in", time(22), time(7), "sleep_in")]
            staff = _staff(conn, home, people)
            rows = []
            for d in range(7):
                day = WEEK + timedelta(days=d)
                for n, person in enumerate(staff):
                    t = n % 3
                    starts, ends = ((time(7), time(15)), (time(14), time(22)),
                                    (time(22), time(7)))[t]
                    rows.append(_shift_row(home, types[t], day, starts, ends, now,
                                           assignee_id=person, cover="contracted",
                                           kind="sleep_in" if t == 2 else "day"))
                rows.append(_shift_row(home, types[0], day, time(7), time(15), now,
                                       offered_at=now, pool_from=now))
            conn.execute(insert(Shift), rows)
            homes[people] = home
        conn.execute(insert(User).values(
            email=MANAGER, display_name="Bench manager", role="registered_manager",
            password_hash=hasher.hash(PASSWORD), active=True, failed_logins=0,
            created_at=now))
        manager = conn.execute(select(User.id).where(User.email == MANAGER)).scalar_one()
        conn.execute(text("INSERT INTO user_homes (user_id, home_id) VALUES (:u, :h)"),
                     [{"u": manager, "h": h} for h in homes.values()])
    app.rota_homes = homes
    return app


def _signed_in(app):
    return signed_in_client(app, MANAGER, PASSWORD)


@figure
def rota_week(bench: Bench):
    app = bench.staffing_app
    client = _signed_in(app)
    with app.app_context():
        engine = db.engine
    counts = {}
    for people, home in sorted(app.rota_homes.items()):
        url = f"/homes/{home}/rota?week={WEEK.isoformat()}"
        client.get(url)  # warm-up
        with statements(engine) as n:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} gave {response.status_code}")
        counts[people] = n[0]
        yield f"rota_week_queries_{people}_staff", n[0], "statements"
    yield "rota_week_queries", max(counts.values()), "statements"
    url = f"/homes/{app.rota_homes[50]}/rota?week={WEEK.isoformat()}"
    yield "rota_week_ms", median_ms(lambda: client.get(url), bench.runs), "ms"
    _dispose(app)
