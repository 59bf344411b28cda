"""The due-and-overdue list and the pipeline cost the same statements for one home or many."""
from __future__ import annotations

from datetime import datetime

from homes_app.clock import LONDON
from homes_app.extensions import db
from homes_app.registration.compliance import reg40
from homes_app.registration.compliance import services as calendar_services
from homes_app.registration.plans import services
from tests.test_access import QueryCounter

from .support import TODAY


def open_homes(make, manager, n: int) -> None:
    for _ in range(n):
        home = make.home(beds=1)
        manager.homes.append(home)
        db.session.commit()
        reg40.record_reg40(home.id, event_type="police",
                                       event_at=datetime(2026, 11, 21, 9, tzinfo=LONDON),
                                       summary="x", notified_at=None, notified_to=[],
                                       actor=manager, now=datetime(2026, 11, 22, 9,
                                                                   tzinfo=LONDON))
    calendar_services.ensure_calendar(actor=None, today=TODAY)
    db.session.commit()


def statements(client, url: str) -> tuple[int, str]:
    client.get(url)  # the first request also loads the session's user
    with QueryCounter(db.engine) as counter:
        page = client.get(url)
    assert page.status_code == 200
    return counter.count, page.get_data(as_text=True)


def test_the_due_list_costs_the_same_for_one_home_or_many(client, make, login, seeded):
    manager = make.user("registered_manager")
    login(make.user("service_director"))
    open_homes(make, manager, 1)
    one, page = statements(client, "/due")
    assert page.count('data-test="due-item"') == 8  # seven rules due today, one Reg 40
    open_homes(make, manager, 11)
    many, page = statements(client, "/due")
    assert page.count('data-test="due-item"') == 96
    assert one == many, (one, many)
    assert one <= 5  # user, then homes, occurrences with their rules, Reg 40 events


def test_a_managers_due_list_is_their_homes_only(client, make, login, seeded):
    manager = make.user("registered_manager")
    open_homes(make, manager, 2)
    login(make.user("registered_manager", homes=[make.home(beds=1)]))
    calendar_services.ensure_calendar(actor=None, today=TODAY)
    db.session.commit()
    _, page = statements(client, "/due")
    assert page.count('data-test="due-item"') == 7


def test_the_pipeline_costs_the_same_for_one_home_in_registration_or_many(client, make, login,
                                                                          seeded):
    manager = make.user("registered_manager")
    login(make.user("service_director"))

    def new_homes(n):
        for _ in range(n):
            home = make.home(status="registering", registered_on=None, ofsted_urn=None)
            manager.homes.append(home)
            db.session.commit()
            services.start_plan(home.id, TODAY, actor=manager, today=TODAY)
        db.session.commit()

    new_homes(1)
    one, _ = statements(client, "/registration")
    new_homes(5)
    many, page = statements(client, "/registration")
    assert page.count("25 Jun 2027") == 6
    assert one == many
