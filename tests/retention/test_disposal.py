"""Disposal does exactly what docs/retention.md says: a child's record is anonymised and their
stays kept, so occupancy does not change; rota months are deleted; audit events go only by the
operator procedure; and no audit record of a disposal carries personal data."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, select

from homes_app import clock
from homes_app.audit.models import AuditEvent, AuditEventChild
from homes_app.audit.services import record_read
from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.placements import services as moves
from homes_app.placements.models import Child, Placement, PlacementCorrection
from homes_app.placements.queries import occupancy_by_home
from homes_app.retention import services
from homes_app.retention.models import RetentionReview
from homes_app.staffing.people.models import Absence, Induction, StaffMember, TrainingRecord
from homes_app.staffing.rota.models import RotaPublication, Shift, ShiftAssignment
from tests.staffing.support import shift, shift_type, staff

from .support import TODAY, audit_rows, count, publication, review_of, review_on, stay

PERIOD = (date(2026, 1, 1), date(2027, 1, 1))


@pytest.fixture
def placed(make):
    """Two children in one home in 2026; the first's stay has a correction."""
    home = make.home(beds=2)
    first = make.child(preferred_name="Ruby Example", case_reference="LCS991122",
                       date_of_birth=date(2010, 4, 3), home_postcode="DE22 1AA",
                       needs="ebd")
    second = make.child(date_of_birth=date(2013, 9, 9))
    p = stay(make, home, first, date(2026, 2, 1), date(2026, 8, 1))
    moves.correct_dates(p, starts_on=date(2026, 2, 3), ends_on=date(2026, 8, 1),
                        reason="Ruby arrived on the 3rd", actor=None, today=TODAY)
    stay(make, home, second, date(2026, 3, 1), bed=1)
    db.session.commit()
    return home, first, second


def test_disposing_of_a_childs_record_anonymises_it_and_keeps_occupancy(placed, make):
    home, first, second = placed
    admin = make.user("administrator")
    before = occupancy_by_home(*PERIOD)
    stays_before = _stays(first.id)
    review_on(date(2085, 4, 3))
    services.dispose(review_of("child_case_record", first.id), actor=admin, now=clock.utcnow())
    db.session.commit()
    db.session.expire_all()

    child = db.session.get(Child, first.id)
    assert (child.preferred_name, child.case_reference, child.home_postcode, child.needs) == (
        "Anonymised", f"ANON-{first.id}", "", "")
    assert child.date_of_birth == date(2010, 1, 1)  # the year only
    assert (child.sex, child.legal_status) == ("female", "C2")
    assert _stays(first.id) == stays_before
    assert count(PlacementCorrection) == 0  # its reason named the child
    assert occupancy_by_home(*PERIOD) == before
    untouched = db.session.get(Child, second.id)
    assert untouched.preferred_name != "Anonymised"
    assert review_of("child_case_record", first.id).state == "disposed"


def test_the_audit_record_of_a_disposal_has_no_personal_data(placed, make):
    _home, first, _second = placed
    admin = make.user("administrator")
    review_on(date(2085, 4, 3))
    review = review_of("child_case_record", first.id)
    services.dispose(review, actor=admin, now=clock.utcnow())
    db.session.commit()
    (event,) = audit_rows("retention.dispose")
    assert (event.subject_type, event.subject_id, event.actor_id) == (
        "retention_reviews", review.id, admin.id)
    assert event.after == {"record_type": "child_case_record", "record_id": first.id,
                           "due_on": "2085-04-03", "records_disposed": 1}
    written = json.dumps([event.before, event.after])
    for personal in ("Ruby", "LCS991122", "2010-04-03", "DE22"):
        assert personal not in written
    # ... and it is on the child's own trail, which "who has seen this child" reads.
    assert db.session.scalars(select(AuditEventChild.child_id).where(
        AuditEventChild.audit_event_id == event.id)).all() == [first.id]


def test_a_decision_is_taken_once(placed, make):
    _home, first, _second = placed
    review_on(date(2085, 4, 3))
    review = review_of("child_case_record", first.id)
    services.keep(review, "Legal hold", actor=None, now=clock.utcnow())
    db.session.commit()
    with pytest.raises(DomainError, match="already been decided"):
        services.dispose(review, actor=None, now=clock.utcnow())
    db.session.rollback()
    assert db.session.get(Child, first.id).preferred_name == "Ruby Example"


def test_keeping_needs_a_reason_and_records_it(placed, make):
    _home, first, _second = placed
    admin = make.user("administrator")
    review_on(date(2085, 4, 3))
    review = review_of("child_case_record", first.id)
    with pytest.raises(DomainError) as refused:
        services.keep(review, "   ", actor=admin, now=clock.utcnow())
    assert refused.value.field == "reason"
    services.keep(review, "Legal hold: inquiry", actor=admin, now=clock.utcnow())
    db.session.commit()
    review = review_of("child_case_record", first.id)
    assert (review.state, review.reason, review.decided_by_id) == (
        "kept", "Legal hold: inquiry", admin.id)
    assert db.session.get(Child, first.id).preferred_name == "Ruby Example"
    (event,) = audit_rows("retention.keep")
    assert event.after["reason"] == "Legal hold: inquiry"


