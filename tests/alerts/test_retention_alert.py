"""Records past retention: the nightly retention review records its findings; while any wait
for a decision, administrators (and nobody else) have one alert pointing to the review page."""
from __future__ import annotations

from sqlalchemy import select

from homes_app import clock
from homes_app.alerts.models import Alert
from homes_app.alerts.services import visible_to
from homes_app.alerts.sweep import sweep
from homes_app.extensions import db
from homes_app.retention.models import RetentionReview


def finding(record_id: int, count: int = 1) -> RetentionReview:
    review = RetentionReview(record_type="shifts", record_id=record_id, record_count=count,
                             due_on=clock.today(), found_at=clock.utcnow(), state="awaiting")
    db.session.add(review)
    db.session.commit()
    return review


def retention_alerts() -> list[Alert]:
    db.session.expire_all()
    return db.session.scalars(select(Alert).where(Alert.kind == "records_past_retention")
                              .order_by(Alert.id)).all()


def sees(user) -> list[int]:
    return db.session.scalars(select(Alert.id).where(
        Alert.kind == "records_past_retention", visible_to(user))).all()


def run_sweep():
    sweep(clock.now())
    db.session.commit()


def test_nothing_waiting_raises_nothing(app):
    run_sweep()
    assert retention_alerts() == []


def test_findings_waiting_raise_one_alert_for_administrators_only(make):
    admin, director = make.user("administrator"), make.user("service_director")
    manager = make.user("registered_manager", homes=[make.home()])
    finding(201001, count=40)
    finding(201002, count=35)
    run_sweep()
    run_sweep()
    [alert] = retention_alerts()
    assert alert.state == "open" and alert.home_id is None
    assert "2 findings of the retention review (75 records)" in alert.message
    assert alert.link_endpoint == "retention.index"
    assert [sees(u) for u in (admin, director, manager)] == [[alert.id], [], []]


def test_the_alert_resolves_when_every_finding_is_decided(make):
    review = finding(201001)
    run_sweep()
    review.state, review.decided_at, review.reason = "kept", clock.utcnow(), "Legal hold"
    db.session.commit()
    run_sweep()
    [alert] = retention_alerts()
    assert alert.state == "resolved" and alert.active_key is None


def test_the_figure_follows_new_findings(make):
    finding(201001)
    run_sweep()
    finding(201002)
    run_sweep()
    [alert] = retention_alerts()
    assert alert.message.startswith("2 findings")
