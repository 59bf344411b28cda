"""The compliance calendar through the services: starting it, completions scheduling the next
occurrence from the date done, inspections setting the next window, Reg 40, and rules."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from homes_app.clock import LONDON
from homes_app.errors import DomainError, NotAllowed
from homes_app.extensions import db
from homes_app.registration.compliance import queries as compliance_queries
from homes_app.registration.compliance import reg40
from homes_app.registration.compliance import rules as compliance_rules
from homes_app.registration.compliance import services as cal
from homes_app.registration.compliance.models import ComplianceOccurrence, ComplianceRule
from homes_app.registration.compliance.recurrence import reg40_overdue

from .support import TODAY, audit


def rule(key: str) -> ComplianceRule:
    return db.session.scalar(select(ComplianceRule).where(ComplianceRule.key == key))


def open_occurrence(home, key: str, kind: str = "due") -> ComplianceOccurrence:
    return db.session.scalar(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == home.id, ComplianceOccurrence.rule_id == rule(key).id,
        ComplianceOccurrence.kind == kind, ComplianceOccurrence.completed_on.is_(None)))


def complete(world, key, on, kind="due", home=None, **kw):
    occurrence = open_occurrence(home or world.open, key, kind)
    cal.complete_occurrence(occurrence.id, completed_on=on, done_by=kw.get("by", "J Smith"),
                            outcome=kw.get("outcome", ""), note="",
                            actor=world.users["registered_manager"], today=kw.get("today",
                                                                                  TODAY))
    db.session.commit()
    return occurrence


def test_an_open_home_gets_every_rule_once_and_a_second_run_adds_nothing(world):
    made = db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == world.open.id)).all()
    assert sorted(o.rule.key for o in made) == sorted(
        ["reg44", "reg45", "inspection", "sop", "reg46", "fire", "gas", "electrical"])
    assert all(o.due_on == TODAY for o in made if o.rule.schedule == "months")  # open since 2020
    window = open_occurrence(world.open, "inspection")
    assert (window.opens_on, window.due_on) == (date(2026, 4, 1), date(2027, 3, 31))
    assert not db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == world.new.id)).all()  # not registered yet
    assert cal.ensure_calendar(actor=None, today=TODAY) == 0
    assert len(audit("compliance.calendar_start")) == 2


def test_a_reg45_review_done_late_then_early_sets_the_next_from_the_day_done(world):
    complete(world, "reg45", date(2026, 11, 20))  # due today: done two days early
    nxt = open_occurrence(world.open, "reg45")
    assert nxt.due_on == date(2027, 5, 20)
    report = open_occurrence(world.open, "reg45", "report")
    assert report.due_on == date(2026, 12, 18)  # 28 days after the review
    assert report.title == "Reg 45 report sent to Ofsted"
    event = audit("compliance.complete")[-1]
    assert event.after["next_due_on"] == "2027-05-20"
    assert event.after["report_due_on"] == "2026-12-18"
    # Six months on, done late: the next counts from the late date.
    complete(world, "reg45", date(2027, 5, 31), today=date(2027, 6, 1))
    assert open_occurrence(world.open, "reg45").due_on == date(2027, 11, 30)


def test_reg44_at_a_months_end(world):
    complete(world, "reg44", date(2026, 10, 31))
    assert open_occurrence(world.open, "reg44").due_on == date(2026, 11, 30)


def test_a_completion_in_the_future_or_before_the_last_one_is_refused(world):
    with pytest.raises(DomainError, match="cannot be in the future") as refused:
        complete(world, "gas", TODAY + timedelta(days=1))
    assert refused.value.field == "completed_on"
    db.session.rollback()
    complete(world, "gas", date(2026, 9, 1))
    with pytest.raises(DomainError, match="last done on 1 September 2026"):
        complete(world, "gas", date(2026, 8, 1))
    db.session.rollback()
    occurrence = complete(world, "fire", TODAY)
    with pytest.raises(DomainError, match="already recorded as done"):
        cal.complete_occurrence(occurrence.id, completed_on=TODAY, done_by="x", outcome="",
                                note="", actor=world.users["registered_manager"], today=TODAY)


def test_only_the_homes_manager_records(world):
    occurrence = open_occurrence(world.open, "gas")
    for who in ("other_manager", "service_director", "home_staff"):
        with pytest.raises(NotAllowed):
            cal.complete_occurrence(occurrence.id, completed_on=TODAY, done_by="x", outcome="",
                                    note="", actor=world.users[who], today=TODAY)


def inspect(world, on, kind="full", judgement="good", home=None):
    judgements = {a: judgement for a in ("overall_experiences", "help_and_protection",
                                         "leadership")} if kind == "full" else {}
    outcome = cal.record_inspection((home or world.open).id, inspected_on=on,
                                    inspection_type=kind, judgements=judgements, note="",
                                    actor=world.users["registered_manager"], today=TODAY)
    db.session.commit()
    return outcome


def test_a_good_inspection_sets_next_years_window_and_requires_improvement_two_a_year(world):
    inspect(world, date(2026, 6, 10), judgement="requires_improvement")
    window = open_occurrence(world.open, "inspection")
    assert (window.opens_on, window.due_on) == (date(2026, 10, 1), date(2027, 3, 31))
    inspect(world, date(2026, 11, 3), judgement="good")
    window = open_occurrence(world.open, "inspection")
    assert (window.opens_on, window.due_on) == (date(2027, 4, 1), date(2028, 3, 31))
    done = db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.rule_id == rule("inspection").id,
        ComplianceOccurrence.home_id == world.open.id,
        ComplianceOccurrence.completed_on.is_not(None)).order_by(
        ComplianceOccurrence.completed_on)).all()
    assert [(o.completed_on, o.outcome) for o in done] == [
        (date(2026, 6, 10), "Requires improvement to be good"), (date(2026, 11, 3), "Good")]
    latest = compliance_queries.latest_inspections([world.open.id])[world.open.id]
    assert latest.inspected_on == date(2026, 11, 3)


def test_a_monitoring_visit_or_an_older_inspection_leaves_the_window(world):
    inspect(world, date(2026, 10, 20), judgement="inadequate")
    window = open_occurrence(world.open, "inspection")
    inspect(world, date(2026, 11, 2), kind="monitoring")
    inspect(world, date(2025, 9, 1), judgement="outstanding")  # history, entered late
    assert open_occurrence(world.open, "inspection").id == window.id
    assert (window.opens_on, window.due_on) == (date(2027, 4, 1), date(2027, 9, 30))


@pytest.mark.parametrize("kind, judgements, field, message", [
    ("full", {"overall_experiences": "good", "help_and_protection": "good"}, "leadership",
     "Select the judgement for the effectiveness of leaders and managers"),
    ("monitoring", {"leadership": "good"}, "leadership", "Only a full inspection"),
    ("full", {"overall_experiences": "great", "help_and_protection": "good",
              "leadership": "good"}, "overall_experiences", "Select a judgement"),
])
def test_inspection_judgements_are_checked(world, kind, judgements, field, message):
    with pytest.raises(DomainError, match=message) as refused:
        cal.record_inspection(world.open.id, inspected_on=TODAY, inspection_type=kind,
                              judgements=judgements, note="",
                              actor=world.users["registered_manager"], today=TODAY)
    assert refused.value.field == field


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def test_reg40_is_due_within_24_hours_and_recorded_when_notified(world):
    now = london(2026, 11, 22, 10, 0)
    event = reg40.record_reg40(world.open.id, event_type="police", event_at=london(2026, 11, 21,
                                                                                  9, 30),
                             summary="Police called to the home", notified_at=None,
                             notified_to=[], actor=world.users["registered_manager"], now=now)
    db.session.commit()
    due = compliance_queries.due_list({world.open.id}, TODAY, now)
    item = next(i for i in due.items if i.notification)
    assert item.overdue and item.deadline == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    with pytest.raises(DomainError, match="cannot be before the event"):
        reg40.record_notified(event.id, notified_at=london(2026, 11, 21, 9), notified_to=["ofsted"],
                            actor=world.users["registered_manager"], now=now)
    db.session.rollback()
    reg40.record_notified(event.id, notified_at=london(2026, 11, 22, 9, 45),
                        notified_to=["ofsted", "placing_authority"],
                        actor=world.users["registered_manager"], now=now)
    db.session.commit()
    assert event.notified_to == "ofsted,placing_authority"
    assert not any(i.notification for i in compliance_queries.due_list({world.open.id}, TODAY, now).items)
    assert audit("compliance.reg40_notified")


def test_reg40_refuses_a_future_event_and_a_notification_without_whom(world):
    now = london(2026, 11, 22, 10, 0)
    manager = world.users["registered_manager"]
    with pytest.raises(DomainError, match="cannot be in the future"):
        reg40.record_reg40(world.open.id, event_type="death", event_at=london(2026, 11, 22, 11),
                         summary="x", notified_at=None, notified_to=[], actor=manager, now=now)
    with pytest.raises(DomainError, match="Select who was notified"):
        reg40.record_reg40(world.open.id, event_type="death", event_at=london(2026, 11, 22, 8),
                         summary="x", notified_at=london(2026, 11, 22, 9), notified_to=[],
                         actor=manager, now=now)


def test_the_due_list_shows_what_falls_within_notice_or_is_overdue(world):
    for key in ("reg44", "reg45", "sop", "reg46", "fire", "gas", "electrical"):
        complete(world, key, TODAY - timedelta(days=3))
    due = compliance_queries.due_list(None, TODAY, london(2026, 11, 22, 10))
    mine = [i for i in due.items if i.home.id == world.open.id]
    # Reg 44 monthly (notice 7 days): due 19 December, not yet shown; the Reg 45 report is.
    assert {i.title for i in mine} == {"Reg 45 report sent to Ofsted"}
    others = [i for i in due.items if i.home.id == world.other.id]
    assert len(others) == 7 and all(i.overdue is False for i in others)  # due today
    assert {h.name for h in due.homes} == {"Heatherbank House", "Elm House"}


def test_a_new_rule_starts_at_every_open_home_and_an_inactive_one_leaves_the_list(world):
    admin = world.users["administrator"]
    added = compliance_rules.add_rule(name="Legionella risk assessment", schedule="months",
                                       interval_months=24, report_name="", report_due_days=None,
                                       notice_days=30, actor=admin, today=TODAY)
    db.session.commit()
    assert added.key == "legionella_risk_assessment"
    assert open_occurrence(world.open, "legionella_risk_assessment").due_on == TODAY
    compliance_rules.update_rule(added.id, name=added.name, interval_months=24,
                                  report_name="", report_due_days=None, notice_days=30,
                                  active=False, actor=admin, today=TODAY)
    db.session.commit()
    titles = {i.title for i in compliance_queries.due_list(None, TODAY, london(2026, 11, 22, 10)).items}
    assert "Legionella risk assessment" not in titles
    with pytest.raises(DomainError, match="between 1 and 120 months"):
        compliance_rules.update_rule(rule("gas").id, name="Gas", interval_months=0,
                                      report_name="", report_due_days=None, notice_days=30,
                                      active=True, actor=admin, today=TODAY)
    with pytest.raises(NotAllowed):
        compliance_rules.update_rule(rule("gas").id, name="Gas", interval_months=6,
                                      report_name="", report_due_days=None, notice_days=30,
                                      active=True, actor=world.users["service_director"],
                                      today=TODAY)


def test_a_changed_frequency_applies_from_the_next_completion(world):
    admin = world.users["administrator"]
    gas = rule("gas")
    compliance_rules.update_rule(gas.id, name=gas.name, interval_months=6, report_name="",
                                  report_due_days=None, notice_days=30, active=True,
                                  actor=admin, today=TODAY)
    db.session.commit()
    assert open_occurrence(world.open, "gas").due_on == TODAY  # unchanged
    complete(world, "gas", TODAY)
    assert open_occurrence(world.open, "gas").due_on == date(2027, 5, 22)


def test_a_reg40_event_just_before_the_clocks_go_forward_is_due_24_real_hours_later(
        world, frozen_clock):
    # 00:30 GMT on 28 March 2027; the clocks go forward at 01:00 GMT that night.
    event_at = london(2027, 3, 28, 0, 30)
    frozen_clock.freeze(datetime(2027, 3, 28, 8, 0))
    item = reg40.record_reg40(world.open.id, event_type="serious_injury", event_at=event_at,
                            summary="Fall on the stairs", notified_at=None, notified_to=[],
                            actor=world.users["registered_manager"], now=frozen_clock.now())
    db.session.commit()

    def due_at(*when):
        listed = compliance_queries.due_list({world.open.id}, date(2027, 3, 29), london(*when)).items
        return next(i for i in listed if i.notification and i.notification.id == item.id)

    assert due_at(2027, 3, 29, 0, 45).overdue is False  # 24 wall-clock hours, but only 23 real
    assert due_at(2027, 3, 29, 1, 29).overdue is False
    assert due_at(2027, 3, 29, 1, 31).overdue is True
    assert due_at(2027, 3, 29, 1, 31).deadline.astimezone(LONDON).strftime("%H:%M %Z") == \
        "01:30 BST"
    reg40.record_notified(item.id, notified_at=london(2027, 3, 29, 1, 15), notified_to=["ofsted"],
                        actor=world.users["registered_manager"], now=london(2027, 3, 29, 2))
    db.session.commit()
    assert not reg40_overdue(item.event_at, item.notified_at, london(2027, 3, 30, 9))
    assert item.event_at == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # stored as UTC


def test_the_cli_starts_every_open_homes_calendar_once(app, make, seeded):
    home = make.home(beds=1)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["compliance-calendar"])
    again = runner.invoke(args=["compliance-calendar"])
    db.session.rollback()
    assert "8 obligations added" in first.output and "0 obligations added" in again.output
    assert open_occurrence(home, "reg44").due_on == TODAY
