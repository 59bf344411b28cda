"""Fixtures for registration and compliance: the seeded template and rules, a registering
home with a plan, an open home with its calendar, and a person of every role."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.homes.models import Home
from homes_app.registration import seed
from homes_app.registration.compliance import services as calendar_services
from homes_app.registration.plans import services

from .support import TODAY


@pytest.fixture
def seeded(app):
    seed.seed_template()
    seed.seed_rules()
    db.session.commit()


@dataclass
class World:
    new: Home  # registering, with a plan
    open: Home  # registered, with a calendar
    other: Home  # someone else's registered home, with a calendar
    users: dict[str, User]


@pytest.fixture
def world(make, seeded) -> World:
    new = make.home(beds=2, name="Wrenfold House", status="registering", registered_on=None,
                    ofsted_urn=None)
    open_ = make.home(beds=2, name="Heatherbank House")
    other = make.home(beds=1, name="Elm House")
    users = {
        "administrator": make.user("administrator"),
        "service_director": make.user("service_director"),
        "registered_manager": make.user("registered_manager", homes=[new, open_]),
        "home_staff": make.user("home_staff", homes=[new, open_]),
        "relief_staff": make.user("relief_staff"),
        "other_manager": make.user("registered_manager", homes=[other]),
    }
    services.start_plan(new.id, TODAY, actor=users["registered_manager"], today=TODAY)
    calendar_services.ensure_calendar(actor=None, today=TODAY)
    db.session.commit()
    return World(new, open_, other, users)
