"""The report pages: who sees which homes, the filter's messages, the print view, and a
fixed number of queries whatever the number of homes."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from homes_app.audit.models import AuditEvent
from homes_app.extensions import db
from tests.test_access import QueryCounter

from .support import admit, discharge, occupancy_world

REPORTS = ["occupancy", "moves", "local-placement", "cost", "staffing"]
Q1 = {"period_from": ["1", "1", "2028"], "period_to": ["31", "3", "2028"]}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_opens_for_a_director_with_the_default_period(client, make, login,
                                                                   report):
    occupancy_world(make)
    login(make.user("service_director"))
    page = client.get(f"/reports/{report}")
    assert page.status_code == 200
    # The last twelve whole months before 22 Nov 2026.
    assert "1 Nov 2025 to 31 Oct 2026" in text(page)


def test_the_occupancy_page_shows_the_chart_and_the_table_of_the_same_numbers(client, make,
                                                                              login):
    occupancy_world(make)
    login(make.user("service_director"))
    page = text(client.get("/reports/occupancy", query_string=Q1))
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "Occupancy against registered places by month" in page
    assert "19.4%" in page and "50.0%" in page  # January and March for Ash House
    assert "£82,285.71" in page


def test_a_manager_sees_only_their_own_homes(client, make, login):
    ash = occupancy_world(make)
    elm = make.home(name="Elm House")
    login(make.user("registered_manager", homes=[ash]))
    page = text(client.get("/reports/occupancy", query_string=Q1))
    assert "Ash House" in page and "Elm House" not in page
    # Asking for another home by its id is refused beside the field, and shows nothing of it.
    page = client.get("/reports/occupancy", query_string={**Q1, "home": [str(elm.id)]})
    assert page.status_code == 200
    assert "Select homes from the list" in text(page) and "Elm House" not in text(page)
    download = client.get("/reports/occupancy",
                          query_string={**Q1, "home": [str(elm.id)], "format": "csv"})
    assert "Elm House" not in download.get_data(as_text=True)


def test_a_director_chooses_homes_and_a_home_type(client, make, login):
    ash = occupancy_world(make)
    make.home(name="Elm House", home_type="solo")
    login(make.user("service_director"))
    page = text(client.get("/reports/occupancy", query_string=Q1))
    assert '<th scope="row">Ash House' in page and '<th scope="row">Elm House' in page
    page = text(client.get("/reports/occupancy", query_string={**Q1, "home_type": "solo"}))
    assert "<th scope=\"row\">Ash House" not in page
    page = text(client.get("/reports/occupancy", query_string={**Q1, "home": [str(ash.id)]}))
    assert "<th scope=\"row\">Elm House" not in page


@pytest.mark.parametrize("reader", ["home_staff", "relief_staff"])
def test_others_are_refused(client, make, login, reader):
    home = make.home()
    login(make.user(reader, homes=[home] if reader == "home_staff" else []))
    for report in ["", *[f"/{r}" for r in REPORTS]]:
        assert client.get(f"/reports{report}").status_code == 403


@pytest.mark.parametrize(("query", "message"), [
    ({"period_from": ["1", "4", "2028"], "period_to": ["31", "3", "2028"]},
     "The end of the period must be the same as or after its start"),
    ({"period_from": ["1", "1", "2020"], "period_to": ["31", "12", "2025"]},
     "The period can be at most 5 years"),
    ({"period_from": ["1", "1", "2028"]}, "Enter the last day of the period"),
    ({"period_to": ["1", "1", "2028"]}, "Enter the first day of the period"),
    ({"period_from": ["31", "2", "2028"], "period_to": ["1", "3", "2028"]},
     "From must be a real date"),
    ({**Q1, "home": ["999999"]}, "Select homes from the list"),
    ({**Q1, "home": ["not a number"]}, "Select homes from the list"),
])
def test_bad_filters_get_a_clear_message_and_keep_what_was_typed(client, make, login, query,
                                                                 message):
    make.home()
    login(make.user("service_director"))
    page = client.get("/reports/occupancy", query_string=query)
    assert page.status_code == 200
    body = text(page)
    assert "There is a problem" in body and message in body
    assert "data-test=\"report-table\"" not in body


def test_a_refused_period_keeps_what_was_typed(client, make, login):
    login(make.user("service_director"))
    page = client.get("/reports/occupancy", query_string={
        "period_from": ["1", "4", "2028"], "period_to": ["31", "3", "2028"]}).get_data(
        as_text=True)
    assert re.search(r'id="period_from-month"[^>]*value="4"', page)
    assert re.search(r'id="period_to-day"[^>]*value="31"', page)


def test_an_empty_period_shows_an_empty_report_not_an_error(client, make, login):
    make.home(registered_on=date(2027, 6, 1))
    login(make.user("service_director"))
    for report in REPORTS:
        page = client.get(f"/reports/{report}", query_string={
            "period_from": ["1", "1", "2026"], "period_to": ["31", "1", "2026"]})
        assert page.status_code == 200
        assert "Nothing to report for this period" in text(page), report


def test_the_print_view_leaves_out_the_filters_and_links(client, make, login):
    occupancy_world(make)
    login(make.user("service_director"))
    page = text(client.get("/reports/occupancy", query_string={**Q1, "print": "1"}))
    assert 'data-test="filter"' not in page and 'data-test="downloads"' not in page
    assert 'data-test="report-table"' in page
    assert re.search(r'href="/static/reports(\.[0-9a-f]+)?\.css"', page)  # its print styles


def test_links_carry_the_period_shown(client, make, login):
    occupancy_world(make)
    login(make.user("service_director"))
    page = client.get("/reports/occupancy", query_string=Q1).get_data(as_text=True)
    link = re.search(r'href="([^"]*format=xlsx[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "period_from=1&period_from=1&period_from=2028" in link


def test_the_settings_page_saves_the_external_price_and_targets(client, make, login):
    from homes_app.reports import settings
    from tests.helpers import submit

    login(make.user("administrator"))
    response = submit(client, "/reports/settings", {
        "external_weekly_price": "6,100.50", "in_area_target_pct": "70",
        "within_20_miles_target_pct": "80"})
    assert response.status_code == 302
    assert settings.load() == settings.ReportSettings(610050, 70, 80)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "settings.update")).one()
    assert event.before["external_weekly_price_pence"] == 576900
    assert event.after["external_weekly_price_pence"] == 610050
    refused = submit(client, "/reports/settings", {
        "external_weekly_price": "", "in_area_target_pct": "170",
        "within_20_miles_target_pct": "80"})
    assert "Enter the external weekly price" in text(refused)
    assert settings.load() == settings.ReportSettings(610050, 70, 80)


def populate(make, homes: int):
    for n in range(homes):
        home = make.home(beds=2, postcode="DE1 2AB")
        stay = admit(home, 0, make.child(home_postcode=""), date(2026, 1, 10), emergency=n % 2)
        discharge(stay, date(2026, 3, 1))
        admit(home, 1, make.child(), date(2026, 2, 10))
    db.session.commit()


def queries(client, url: str) -> int:
    client.get(url)
    with QueryCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("report", REPORTS)
def test_each_report_costs_the_same_queries_for_one_home_or_many(client, make, login, report):
    login(make.user("service_director"))
    populate(make, 1)
    one = queries(client, f"/reports/{report}")
    populate(make, 7)
    assert queries(client, f"/reports/{report}") == one


@pytest.mark.parametrize(("role", "sees"), [("service_director", True), ("administrator", True),
                                            ("registered_manager", True),
                                            ("home_staff", False)])
def test_the_reports_link_is_in_the_navigation_of_those_who_may_read_them(client, make, login,
                                                                        role, sees):
    home = make.home()
    login(make.user(role, homes=[home] if role in ("registered_manager", "home_staff") else []))
    page = client.get("/homes").get_data(as_text=True)
    assert ('href="/reports"' in page) is sees


def test_local_placement_links_to_where_postcodes_are_corrected(client, make, login):
    make.home()
    login(make.user("service_director"))
    page = client.get("/reports/local-placement").get_data(as_text=True)
    from flask import url_for

    with client.application.test_request_context():
        overrides = url_for("postcodes.index")
    assert f'href="{overrides}">Set a postcode\'s location by hand' in page.replace("&#39;", "'")
    assert "Set the council" not in page  # an administrator's setting