def test_disposing_of_a_rota_month_deletes_its_shifts_bookings_and_nothing_else(make):
    home = make.home(beds=1)
    st = shift_type(home)
    person = staff(home)
    march = [shift(home, st, date(2026, 3, d), assignee=person) for d in (2, 31)]
    april = shift(home, st, date(2026, 4, 1), assignee=person)
    publication(home, date(2026, 3, 2))
    publication(home, date(2026, 4, 6))
    review_on(date(2041, 4, 30))
    services.dispose(review_of("rota_shifts", 202603), actor=None, now=clock.utcnow())
    services.dispose(review_of("rota_publications", 202603), actor=None, now=clock.utcnow())
    db.session.commit()
    assert set(db.session.scalars(select(Shift.id))) == {april.id}
    assert set(db.session.scalars(select(ShiftAssignment.shift_id))) == {april.id}
    assert [p.week_start for p in db.session.scalars(select(RotaPublication))] == [
        date(2026, 4, 6)]
    assert march  # two shifts were made in March
    assert audit_rows("retention.dispose")[0].after["records_disposed"] == 2


def test_disposing_of_a_former_member_of_staff_anonymises_them(make):
    home = make.home(beds=1)
    person = staff(home, name="Sam Worker", inducted=[home])
    st = shift_type(home)
    worked = shift(home, st, date(2026, 6, 1), assignee=person)
    db.session.add(Absence(staff_id=person.id, kind="sick", starts_on=date(2026, 6, 2),
                           ends_on=date(2026, 6, 3), note="", recorded_at=clock.utcnow()))
    person.active = False
    db.session.commit()
    review_on(date(2041, 6, 3))
    services.dispose(review_of("staff_member", person.id), actor=None, now=clock.utcnow())
    db.session.commit()
    db.session.expire_all()
    gone = db.session.get(StaffMember, person.id)
    assert gone.name == f"Anonymised ({person.id})"
    assert (gone.dbs_issued_on, gone.user_id) == (None, None)
    assert count(TrainingRecord) == count(Induction) == count(Absence) == 0
    assert db.session.get(Shift, worked.id).assignee_id == person.id


def test_audit_events_are_not_deleted_from_the_page_but_by_the_operator_procedure(app, make):
    admin = make.user("administrator")
    old = AuditEvent(occurred_at=clock.utcnow(), action="test.old", subject_type="homes",
                     subject_id=1)
    db.session.add(old)
    db.session.commit()
    review_on(date(2041, 12, 1))
    review = review_of("audit_events", 202611)
    assert review.record_count >= 1
    with pytest.raises(DomainError, match="operator procedure"):
        services.dispose(review, actor=admin, now=clock.utcnow())
    db.session.rollback()

    result = app.test_cli_runner().invoke(
        args=["retention-purge-audit", str(review.id), "--by", admin.email])
    assert result.exit_code == 0, result.output
    db.session.rollback()  # the command committed in its own session: read afresh
    assert audit_rows("test.old") == []
    (purge,) = audit_rows("retention.audit_purge")
    assert purge.after["records_disposed"] == review.record_count
    assert review_of("audit_events", 202611).state == "disposed"
    # The append-only guard is back for everyone else.
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == purge.id))
        db.session.flush()
    db.session.rollback()


def test_reads_go_with_the_month_and_take_the_children_they_name_with_them(app, make):
    # Reads of children's data are audit events like any other (issue 20, F2): kept as long,
    # purged by the same procedure, with the children each one names.
    admin, child = make.user("administrator"), make.child()
    record_read(None, "children.list", [child.id])
    db.session.commit()
    review_on(date(2041, 12, 1))
    result = app.test_cli_runner().invoke(args=[
        "retention-purge-audit", str(review_of("audit_events", 202611).id), "--by", admin.email])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert audit_rows("children.list") == [] and count(AuditEventChild) == 0
    # The children's append-only guard is back too.
    record_read(None, "children.list", [child.id])
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(delete(AuditEventChild))
        db.session.flush()
    db.session.rollback()


def test_the_operator_procedure_needs_an_active_administrator(app, make):
    manager = make.user("registered_manager")
    db.session.add(AuditEvent(occurred_at=clock.utcnow(), action="test.old",
                              subject_type="homes", subject_id=1))
    db.session.commit()
    review_on(date(2041, 12, 1))
    review = review_of("audit_events", 202611)
    result = app.test_cli_runner().invoke(
        args=["retention-purge-audit", str(review.id), "--by", manager.email])
    assert result.exit_code != 0
    assert "not an active administrator" in result.output
    db.session.rollback()
    assert db.session.get(RetentionReview, review.id).state == "awaiting"


def _stays(child_id: int) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(
        select(Placement.id, Placement.home_id, Placement.bed_id, Placement.starts_on,
               Placement.ends_on, Placement.status).where(Placement.child_id == child_id)
        .order_by(Placement.id))]




def test_reg40_notifications_and_absences_are_deleted_when_confirmed(make):
    from datetime import datetime

    from homes_app.registration.compliance.models import Reg40Notification

    home = make.home(beds=1)
    person = staff(home)
    event_at = datetime(2026, 11, 20, 23, 30, tzinfo=clock.LONDON)
    note = Reg40Notification(home_id=home.id, event_type="serious_injury", event_at=event_at,
                             summary="", notified_to="", recorded_at=clock.utcnow())
    db.session.add_all([note, Absence(staff_id=person.id, kind="sick",
                                      starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31),
                                      note="", recorded_at=clock.utcnow())])
    db.session.commit()
    review_on(date(2032, 10, 30))  # the absence ended 31 Oct 2026: kept 6 years
    assert review_of("staff_absences", 202610) is None
    review_on(date(2032, 10, 31))
    services.dispose(review_of("staff_absences", 202610), actor=None, now=clock.utcnow())
    db.session.commit()
    review_on(date(2041, 11, 19))
    assert review_of("reg40_notification", note.id) is None
    review_on(date(2041, 11, 20))  # 15 years from the event's UK date
    services.dispose(review_of("reg40_notification", note.id), actor=None, now=clock.utcnow())
    db.session.commit()
    assert count(Reg40Notification) == count(Absence) == 0
