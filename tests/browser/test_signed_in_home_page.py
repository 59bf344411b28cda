"""The harness itself: a manager signs in through the real page and sees their home, styled."""
import pytest

pytestmark = pytest.mark.browser


def test_manager_signs_in_and_sees_a_styled_home_page(page, network, make, release_db,
                                                      sign_in, screenshot):
    home = make.home(beds=2, name="Beech House")
    manager = make.user("registered_manager", homes=[home])
    home_id, email = home.id, manager.email
    release_db()

    sign_in(email)

    assert page.url.endswith(f"/homes/{home_id}")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Beech House"
    assert page.locator("[data-test=children-tonight]").inner_text() == "0"

    # GOV.UK Frontend's stylesheet and fonts were served and applied.
    page.evaluate("document.fonts.ready")
    assert "GDS Transport" in heading.evaluate("h => getComputedStyle(h).fontFamily")
    assert page.evaluate("document.fonts.check('bold 32px \"GDS Transport\"')")
    assert page.locator("body").evaluate(
        "b => b.classList.contains('govuk-frontend-supported')"), "GOV.UK JavaScript did not start"
    screenshot("home-page-signed-in")
    assert network.bad == []


def test_a_wrong_password_shows_the_error_beside_the_form(page, network, make, release_db):
    manager = make.user("registered_manager", homes=[make.home(beds=1)])
    email = manager.email
    release_db()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert "/sign-in" in page.url
    # The refused log-in answers with a 4xx or 200 page by design; nothing else may fail.
    assert [entry for entry in network.bad if "/sign-in" not in entry] == []


def test_the_home_page_fits_a_phone_screen(page, network, make, release_db, sign_in,
                                           screenshot):
    home = make.home(beds=3, name="Alder House")
    email = make.user("registered_manager", homes=[home]).email
    release_db()

    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(email)

    assert page.get_by_role("heading", level=1).inner_text() == "Alder House"
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("home-page-phone")
    assert network.bad == []
