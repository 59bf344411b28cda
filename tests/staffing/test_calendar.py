"""The private calendar feed: stable UIDs, rising SEQUENCE, cancellations as STATUS:CANCELLED,
a reset making the old link stale (a clear message, nothing written), and text typed with line
breaks, commas, semicolons, backslashes or at any length kept inside its own property."""
from __future__ import annotations

import re

from icalendar import Calendar

from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.staffing.relief import services as relief
from homes_app.staffing.rota import services as rota
from tests.helpers import hidden_fields

from .support import NOW, days, shift, state


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


LONG = ("Café £5 " * 30)[:199] + "."  # 200 characters, some of them two octets
INJECTED = "ATTENDEE:mailto:evil@example.com"
HOME_NAME = f"Ash\rHouse\nEND:VEVENT\r\nBEGIN:VEVENT\r{INJECTED}, Unit 1; Rear \\ Café"
NOTE = f"x\r{INJECTED}\nline two\r\nthree, with; a \\ backslash {LONG}"


def as_read_back(text: str) -> str:
    """A line break comes back as a line feed, however it was typed (RFC 5545 has only \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_text_with_line_breaks_and_separators_stays_inside_its_property(app, client, login,
                                                                       staffed):
    staffed.home.name = HOME_NAME
    staffed.home.address = f"1 Long Road\r\nDerby\r{INJECTED}"
    db.session.commit()
    booked = shift(staffed.home, staffed.day, days(4), assignee=staffed.relief)
    relief.pick_up_shift(staffed.open_shift.id, staffed.relief.id, actor=None, now=NOW)
    rota.cancel_shift(staffed.open_shift, reason=NOTE, actor=None, now=NOW)
    db.session.commit()
    login(db.session.get(User, staffed.relief.user_id))
    body = app.test_client().get(feed_url(client)).get_data()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded, in octets
    assert b"\r" not in body.replace(b"\r\n", b"") and b"\n" not in body.replace(b"\r\n", b"")
    unfolded = body.replace(b"\r\n ", b"").split(b"\r\n")
    assert not [line for line in unfolded if line.startswith((b"ATTENDEE", b"Derby"))]
    found = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    assert sorted(found) == sorted(
        f"shift-{s.id}-staff-{staffed.relief.id}@homes-app" for s in (booked, staffed.open_shift))
    cancelled = found[f"shift-{staffed.open_shift.id}-staff-{staffed.relief.id}@homes-app"]
    assert str(cancelled["SUMMARY"]) == as_read_back(
        f"Cancelled: Waking night shift at {HOME_NAME}")
    assert str(cancelled["DESCRIPTION"]) == as_read_back(f"Shift cancelled: {NOTE}")
    assert str(cancelled["LOCATION"]) == f"1 Long Road, Derby, {INJECTED}, DE1 2AB"
    assert str(found[f"shift-{booked.id}-staff-{staffed.relief.id}@homes-app"]["SUMMARY"]) == \
        as_read_back(f"Long day shift at {HOME_NAME}")
    assert all("ATTENDEE" not in e for e in found.values())
