"""A registered manager's first sign-in: set up two-factor authentication from the page's
manual key, keep the recovery codes, sign out, and sign in again with a fresh code."""
from datetime import timedelta

import pyotp
import pytest

from homes_app import clock

pytestmark = pytest.mark.browser


def test_a_manager_enrols_at_first_sign_in_then_signs_in_with_a_code(
        page, network, make, release_db, screenshot):
    home = make.home(beds=2, name="Rowan House")
    manager = make.user("registered_manager", homes=[home], two_factor=False)
    home_id, email = home.id, manager.email
    release_db()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(make.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/sign-in/set-up-two-factor")
    assert page.get_by_role("img", name="QR code").evaluate("i => i.naturalWidth") > 0
    key = page.locator("[data-test=manual-key]").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    screenshot("two-factor-set-up")

    # The live server reads the same frozen clock as this test.
    page.get_by_label("Code from your app").fill(totp.at(clock.now()))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor authentication").click()
    codes = page.locator("[data-test=recovery-codes] li")
    assert codes.count() == 10
    screenshot("two-factor-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept my recovery codes").click()
    assert page.url.endswith(f"/homes/{home_id}")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(make.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/sign-in/two-factor")
    # The code just used is refused; the next 30-second step's code is accepted.
    page.get_by_label("Code").fill(totp.at(clock.now()))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "Enter a correct code" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Code").fill(totp.at(clock.now() + timedelta(seconds=30)))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.url.endswith(f"/homes/{home_id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Rowan House"
    assert network.bad == [], network.bad
