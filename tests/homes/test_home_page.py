"""A home's page: occupancy for any period with voids by reason, and recent moves; the
overview's council total."""
from __future__ import annotations

import re
from datetime import date

from homes_app.extensions import db
from homes_app.homes.models import BedOutOfUse
from homes_app.placements import services as moves

TODAY = date(2026, 11, 22)


def cells(html: str, test: str) -> dict[str, str]:
    table = re.search(rf'data-test="{test}".*?</table>', html, re.S).group(0)
    return dict(re.findall(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>([^<]+)</td>', table))


def home_with_moves(make):
    home = make.home(beds=2, max_children=2, name="Rowan House")
    stay = moves.admit_child(home.id, home.beds[0].id, make.child(preferred_name="Sam"),
                             date(2026, 10, 1), emergency=True, actor=None, today=TODAY)
    moves.discharge_child(stay, date(2026, 10, 11), destination="family", planned=True,
                          actor=None, today=TODAY)
    db.session.add(BedOutOfUse(bed_id=home.beds[1].id, reason="repairs",
                               starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 6)))
    db.session.commit()
    return home


def test_occupancy_for_a_chosen_period_shows_voids_by_reason(client, make, login):
    home = home_with_moves(make)
    login(make.user("service_director"))
    html = client.get(f"/homes/{home.id}?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    figures = cells(html, "period-occupancy")
    assert figures["Registered places"] == "62" and figures["Beds in use"] == "57"
    assert (figures["Occupied"], figures["Out of use"], figures["Vacant"]) == ("10", "5", "47")
    assert figures["Occupancy against registered places"] == "16.1%"


def test_a_period_that_ends_before_it_starts_gets_a_message(client, make, login):
    home = home_with_moves(make)
    login(make.user("service_director"))
    page = client.get(f"/homes/{home.id}?from=2026-10-31&to=2026-10-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The last night must be the same as or after the first night" in html
    assert 'data-test="period-occupancy"' not in html
    assert "Enter the first night as a real date" in client.get(
        f"/homes/{home.id}?from=2026-02-30").get_data(as_text=True)


def test_recent_moves_list_arrivals_and_departures_newest_first(client, make, login):
    home = home_with_moves(make)
    login(make.user("registered_manager", homes=[home]))
    html = client.get(f"/homes/{home.id}").get_data(as_text=True)
    table = re.search(r'data-test="recent-moves".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row\">\s*<td[^>]*>([^<]+)</td>\s*"
                      r"<td[^>]*>([^<]+)</td>", table)
    assert rows == [("11 Oct 2026", "Discharge"), ("1 Oct 2026", "Emergency admission")]
    assert "Sam" in table


def test_the_overview_adds_up_the_council(client, make, login):
    for _ in range(2):
        home = make.home(beds=2, max_children=2)
        moves.admit_child(home.id, home.beds[0].id, make.child(), date(2026, 11, 1),
                          emergency=False, actor=None, today=TODAY)
    make.home(beds=3, max_children=3, status="registering", ofsted_urn=None,
              registered_on=None)
    db.session.commit()
    login(make.user("service_director"))
    html = client.get("/overview").get_data(as_text=True)
    total = re.search(r'data-test="council-total".*?</tr>', html, re.S).group(0)
    assert "2 of 4" in total  # the registering home's places are not yet counted
