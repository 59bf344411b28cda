"""The review finds what is past retention under each rule, once, in a fixed number of
statements, and reopens a kept record a year after the decision."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from homes_app.extensions import db
from homes_app.retention import services
from homes_app.staffing.people.models import Absence
from tests.staffing.support import shift, shift_type, staff

from .support import findings, publication, review_of, review_on

BIRTHDAY_75 = date(2087, 5, 17)


def test_a_child_is_found_on_their_75th_birthday_not_the_day_before(make):
    child = make.child(date_of_birth=date(2012, 5, 17))
    review_on(BIRTHDAY_75 - timedelta(days=1))
    assert findings("child_case_record") == []
    review_on(BIRTHDAY_75)
    assert findings("child_case_record") == [
        ("child_case_record", child.id, 1, BIRTHDAY_75, "awaiting")]


def test_a_child_born_on_29_february_is_found_on_1_march(make):
    child = make.child(date_of_birth=date(2012, 2, 29))
    review_on(date(2087, 2, 28))
    assert findings("child_case_record") == []
    review_on(date(2087, 3, 1))
    assert [f[1] for f in findings("child_case_record")] == [child.id]


def test_only_children_past_their_75th_birthday_are_found(make):
    older = make.child(date_of_birth=date(2008, 1, 2))
    make.child(date_of_birth=date(2016, 6, 1))
    review_on(date(2083, 1, 2))
    assert [f[1] for f in findings()] == [older.id]


def test_rerunning_the_review_records_nothing_twice(make):
    make.child(date_of_birth=date(2008, 1, 2))
    first = review_on(date(2090, 1, 1))
    again = review_on(date(2090, 1, 2))
    assert (first.found, again.found) == (1, 0)
    assert again.awaiting == 1
    assert len(findings()) == 1
    # Two schedulers inserting the same finding at once: the unique key keeps one.
    assert services._insert_new([services._row("child_case_record", (findings()[0][1], 1,
                                 date(2083, 1, 2)), _now())]) == 0


def test_a_decided_record_is_not_found_again(make, app):
    child = make.child(date_of_birth=date(2008, 1, 2))
    review_on(date(2083, 1, 2))
    services.dispose(review_of("child_case_record", child.id), actor=None,
                     now=_now())
    db.session.commit()
    result = review_on(date(2083, 6, 1))
    assert result.found == 0
    assert findings() == [("child_case_record", child.id, 1, date(2083, 1, 2), "disposed")]


def test_rota_records_are_found_a_whole_month_at_a_time(make):
    home = make.home(beds=1)
    st = shift_type(home)
    for day in (date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1)):
        shift(home, st, day)
    publication(home, date(2026, 3, 30))
    review_on(date(2041, 3, 30))  # 31 March 2026 is not yet 15 years old
    assert findings("rota_shifts") == []
    review_on(date(2041, 3, 31))
    assert findings("rota_shifts") == [("rota_shifts", 202603, 2, date(2041, 3, 31), "awaiting")]
    assert findings("rota_publications") == [
        ("rota_publications", 202603, 1, date(2041, 3, 31), "awaiting")]


def test_a_former_member_of_staff_is_found_15_years_after_the_last_entry_about_them(make):
    home = make.home(beds=1)
    person = staff(home, started_on=date(2020, 1, 6))  # trained on 1 Jan 2025
    st = shift_type(home)
    shift(home, st, date(2026, 6, 1), assignee=person)
    db.session.add(Absence(staff_id=person.id, kind="leave", starts_on=date(2026, 6, 2),
                           ends_on=date(2026, 6, 5), note="", recorded_at=_now()))
    person.active = False
    db.session.commit()
    review_on(date(2041, 6, 4))
    assert findings("staff_member") == []
    review_on(date(2041, 6, 5))
    assert findings("staff_member") == [("staff_member", person.id, 1, date(2041, 6, 5),
                                         "awaiting")]


def test_staff_still_working_are_never_found(make):
    staff(make.home(beds=1), started_on=date(2000, 1, 3))
    review_on(date(2060, 1, 1))
    assert findings("staff_member") == []


def test_a_kept_record_comes_back_for_another_look_after_a_year(make):
    child = make.child(date_of_birth=date(2008, 1, 2))
    review_on(date(2083, 1, 2))
    services.keep(review_of("child_case_record", child.id), "Legal hold: claim 123",
                  actor=None, now=_now())
    db.session.commit()
    assert review_on(date(2084, 1, 1)).reopened == 0
    result = review_on(date(2084, 1, 3))
    assert (result.reopened, result.awaiting) == (1, 1)
    assert review_of("child_case_record", child.id).reason == "Legal hold: claim 123"


def test_the_review_costs_the_same_statements_whatever_it_finds(make):
    def statements(day):
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            review_on(day)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    home = make.home(beds=1)
    st = shift_type(home)
    make.child(date_of_birth=date(2008, 1, 2))
    few = statements(date(2083, 1, 2))
    for n in range(5):
        make.child(date_of_birth=date(2008, 2, 1 + n))
        shift(home, st, date(2026, 1 + n, 3))
    many = statements(date(2083, 3, 1))
    assert many == few


def _now():
    from homes_app import clock

    return clock.utcnow()
