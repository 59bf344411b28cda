"""/healthz says the process is up; /readyz that it can serve: the database answers, its
migrations are at head and a scheduler has renewed its lease lately. Both are small JSON, open
without signing in, never throttled, and write nothing: no session touched, no audit row."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select, text

from homes_app import clock, create_app
from homes_app.audit.models import AuditEvent
from homes_app.auth.models import UserSession
from homes_app.extensions import db
from homes_app.scheduler import lease


def test_healthz_answers_without_asking_the_database(client):
    asked = []

    def ask(_conn, _cursor, statement, *_rest):
        asked.append(statement)

    event.listen(db.engine, "before_cursor_execute", ask)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", ask)
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert response.headers["Cache-Control"] == "no-store"
    assert asked == []


def test_readyz_is_ready_when_database_migrations_and_scheduler_are(client):
    lease.acquire("host:1:abc", 30)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ready", "checks": {
        "database": {"ok": True, "says": "reachable"},
        "migrations": {"ok": True, "says": "at head"},
        "scheduler": {"ok": True, "says": "heartbeat 0 s ago"}}}


def test_readyz_is_not_ready_when_no_scheduler_has_renewed_its_lease_lately(client, app):
    assert client.get("/readyz").json["checks"]["scheduler"] == {
        "ok": False, "says": "no heartbeat yet: is flask run-scheduler running?"}
    lease.acquire("host:1:abc", 30)
    clock.freeze(clock.now() + timedelta(seconds=121))
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json["status"] == "not ready"
    assert answer.json["checks"]["scheduler"] == {
        "ok": False, "says": "last heartbeat 121 s ago (limit 120 s)"}
    app.config["READY_SCHEDULER_MAX_AGE_SECONDS"] = 0  # a host whose scheduler runs elsewhere
    assert client.get("/readyz").status_code == 200


def test_readyz_is_not_ready_when_migrations_are_behind(client):
    lease.acquire("host:1:abc", 30)
    (head,) = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0009_merge'"))
    db.session.commit()
    try:
        answer = client.get("/readyz")
    finally:  # PostgreSQL's test database is shared by the whole run
        db.session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        db.session.commit()
    assert answer.status_code == 503
    assert answer.json["checks"]["migrations"] == {
        "ok": False, "says": "not at head: run flask db upgrade"}


def test_readyz_is_not_ready_when_the_database_cannot_be_reached(tmp_path):
    missing = tmp_path / "no-such-folder" / "homes.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}", "SECRET_KEY": "x",
                      "DEVELOPMENT": True, "TESTING": True})
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"] == {"database": {"ok": False,
                                                  "says": "cannot be read (OperationalError)"}}
    assert "no-such-folder" not in answer.get_data(as_text=True)


def test_probes_write_no_session_or_audit_rows_even_for_a_signed_in_caller(
        client, make, login, app):
    login(make.user("service_director"))
    lease.acquire("host:1:abc", 30)
    clock.freeze(clock.now() + timedelta(minutes=10))  # a page now would touch last_seen_at
    before = _session_and_audit_rows()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503  # heartbeat 10 minutes old
    assert _session_and_audit_rows() == before
    client.get("/overview")
    assert _session_and_audit_rows() != before  # the same caller on a page is seen


def test_probes_are_never_throttled(client):
    for _ in range(300):
        assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)


def _session_and_audit_rows():
    return (db.session.scalar(select(func.count()).select_from(AuditEvent)),
            sorted(db.session.execute(select(UserSession.id, UserSession.last_seen_at)).all()))
