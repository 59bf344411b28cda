"""Pages cost a fixed number of queries (the rota week with 5 or 50 staff, open shifts with
few or many), and the staffing measures are summed in SQL."""
from __future__ import annotations

from datetime import date, time, timedelta

from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota.measures import home_staffing, staffing_by_home
from homes_app.staffing.rota.models import Shift
from tests.test_access import QueryCounter

from .support import NOW, days, shift, shift_type, staff

WEEK = date(2026, 11, 23)


def staff_a_week(home, people: int, types) -> None:
    """`people` staff, each on one shift a day this week, and an uncovered shift a day."""
    members = [staff(home, name=f"Worker {n:02d}") for n in range(people)]
    for n, person in enumerate(members):
        for d in range(7):
            shift(home, types[n % len(types)], WEEK + timedelta(days=d), assignee=person) \
                if n < len(types) * 3 else None
    for d in range(7):
        shift(home, types[0], WEEK + timedelta(days=d), offered=d % 2 == 0)


def rota_queries(client, home) -> int:
    url = f"/homes/{home.id}/rota?week={WEEK.isoformat()}"
    client.get(url)
    with QueryCounter(db.engine) as counter:
        page = client.get(url)
    assert page.status_code == 200
    return counter.count


def test_the_rota_week_costs_the_same_queries_for_5_or_50_staff(client, login, make):
    small, large = make.home(name="Small House"), make.home(name="Large House")
    manager = make.user("registered_manager", homes=[small, large])
    for home, people in ((small, 5), (large, 50)):
        types = [shift_type(home, "Early", time(7), time(15), minimum={1: 2}),
                 shift_type(home, "Late", time(14), time(22), minimum={1: 2}),
                 shift_type(home, "Night", time(22), time(7), "sleep_in", minimum={0: 2})]
        staff_a_week(home, people, types)
    login(manager)
    few, many = rota_queries(client, small), rota_queries(client, large)
    assert few == many, (few, many)
    assert few <= 12


def test_open_shifts_cost_the_same_queries_for_few_or_many(client, login, make, staffed):
    from homes_app.auth.models import User

    login(db.session.get(User, staffed.relief.user_id))

    def count() -> int:
        client.get("/open-shifts")
        with QueryCounter(db.engine) as counter:
            assert client.get("/open-shifts").status_code == 200
        return counter.count

    few = count()
    for n in range(12):
        shift(staffed.home, staffed.day, days(20 + n), offered=True)
    assert count() == few


def test_measures_count_shifts_by_cover_fill_rate_and_relief_hours(make):
    home = make.home(name="Ash House")
    day = shift_type(home, "Day", time(8), time(20))
    sleep = shift_type(home, "Sleep-in", time(22), time(7), "sleep_in")
    own = staff(home)
    pool = [staff(inducted=[home], opted_out_48h=True) for _ in range(2)]
    shift(home, day, days(1), assignee=own)  # contracted
    for n, person in enumerate(pool):  # two offered and picked up by the pool
        s = shift(home, day if n == 0 else sleep, days(2), offered=True)
        relief.pick_up_shift(s.id, person.id, actor=None, now=NOW)
    s = shift(home, day, days(3), offered=True)  # offered, still open
    agency = shift(home, day, days(4))
    agency.cover, agency.agency_name = "agency", "Acme Care"
    db.session.commit()
    m = home_staffing(home.id, date(2026, 11, 23), date(2026, 11, 30))
    assert (m.planned, m.contracted, m.relief, m.agency, m.uncovered, m.overtime) == (
        5, 1, 2, 1, 1, 0)
    assert (m.offered, m.offered_filled, m.fill_rate) == (3, 2, 66.7)
    assert (m.relief_hours, m.relief_sleep_in_hours) == (12.0, 9.0)
    assert s.id and staffing_by_home(date(2026, 11, 23), date(2026, 11, 30)) == {home.id: m}
    assert db.session.get(Shift, s.id).cover is None


def test_the_staff_list_costs_the_same_queries_for_few_or_many(client, login, make, staffed):
    login(staffed.manager)

    def count() -> int:
        client.get("/staff")
        with QueryCounter(db.engine) as counter:
            assert client.get("/staff").status_code == 200
        return counter.count

    few = count()
    for _ in range(10):
        staff(staffed.home)
    assert count() == few
