"""The alerts pages: who sees which alerts, acknowledging with a note and resolving with a
reason (audited, a replayed form refused), filters, the header count, and the settings and
preferences forms refusing bad input with a clear message."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event, select

from homes_app import clock
from homes_app.alerts import settings as alert_settings
from homes_app.alerts.models import Alert, NotificationPreference
from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from tests.helpers import hidden_fields, submit
from tests.staffing.support import staff

from .support import make_alert


def listed(client, query: str = "") -> list[int]:
    html = client.get(f"/alerts{query}").get_data(as_text=True)
    return sorted(int(i) for i in re.findall(r'data-alert="(\d+)"', html))


def header_count(client, url: str = "/alerts") -> int:
    html = client.get(url).get_data(as_text=True)
    return int(re.search(r"Alerts \((\d+)\)", html).group(1))


def two_homes(make):
    mine, theirs = make.home(name="Ash House"), make.home(name="Elm House")
    a, b = make_alert(mine.id), make_alert(theirs.id)
    db.session.commit()
    return mine, theirs, a, b


def test_a_manager_sees_their_homes_alerts_only(make, client, login):
    mine, _theirs, a, b = two_homes(make)
    login(make.user("registered_manager", homes=[mine]))
    assert listed(client) == [a.id]
    assert client.get(f"/alerts/{b.id}/acknowledge").status_code == 404
    assert client.get(f"/alerts/{b.id}/resolve").status_code == 404


def test_directors_see_every_alert_with_a_summary_by_kind_and_home(make, client, login):
    _mine, _theirs, a, b = two_homes(make)
    login(make.user("service_director"))
    assert listed(client) == [a.id, b.id]
    html = client.get("/alerts").get_data(as_text=True)
    summary = html[html.index('data-test="summary"'):html.index('data-test="filters"')]
    assert "Ash House" in summary and "Elm House" in summary
    assert "Home full: no bed for an emergency" in summary


def test_staff_see_only_alerts_about_themselves(make, client, login):
    home = make.home()
    user = make.user("home_staff", homes=[home])
    me, colleague = staff(home, user=user), staff(home)
    mine = make_alert(home.id, kind="staff_check_due", staff_id=me.id)
    make_alert(home.id, kind="staff_check_due", staff_id=colleague.id)
    make_alert(home.id)
    db.session.commit()
    login(user)
    assert listed(client) == [mine.id]
    assert header_count(client) == 1
    assert client.get(f"/alerts/{mine.id}/acknowledge").status_code == 403


def test_relief_staff_see_their_own_alert(make, client, login):
    user = make.user("relief_staff")
    me = staff(None, user=user)
    mine = make_alert(None, kind="staff_check_overdue", staff_id=me.id)
    make_alert(None, kind="all_homes_full", key="all_homes_full")
    db.session.commit()
    login(user)
    assert listed(client) == [mine.id]


def test_acknowledging_with_a_note_is_audited_and_a_replay_refused(make, client, login):
    mine, _theirs, a, _b = two_homes(make)
    manager = login(make.user("registered_manager", homes=[mine]))
    page = client.get(f"/alerts/{a.id}/acknowledge")
    fields = hidden_fields(page.get_data(as_text=True))
    response = client.post(f"/alerts/{a.id}/acknowledge",
                           data={**fields, "note": "Agency asked for a night worker"})
    assert response.status_code == 302
    db.session.expire_all()
    alert = db.session.get(Alert, a.id)
    assert (alert.state, alert.acknowledged_by_id, alert.acknowledged_note) == (
        "acknowledged", manager.id, "Agency asked for a night worker")
    [audit] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "alert.acknowledge")).all()
    assert (audit.actor_id, audit.subject_id, audit.home_id) == (manager.id, a.id, mine.id)
    assert audit.after["acknowledged_note"] == "Agency asked for a night worker"
    replay = client.post(f"/alerts/{a.id}/acknowledge", data={**fields, "note": "again"})
    assert replay.status_code == 409
    assert "already been submitted" in replay.get_data(as_text=True)
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "alert.acknowledge")).all()) == 1
    html = client.get("/alerts").get_data(as_text=True)
    assert "Acknowledged by" in html and "Agency asked for a night worker" in html


def test_resolving_needs_a_reason(make, client, login):
    mine, _theirs, a, _b = two_homes(make)
    login(make.user("registered_manager", homes=[mine]))
    refused = submit(client, f"/alerts/{a.id}/resolve", {"reason": "  "})
    assert refused.status_code == 200
    assert "Enter the reason for resolving it" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Alert, a.id).state == "open"
    done = submit(client, f"/alerts/{a.id}/resolve", {"reason": "Bed freed by a transfer"})
    assert done.status_code == 302
    db.session.expire_all()
    alert = db.session.get(Alert, a.id)
    assert (alert.state, alert.resolved_reason) == ("resolved", "Bed freed by a transfer")
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "alert.resolve"))
    assert listed(client) == []
    assert listed(client, "?state=resolved") == [a.id]


def test_filters_by_kind_severity_and_home(make, client, login):
    mine, theirs, a, b = two_homes(make)
    high = make_alert(mine.id, kind="shift_uncovered", key="s1", severity="high")
    db.session.commit()
    login(make.user("administrator"))
    assert listed(client, "?kind=shift_uncovered") == [high.id]
    assert listed(client, "?severity=medium") == [a.id, b.id]
    assert listed(client, f"?home={theirs.id}") == [b.id]
    assert listed(client, "?kind=nonsense&severity=bogus") == [a.id, b.id, high.id]


def test_the_header_count_and_the_page_cost_a_fixed_number_of_queries(make, client, login):
    home = make.home()
    login(make.user("registered_manager", homes=[home]))

    def queries(url: str) -> int:
        clock.freeze(clock.now() + timedelta(seconds=61))  # the header's count is recounted
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    make_alert(home.id)
    db.session.commit()
    few = queries("/alerts")
    for n in range(30):
        make_alert(home.id, key=f"more:{n}", kind="bed_void")
    db.session.commit()
    assert queries("/alerts") == few
    assert header_count(client) == 31


def test_the_header_count_is_kept_a_minute_and_cleared_by_acting(make, client, login):
    home = make.home()
    login(make.user("registered_manager", homes=[home]))
    first = make_alert(home.id)
    db.session.commit()
    assert header_count(client) == 1
    make_alert(home.id, key="second")
    db.session.commit()
    assert header_count(client) == 1  # counted less than a minute ago
    clock.freeze(clock.now() + timedelta(seconds=60))
    assert header_count(client) == 2
    submit(client, f"/alerts/{first.id}/acknowledge", {"note": ""})
    assert header_count(client) == 1


def test_settings_refuse_a_negative_lead_time_and_an_unknown_kind(make, client, login):
    login(make.user("administrator"))
    negative = submit(client, "/alerts/settings", {
        **{n: str(getattr(alert_settings.AlertSettings(), n)) for n in alert_settings.LIMITS},
        "staff_lead_days": "-5", "enabled": list(alert_settings.KINDS)})
    assert "must be between 0 and 180 (not -5)" in negative.get_data(as_text=True)
    unknown = submit(client, "/alerts/settings", {
        **{n: "10" for n in alert_settings.LIMITS}, "enabled": ["home_full", "made_up"]})
    assert "Unknown alert kind: made_up" in unknown.get_data(as_text=True)
    assert alert_settings.load() == alert_settings.AlertSettings()
    saved = submit(client, "/alerts/settings", {
        **{n: "10" for n in alert_settings.LIMITS},
        "enabled": [k for k in alert_settings.KINDS if k != "bed_void"]})
    assert saved.status_code == 302
    loaded = alert_settings.load()
    assert loaded.void_days == 10 and not loaded.on("bed_void") and loaded.on("home_full")
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "settings.alerts"))


def test_a_bad_stored_setting_is_refused_when_loaded(app):
    from homes_app.errors import DomainError
    from homes_app.homes.models import CouncilSetting

    db.session.add(CouncilSetting(key="alerts.void_days", value="-3"))
    db.session.commit()
    try:
        alert_settings.load()
    except DomainError as error:
        assert "between 1 and 365 (not -3)" in error.message
    else:
        raise AssertionError("a negative setting was accepted")


def test_a_person_chooses_their_digest_time_and_days(make, client, login):
    user = login(make.user("home_staff", homes=[make.home()]))
    bad = submit(client, "/alerts/preferences", {"digest_enabled": "y", "digest_at": "25:00",
                                                 "digest_days": ["0"]})
    assert "must be a 24-hour time" in bad.get_data(as_text=True)
    none = submit(client, "/alerts/preferences", {"digest_enabled": "y",
                                                  "digest_at": "18:15"})
    assert "Choose at least one day" in none.get_data(as_text=True)
    assert db.session.get(NotificationPreference, user.id) is None
    ok = submit(client, "/alerts/preferences", {"digest_enabled": "y", "digest_at": "18:15",
                                                "digest_days": ["0", "5"]})
    assert ok.status_code == 302
    db.session.expire_all()
    pref = db.session.get(NotificationPreference, user.id)
    assert (pref.digest_at.strftime("%H:%M"), pref.digest_days, pref.immediate_high) == (
        "18:15", 0b100001, False)


def test_the_digest_and_the_page_agree_on_who_sees_what(make):
    """notify.sees (digests, in Python) gives what services.visible_to (pages, in SQL) gives."""
    from homes_app.alerts.notify import sees
    from homes_app.alerts.services import visible_to
    from homes_app.staffing.people.models import StaffMember

    a, b = make.home(), make.home()
    people = [make.user("administrator"), make.user("service_director"),
              make.user("registered_manager", homes=[a]), make.user("registered_manager"),
              make.user("home_staff", homes=[a]), make.user("relief_staff")]
    worker, relief = staff(a, user=people[4]), staff(None, user=people[5])
    alerts = [make_alert(a.id), make_alert(b.id), make_alert(None, key="council"),
              make_alert(a.id, key="w", staff_id=worker.id),
              make_alert(None, key="r", staff_id=relief.id)]
    db.session.commit()
    staff_user = dict(db.session.execute(select(StaffMember.id, StaffMember.user_id)).all())
    for person in people:
        in_sql = set(db.session.scalars(select(Alert.id).where(visible_to(person))))
        assert in_sql == {x.id for x in alerts if sees(person, x, staff_user)}, person.role
    assert {x.id for x in alerts if sees(people[5], x, staff_user)} == {alerts[4].id}
