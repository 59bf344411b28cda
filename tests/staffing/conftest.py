"""A staffed home: its manager, a member of home staff and a relief worker with accounts,
a long day and a waking night, and shifts this week and next."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pytest

from homes_app.extensions import db
from homes_app.staffing.people.models import StaffMember
from homes_app.staffing.rota.models import Shift, ShiftType

from .support import days, shift, shift_type, staff


@dataclass
class Staffed:
    home: object
    manager: object
    worker: StaffMember
    relief: StaffMember
    day: ShiftType
    night: ShiftType
    rota_shift: Shift
    open_shift: Shift


@pytest.fixture
def staffed(make) -> Staffed:
    home = make.home(beds=2, name="Ash House")
    manager = make.user("registered_manager", homes=[home], display_name="Maya Manager")
    worker_user = make.user("home_staff", homes=[home], display_name="Hal Home")
    relief_user = make.user("relief_staff", display_name="Rae Relief")
    worker = staff(home, user=worker_user, name="Hal Home", contracted_hours=20)
    relief = staff(user=relief_user, name="Rae Relief", inducted=[home])
    day = shift_type(home, "Long day", time(8), time(22), minimum={1: 2})
    night = shift_type(home, "Waking night", time(22), time(8), "waking_night", minimum={1: 1})
    rota_shift = shift(home, day, days(2), assignee=worker)
    open_shift = shift(home, night, days(3), offered=True)
    db.session.refresh(home)
    return Staffed(home, manager, worker, relief, day, night, rota_shift, open_shift)
