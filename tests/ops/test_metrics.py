"""/metrics: Prometheus's text format, only for a request bearing METRICS_TOKEN (not served at
all without one); requests counted by route name, never by path; job runs, the outbox and
signed-in sessions read from the database at each scrape."""
from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from homes_app import clock
from homes_app.alerts.models import OutboxEmail
from homes_app.extensions import db
from homes_app.scheduler import lease
from homes_app.scheduler.models import JobRun

TOKEN = "metrics-token-for-tests"


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def test_metrics_are_not_served_without_a_token_setting(client, app):
    app.config["METRICS_TOKEN"] = None
    assert client.get("/metrics").status_code == 404


def test_metrics_refuse_a_request_without_the_right_token(client, app):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    assert b"homes_app" not in wrong.data


def test_requests_are_counted_by_route_name_and_status_never_by_path(client, app, make):
    app.config["METRICS_TOKEN"] = TOKEN
    home = make.home()
    key = ("homes_app_http_requests_total",
           (("method", "GET"), ("route", "homes.show"), ("status", "302")))
    before = scrape(client).get(key, 0)
    client.get(f"/homes/{home.id}")  # not signed in: sent to sign in
    client.get("/no-such-page")
    found = scrape(client)
    assert found[key] == before + 1
    assert found[("homes_app_http_requests_total",
                  (("method", "GET"), ("route", "unmatched"), ("status", "404")))] >= 1
    assert found[("homes_app_http_request_duration_seconds_count",
                  (("method", "GET"), ("route", "homes.show")))] >= 1
    assert not any(f"/homes/{home.id}" in str(labels) or "no-such-page" in str(labels)
                   for _name, labels in found)


def test_job_runs_outbox_and_sessions_come_from_the_database(client, app, make, login):
    app.config["METRICS_TOKEN"] = TOKEN
    now = clock.utcnow()
    for n, outcome in enumerate(["succeeded", "succeeded", "failed"]):
        db.session.add(JobRun(job_name="alert_sweep", scheduled_for=now - timedelta(hours=n),
                              started_at=now - timedelta(hours=n),
                              finished_at=now - timedelta(hours=n), outcome=outcome,
                              runner="test"))
    for minutes in (5, 30):
        db.session.add(OutboxEmail(to_address="someone@council.example", purpose="immediate",
                                   subject="s", body="b", attempts=0,
                                   created_at=now - timedelta(minutes=minutes),
                                   next_attempt_at=now))
    db.session.commit()
    lease.acquire("host:1:abc", 30)
    login(make.user("service_director"))
    clock.freeze(clock.now() + timedelta(seconds=15))
    found = scrape(client)
    assert found[("homes_app_job_runs", (("job", "alert_sweep"), ("outcome", "succeeded")))] == 2
    assert found[("homes_app_job_runs", (("job", "alert_sweep"), ("outcome", "failed")))] == 1
    assert found[("homes_app_job_last_success_timestamp_seconds", (("job", "alert_sweep"),))] \
        == now.timestamp()
    assert found[("homes_app_outbox_depth", ())] == 2
    assert found[("homes_app_outbox_oldest_age_seconds", ())] == 30 * 60 + 15
    assert found[("homes_app_active_sessions", ())] == 1
    assert found[("homes_app_scheduler_heartbeat_age_seconds", ())] == 15
    assert "someone@council.example" not in str(found)
