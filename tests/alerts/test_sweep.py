"""The sweep: one alert per standing condition however often it runs (and when two run at
once, on either database), resolved when the condition clears, raised anew when it returns."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from homes_app import clock
from homes_app.alerts import settings as alert_settings
from homes_app.alerts.models import Alert
from homes_app.alerts.services import resolve
from homes_app.alerts.sweep import sweep
from homes_app.extensions import db
from homes_app.placements import services as moves

from .conftest import TODAY


def full_home(make, since=TODAY - timedelta(days=3)):
    home = make.home(beds=1)
    stay = moves.admit_child(home.id, home.beds[0].id, make.child(), since,
                             emergency=False, actor=None, today=TODAY)
    db.session.commit()
    return home, stay


def alerts(kind: str = "home_full") -> list[Alert]:
    db.session.expire_all()
    return db.session.scalars(select(Alert).where(Alert.kind == kind).order_by(Alert.id)).all()


def run_sweep():
    result = sweep(clock.now())
    db.session.commit()
    return result


def test_a_standing_condition_raises_one_alert_however_often_the_sweep_runs(make):
    home, _ = full_home(make)
    first = run_sweep()
    for _ in range(3):
        again = run_sweep()
        assert again.raised == [] and again.resolved == []
    [alert] = alerts()
    assert alert.id in first.raised
    assert (alert.state, alert.home_id, alert.active_key) == ("open", home.id,
                                                              f"home_full:{home.id}")


def test_the_alert_resolves_when_the_condition_clears_and_a_new_one_comes_when_it_returns(
        make):
    home, stay = full_home(make)
    run_sweep()
    moves.discharge_child(stay, TODAY, destination="family", planned=True, actor=None,
                          today=TODAY)
    db.session.commit()
    cleared = run_sweep()
    [old] = alerts()
    assert old.id in cleared.resolved
    assert (old.state, old.active_key, old.resolved_reason, old.resolved_by_id) == (
        "resolved", None, "Condition cleared", None)
    moves.admit_child(home.id, home.beds[0].id, make.child(), TODAY, emergency=True,
                      actor=None, today=TODAY)
    db.session.commit()
    back = run_sweep()
    old_again, new = alerts()
    assert old_again.id == old.id and old_again.state == "resolved"
    assert new.id in back.raised and new.state == "open"


def test_an_alert_resolved_by_a_person_is_not_raised_again_while_the_condition_stands(make):
    home, stay = full_home(make)
    run_sweep()
    director = make.user("service_director")
    [alert] = alerts()
    resolve(alert.id, reason="Known: planned solo placement", actor=director,
            now=clock.utcnow())
    db.session.commit()
    assert alerts()[0].id not in run_sweep().raised
    assert len(alerts()) == 1
    moves.discharge_child(stay, TODAY, destination="family", planned=True, actor=None,
                          today=TODAY)
    db.session.commit()
    run_sweep()
    [alert] = alerts()
    assert (alert.active_key, alert.resolved_reason) == (None, "Known: planned solo placement")


def test_a_kind_switched_off_raises_nothing_and_its_alerts_are_resolved(make):
    full_home(make)
    run_sweep()
    alert_settings.store(alert_settings.AlertSettings(disabled=frozenset({"home_full"})))
    db.session.commit()
    result = run_sweep()
    [alert] = alerts()
    assert alert.id in result.resolved
    assert alert.resolved_reason == "Alert kind switched off"
    assert run_sweep().raised == []


def test_a_figure_that_changes_updates_the_standing_alert(make):
    home, stay = full_home(make, since=TODAY - timedelta(days=90))
    moves.discharge_child(stay, TODAY - timedelta(days=30), destination="family",
                          planned=True, actor=None, today=TODAY)
    db.session.commit()
    run_sweep()
    [alert] = alerts("bed_void")
    assert "for 30 nights" in alert.message
    clock.freeze(clock.now() + timedelta(days=1))
    assert run_sweep().raised == []
    [alert] = alerts("bed_void")
    assert "for 31 nights" in alert.message


def test_an_uncovered_shift_escalates_to_high_when_it_comes_near(make):
    from datetime import time

    from tests.staffing.support import shift, shift_type

    home = make.home(beds=1)
    shift(home, shift_type(home, starts=time(23), ends=time(7)), TODAY)
    clock.freeze(clock.now() - timedelta(hours=5))  # 05:00: starts in 18 hours
    run_sweep()
    [alert] = alerts("shift_uncovered")
    assert alert.severity == "medium"
    clock.freeze(clock.now() + timedelta(hours=12))  # 17:00: starts in 6 hours
    result = run_sweep()
    [alert] = alerts("shift_uncovered")
    assert alert.severity == "high" and result.escalated == [alert.id]


def test_two_sweeps_at_once_raise_each_alert_once(app, make):
    homes = [full_home(make)[0] for _ in range(5)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def one_sweep():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results.append(sweep(clock.now()))
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(len(r.raised) for r in results)[-1] >= len(homes)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Alert.id)).where(Alert.kind == "home_full")) \
        == len(homes)
    raised = [i for r in results for i in r.raised if i in {a.id for a in alerts()}]
    assert len(raised) == len(set(raised)) == len(homes)
