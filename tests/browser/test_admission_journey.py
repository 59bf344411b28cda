"""A registered manager admits a child through the real pages and sees occupancy change.

The clock is frozen at 22 Nov 2026 10:00 (London); the admission is dated 1 Nov 2026.
"""
from datetime import date

import pytest

pytestmark = pytest.mark.browser


def _figure(page, name: str) -> str:
    return page.locator(f"[data-test={name}]").inner_text().strip()


def _percent(text: str) -> float:
    return float(text.rstrip("%").strip())


def _option_value(select, text: str) -> str:
    """The value of the one option whose text contains `text` (labels may add details)."""
    option = select.locator("option", has_text=text)
    assert option.count() == 1, f"expected one option with {text!r}: {select.inner_text()}"
    return option.get_attribute("value")


def test_manager_admits_a_child_and_sees_occupancy_change(page, network, make, release_db,
                                                          sign_in, screenshot):
    home = make.home(beds=2, name="Rowan House")
    manager = make.user("registered_manager", homes=[home])
    child = make.child(preferred_name="Jamie Rivers", date_of_birth=date(2012, 5, 17))
    home_id, email, child_name = home.id, manager.email, child.preferred_name
    release_db()

    sign_in(email)
    page.goto(f"/homes/{home_id}")
    month_before = _figure(page, "month-occupancy")
    tonight_before = int(_figure(page, "children-tonight"))

    admit = page.locator(f"a[href*='/homes/{home_id}/admit']").first
    assert admit.count() == 1, "the home page has no link to /homes/<id>/admit"
    admit.click()
    page.wait_for_url(f"**/homes/{home_id}/admit**")

    child_select = page.get_by_label("Child", exact=True)
    child_select.select_option(_option_value(child_select, child_name))
    bed_select = page.get_by_label("Bed", exact=True)
    bed_select.select_option(_option_value(bed_select, "Bed 1"))
    when = page.get_by_role("group", name="Date of admission")
    when.get_by_label("Day").fill("1")
    when.get_by_label("Month").fill("11")
    when.get_by_label("Year").fill("2026")
    page.get_by_role("group", name="Type of admission").get_by_label("Planned").check()
    screenshot("admission-journey-form")
    page.get_by_role("button", name="Admit child").click()

    page.wait_for_url(f"**/homes/{home_id}")
    banner = page.locator(".govuk-notification-banner--success")
    banner.wait_for()
    assert page.locator(".govuk-error-summary").count() == 0
    assert int(_figure(page, "children-tonight")) == tonight_before + 1
    month_after = _figure(page, "month-occupancy")
    assert month_after != month_before
    # One of two beds filled every night since the 1st: half the registered places.
    assert _percent(month_after) == pytest.approx(50.0)
    assert child_name in page.locator("[data-test=beds]").inner_text()

    page.evaluate("document.fonts.ready")
    screenshot("admission-journey")
    assert network.bad == [], network.bad
