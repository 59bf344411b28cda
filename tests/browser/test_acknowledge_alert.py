"""A manager sees an alert about their home, acknowledges it with a note, and sees it
acknowledged, with the header count going down."""
from __future__ import annotations

import pytest

from homes_app.extensions import db
from tests.alerts.support import make_alert

pytestmark = pytest.mark.browser


def test_a_manager_acknowledges_an_alert_with_a_note(page, network, make, release_db, sign_in,
                                                    screenshot):
    home = make.home(beds=1, name="Beech House")
    manager = make.user("registered_manager", homes=[home], display_name="Rowan Manager")
    alert = make_alert(home.id, kind="shift_uncovered", severity="high",
                       message="Beech House: the Sleep-in shift starting Sun 22 Nov 2026 21:00 "
                               "has nobody on it.")
    make_alert(make.home(name="Elm House").id, message="Elm House has no bed tonight")
    db.session.commit()
    alert_id, email = alert.id, manager.email
    release_db()

    sign_in(email)
    nav = page.locator("[data-test=alerts-count]")
    assert "Alerts (1)" in nav.inner_text()
    nav.click()

    row = page.locator(f"[data-alert='{alert_id}']")
    assert "nobody on it" in row.inner_text()
    assert "Elm House" not in page.locator("[data-test=alerts]").inner_text()
    screenshot("alerts-open")
    row.get_by_role("link", name="Acknowledge").click()

    page.get_by_label("Note (optional)").fill("Relief pool asked; agency booked as back-up")
    page.get_by_role("button", name="Acknowledge alert").click()

    page.locator(".govuk-notification-banner").wait_for()
    assert "Alert acknowledged" in page.locator(".govuk-notification-banner").inner_text()
    state = page.locator(f"[data-alert='{alert_id}'] [data-test=state]").inner_text()
    assert "Acknowledged by Rowan Manager" in state
    assert "Relief pool asked; agency booked as back-up" in state
    assert page.locator(f"[data-alert='{alert_id}']").get_by_role(
        "link", name="Acknowledge").count() == 0
    assert "Alerts (0)" in page.locator("[data-test=alerts-count]").inner_text()
    screenshot("alert-acknowledged")
    assert network.bad == []
