"""A small world for the homes HTTP tests: one home with three beds, a hold and an
out-of-use period, another home, and a user of every role."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from homes_app.auth.models import User
from homes_app.extensions import db
from homes_app.homes.models import BedHold, BedOutOfUse, Home

from .support import TODAY


@dataclass
class World:
    home: Home
    other: Home
    hold: BedHold
    out: BedOutOfUse
    users: dict[str, User]


@pytest.fixture
def world(make) -> World:
    home = make.home(beds=3, name="Oak House", max_children=3)
    other = make.home(beds=1, name="Elm House")
    hold = BedHold(bed_id=home.beds[0].id, reason="matching", starts_on=date(2026, 12, 1))
    out = BedOutOfUse(bed_id=home.beds[1].id, reason="repairs", starts_on=TODAY)
    db.session.add_all([hold, out])
    db.session.commit()
    users = {
        "administrator": make.user("administrator"),
        "service_director": make.user("service_director"),
        "registered_manager": make.user("registered_manager", homes=[home]),
        "home_staff": make.user("home_staff", homes=[home]),
        "relief_staff": make.user("relief_staff"),
        "other_manager": make.user("registered_manager", homes=[other]),
    }
    return World(home, other, hold, out, users)
