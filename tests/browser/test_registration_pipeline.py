"""A service director watches the registration pipeline while a registered manager, signed in
elsewhere, records a late step as done: the projected opening date moves.

The clock is frozen at 22 Nov 2026 (London). The plan started 100 days ago, so its first
step (property secured, due 40 days ago) is overdue and drives the opening date; the manager
records it as done 30 days ago, which brings the opening 30 days closer.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from homes_app.extensions import db
from homes_app.registration import seed
from homes_app.registration.plans import services
from homes_app.registration.plans.models import PlanStep

from .conftest import RESULTS

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 22)


def _date(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def test_the_opening_date_moves_when_a_manager_completes_a_late_step(
        page, browser, live_server, network, make, release_db, sign_in, screenshot):
    seed.seed_template()
    seed.seed_rules()
    home = make.home(beds=2, name="Rowan Lodge", status="registering", registered_on=None,
                     ofsted_urn=None)
    manager = make.user("registered_manager", homes=[home])
    director = make.user("service_director")
    services.start_plan(home.id, TODAY - timedelta(days=100), actor=manager,
                        today=TODAY - timedelta(days=100))
    db.session.commit()
    step = db.session.query(PlanStep).filter(PlanStep.home_id == home.id,
                                             PlanStep.name.startswith("Property")).one()
    home_id, step_id, step_name = home.id, step.id, step.name
    manager_email, director_email = manager.email, director.email
    release_db()

    sign_in(director_email)
    page.goto("/registration")
    row = page.locator(f"[data-test=pipeline-home-{home_id}]")
    assert row.locator("[data-test=projected-opening]").inner_text().strip() == \
        _date(TODAY + timedelta(days=155))
    assert step_name in row.inner_text()  # what drives it
    assert row.locator("[data-test=days-late]").inner_text().strip() == "40"
    screenshot("registration-pipeline-before")

    # The manager, in a browser of their own.
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                     "height": 900})
    other.set_default_timeout(10_000)
    mine = other.new_page()
    mine.on("response", network.on_response)
    mine.on("requestfailed", network.on_failed)
    try:
        sign_in(manager_email, on=mine)  # with the second factor their role requires
        mine.goto(f"/homes/{home_id}/registration")
        assert mine.locator("[data-test=driver]").inner_text().strip() == step_name
        mine.locator(f"a[href='/registration/steps/{step_id}/complete']").click()
        mine.wait_for_url(f"**/registration/steps/{step_id}/complete")
        when = mine.get_by_role("group", name="Date it was done")
        done_on = TODAY - timedelta(days=30)
        when.get_by_label("Day").fill(str(done_on.day))
        when.get_by_label("Month").fill(str(done_on.month))
        when.get_by_label("Year").fill(str(done_on.year))
        mine.get_by_label("Evidence note (optional)").fill("Lease signed; keys held by estates")
        mine.get_by_role("button", name="Save as done").click()
        mine.wait_for_url(f"**/homes/{home_id}/registration")
        mine.locator(".govuk-notification-banner--success").wait_for()
        assert mine.locator("[data-test=projected-opening]").inner_text().strip() == \
            _date(TODAY + timedelta(days=125))
        RESULTS.mkdir(exist_ok=True)
        mine.screenshot(path=str(RESULTS / "registration-plan-manager.png"), full_page=True)
    finally:
        other.close()

    page.reload()
    row = page.locator(f"[data-test=pipeline-home-{home_id}]")
    assert row.locator("[data-test=projected-opening]").inner_text().strip() == \
        _date(TODAY + timedelta(days=125))
    assert row.locator("[data-test=days-late]").inner_text().strip() == "10"
    page.evaluate("document.fonts.ready")
    screenshot("registration-pipeline-after")
    assert network.bad == [], network.bad
