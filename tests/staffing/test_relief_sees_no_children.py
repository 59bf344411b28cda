"""Relief staff never see a child's name or record: every page they can reach, walked from the
URL map with their own records, shows none of the children placed in the homes they work at."""
from __future__ import annotations

import re
from datetime import date

from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.placements import services as moves
from homes_app.staffing.relief import services as relief

from .support import NOW, TODAY, days, shift


def test_no_page_a_relief_worker_can_reach_shows_a_child(app, client, login, make, staffed):
    children = [make.child(preferred_name="Zephyrine Quill", case_reference="LCS-ZQ-881"),
                make.child(preferred_name="Ottoline Brack", case_reference="LCS-OB-772")]
    moves.admit_child(staffed.home.id, staffed.home.beds[0].id, children[0], date(2026, 11, 1),
                      emergency=False, actor=None, today=TODAY)
    moves.plan_admission(staffed.home.id, staffed.home.beds[1].id, children[1], days(10),
                         actor=None, today=TODAY)
    picked = shift(staffed.home, staffed.day, days(4), offered=True)
    relief.pick_up_shift(picked.id, staffed.relief.id, actor=None, now=NOW)
    shift(staffed.home, staffed.day, days(6), offered=True)
    db.session.commit()
    login(db.session.get(User, staffed.relief.user_id))
    feed = re.search(r"(/calendar/[^<]+)</code>",
                     client.get("/my-shifts").get_data(as_text=True)).group(1)
    ids = {"staff_id": staffed.relief.id, "shift_id": picked.id, "home_id": staffed.home.id,
           "token": feed.rsplit("/", 1)[1].removesuffix(".ics")}
    reached = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "govuk_assets"):
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)
        if any(n not in ids for n in names):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200:
            continue
        reached.append(rule.endpoint)
        body = response.get_data(as_text=True)
        for child in children:
            assert child.preferred_name not in body, url
            assert child.case_reference not in body, url
    assert {"staffing.open_shifts", "staffing.my_shifts", "staffing.staff_show",
            "staffing.calendar_feed", "auth.start"} <= set(reached)
    assert not {e for e in reached if e.startswith(("placements.", "homes.", "audit."))}
