"""Issue 20, F2: an administrator answers "who has seen this child's record" from one page,
reached from the audit log: every read and change naming the child, lists and exports
included, with who, when and what, newest first and a page at a time. Nobody else opens it."""
from __future__ import annotations

import pytest

from homes_app.audit import views
from homes_app.audit.models import AuditEvent
from homes_app.audit.services import record_read
from homes_app.extensions import db
from tests.placements.moves_support import text

from .support import named, world


@pytest.fixture
def w(make):
    return world(make)


def seen_by_everyone(client, login, w):
    """The child's record, the children list, the home's page and the SSDA903 download."""
    login(w.staff)
    client.get(f"/children/{w.current.id}")
    login(w.manager)
    client.get("/children")
    login(w.director)
    client.get(f"/homes/{w.ash.id}")
    client.get("/ssda903?year=2027")


def test_an_administrator_sees_every_read_and_change_of_one_child(client, login, make, w):
    seen_by_everyone(client, login, w)
    login(w.admin)
    page = text(client.get(f"/audit/children/{w.current.id}"))
    for who, what in ((w.staff, "Child's record: 1 child shown"),
                      (w.manager, "Children list: 3 children shown"),
                      (w.director, "Home's page (beds and recent moves): 3 children shown"),
                      (w.director, "SSDA903 download: 2 children shown"),
                      (w.manager, "placement.admit")):  # the admission that made the stay
        assert who.email in page and what in page, what
    assert "Casey Current" not in page and "LCS777001" not in page  # values stay hidden
    # Another child's record page is not on this child's page.
    login(w.director)
    client.get(f"/children/{w.elsewhere.id}")
    login(w.admin)
    assert text(client.get(f"/audit/children/{w.current.id}")).count("Child's record:") == 1


def test_the_page_is_reached_from_the_audit_log(client, login, w):
    seen_by_everyone(client, login, w)
    login(w.admin)
    log = client.get(f"/audit?subject_type=children&subject_id={w.current.id}")
    assert f'href="/audit/children/{w.current.id}"' in log.get_data(as_text=True)
    everything = client.get("/audit").get_data(as_text=True)
    assert f'href="/audit/children/{w.current.id}"' in everything  # "who has seen it"


def test_looking_is_itself_recorded(client, login, w):
    login(w.admin)
    client.get(f"/audit/children/{w.current.id}")
    assert named("audit.child_seen") == [{w.current.id}]


def test_the_events_come_a_page_at_a_time(client, login, w, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    for _ in range(5):
        record_read(w.director, "child.view", [w.current.id], subject_id=w.current.id)
    db.session.commit()
    login(w.admin)
    first = client.get(f"/audit/children/{w.current.id}").get_data(as_text=True)
    assert first.count("Child&#39;s record: 1 child shown") == 2 and "Older events" in first
    second = client.get(f"/audit/children/{w.current.id}?page=2").get_data(as_text=True)
    assert "Newer events" in second and "Older events" in second


def test_a_record_number_that_is_no_child_is_not_found(client, login, w):
    login(w.admin)
    assert client.get("/audit/children/999999").status_code == 404


@pytest.mark.parametrize("who", ["director", "manager", "staff", "relief"])
def test_nobody_else_opens_it(client, login, w, who):
    login(getattr(w, who))
    assert client.get(f"/audit/children/{w.current.id}").status_code == 403
    assert db.session.query(AuditEvent).filter_by(action="audit.child_seen").count() == 0
