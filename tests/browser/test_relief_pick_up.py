"""A relief worker on a phone signs in, picks up an open shift in one tap and finds it under
My shifts. The clock is frozen at 22 Nov 2026 10:00 (London)."""
from datetime import time

import pytest

from tests.staffing.support import days, shift, shift_type, staff

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_relief_worker_picks_up_a_shift_on_a_phone(page, network, make, release_db, sign_in,
                                                   screenshot):
    home = make.home(beds=2, name="Rowan House")
    user = make.user("relief_staff", display_name="Rae Relief")
    staff(user=user, name="Rae Relief", inducted=[home])
    night = shift_type(home, "Waking night", time(22), time(8), "waking_night")
    shift(home, night, days(3), offered=True)
    shift(home, shift_type(home, "Early", time(7), time(15)), days(5), offered=True)
    email = user.email
    release_db()

    page.set_viewport_size(PHONE)
    sign_in(email)

    page.wait_for_url("**/open-shifts")
    assert page.get_by_role("heading", level=1).inner_text() == "Open shifts"
    cards = page.locator("[data-test=open-shift]")
    assert cards.count() == 2
    first = cards.first
    assert "Wed 25 Nov: Waking night" in first.inner_text()
    assert "Rowan House" in first.inner_text()
    assert "22:00 to 08:00 next day (10 hours)" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("relief-open-shifts-phone")

    button = first.get_by_role("button", name="Pick up Waking night at Rowan House on "
                                                "Wednesday 25 November")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # full width, easy to tap
    button.click()

    page.wait_for_url("**/my-shifts")
    page.locator(".govuk-notification-banner--success").wait_for()
    assert "is yours" in page.locator(".govuk-notification-banner--success").inner_text()
    mine = page.locator("[data-test=my-shift]")
    assert mine.count() == 1
    assert "Wed 25 Nov: Waking night" in mine.first.inner_text()
    assert "Confirmed" in mine.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/open-shifts")  # the picked-up shift has left the list
    assert page.locator("[data-test=open-shift]").count() == 1
    page.get_by_role("main").get_by_role("link", name="My shifts").click()
    page.wait_for_url("**/my-shifts")
    page.evaluate("document.fonts.ready")
    screenshot("relief-my-shifts-phone")
    assert network.bad == [], network.bad
