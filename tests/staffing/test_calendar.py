"""The private calendar feed: stable UIDs, rising SEQUENCE, cancellations as STATUS:CANCELLED,
and a reset making the old link stale (a clear message, nothing written)."""
from __future__ import annotations

import re

from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota import services as rota
from tests.helpers import hidden_fields

from .support import NOW, state


def feed_url(client) -> str:
    html = client.get("/my-shifts").get_data(as_text=True)
    return re.search(r'data-test="calendar-link"><code>http://[^/]+(/calendar/[^<]+)</code>',
                     html).group(1)


def events(body: str) -> dict[str, dict[str, str]]:
    unfolded = body.replace("\r\n ", "")
    found = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.S):
        fields = dict(line.split(":", 1) for line in block.strip().split("\r\n"))
        found[fields["UID"]] = fields
    return found


def test_the_feed_follows_changes_and_cancellations(app, client, login, staffed):
    login(db.session.get(User, staffed.relief.user_id))
    url = feed_url(client)
    client = app.test_client()  # no session: calendar apps cannot sign in
    relief.pick_up_shift(staffed.open_shift.id, staffed.relief.id, actor=None, now=NOW)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    uid = f"shift-{staffed.open_shift.id}-staff-{staffed.relief.id}@homes-app"
    event = events(body)[uid]
    assert (event["STATUS"], event["SEQUENCE"]) == ("CONFIRMED", "1")
    assert (event["DTSTART"], event["DTEND"]) == ("20261125T220000Z", "20261126T080000Z")
    assert event["SUMMARY"] == "Waking night shift at Ash House"
    rota.cancel_shift(staffed.open_shift, reason="Not needed after all", actor=None, now=NOW)
    db.session.commit()
    event = events(client.get(url).get_data(as_text=True))[uid]
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", "2")
    assert event["DESCRIPTION"] == "Shift cancelled: Not needed after all"


def test_a_reset_link_makes_the_old_one_stale(client, login, staffed):
    login(db.session.get(User, staffed.relief.user_id))
    old = feed_url(client)
    page = client.get("/my-shifts").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/my-shifts/calendar/reset".*?</form>', page,
                     re.S).group(0)
    assert client.post("/my-shifts/calendar/reset", data=hidden_fields(form)).status_code == 302
    new = feed_url(client)
    assert new != old
    before = state()
    stale = client.get(old)
    assert stale.status_code == 401
    assert "This calendar link is no longer valid" in stale.get_data(as_text=True)
    assert state() == before
    assert client.get(new).status_code == 200
    assert client.get(new.replace(f"/{staffed.relief.id}/", f"/{staffed.worker.id}/")
                      ).status_code == 401
