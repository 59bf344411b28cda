"""Rules for creating and editing homes and their conditions of registration."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from homes_app.errors import DomainError, NotAllowed, StaleForm
from homes_app.extensions import db
from homes_app.homes import services
from homes_app.homes.models import Home
from homes_app.homes.services import HomeDetails
from homes_app.placements import home_changes

from .support import TODAY, audit, stay


def details(**kw) -> HomeDetails:
    base = HomeDetails(name="Willow House", address="3 Elm Street", postcode="de22 1ab",
                       district="North", home_type="mainstream", status="registering",
                       max_children=2, min_age=10, max_age=17, categories_of_need=("ebd",))
    return replace(base, **kw)


@pytest.fixture
def admin(make):
    return make.user("administrator")


def create(admin, **kw) -> Home:
    home = services.create_home(details(**kw), actor=admin, today=TODAY)
    db.session.commit()
    return home


def refused(fn, *args, field: str | None = None, **kw) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kw)
    db.session.rollback()
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value


def test_create_home_normalises_and_audits(admin):
    home = create(admin, ofsted_urn=" sc123456 ", postcode="de22   1ab")
    assert (home.ofsted_urn, home.postcode, home.version) == ("SC123456", "DE22 1AB", 1)
    [event] = audit("home.create")
    assert event.actor_id == admin.id and event.home_id == home.id
    assert event.after["name"] == "Willow House" and event.after["ofsted_urn"] == "SC123456"


@pytest.mark.parametrize("urn", ["SC123456", "sc654321", "1234567"])
def test_ofsted_urn_in_either_format_is_accepted(admin, urn):
    assert create(admin, ofsted_urn=urn).ofsted_urn == urn.upper()


@pytest.mark.parametrize("urn", ["SC12345", "12345678", "AB123456", "SC1234567", "123456"])
def test_ofsted_urn_of_another_shape_is_refused(admin, urn):
    error = refused(services.create_home, details(ofsted_urn=urn), actor=admin, today=TODAY,
                    field="ofsted_urn")
    assert "SC followed by 6 numbers" in error.message
    assert db.session.query(Home).count() == 0


def test_ofsted_urn_must_be_unique(admin):
    create(admin, name="First", ofsted_urn="SC111111")
    error = refused(services.create_home, details(name="Second", ofsted_urn="sc111111"),
                    actor=admin, today=TODAY, field="ofsted_urn")
    assert error.message == "Ofsted URN SC111111 already belongs to First"


def test_name_must_be_unique_whatever_the_case(admin):
    create(admin, name="Oak House")
    error = refused(services.create_home, details(name="oak house"), actor=admin, today=TODAY,
                    field="name")
    assert "already a home called" in error.message


def test_long_names_are_refused_before_the_database_sees_them(admin):
    refused(services.create_home, details(name="x" * 121), actor=admin, today=TODAY,
            field="name")
    assert len(create(admin, name="x" * 120).name) == 120


@pytest.mark.parametrize("postcode", ["DE22", "12345", "DE22 1A", "DEE22 1AB"])
def test_a_postcode_of_the_wrong_shape_is_refused(admin, postcode):
    refused(services.create_home, details(postcode=postcode), actor=admin, today=TODAY,
            field="postcode")


def test_only_a_planned_home_may_have_no_postcode(admin):
    assert create(admin, status="planned", address="", postcode="").postcode == ""
    refused(services.create_home, details(name="B", postcode=""), actor=admin, today=TODAY,
            field="postcode")


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("max_children", 0, False), ("max_children", 1, True), ("max_children", 12, True),
    ("max_children", 13, False), ("min_age", -1, False), ("min_age", 0, True),
    ("max_age", 18, True), ("max_age", 19, False),
    ("target_occupancy_pct", 0, False), ("target_occupancy_pct", 100, True),
    ("target_occupancy_pct", 101, False),
])
def test_condition_boundaries(admin, field, value, ok):
    kw = {field: value}
    if ok:
        assert getattr(create(admin, **kw), field) == value
    else:
        refused(services.create_home, details(**kw), actor=admin, today=TODAY, field=field)


def test_youngest_age_cannot_be_above_oldest(admin):
    assert create(admin, min_age=12, max_age=12).min_age == 12
    refused(services.create_home, details(name="B", min_age=13, max_age=12), actor=admin,
            today=TODAY, field="min_age")


def test_categories_of_need_must_be_known_and_at_least_one(admin):
    refused(services.create_home, details(categories_of_need=()), actor=admin, today=TODAY,
            field="categories_of_need")
    refused(services.create_home, details(categories_of_need=("ebd", "astrology")),
            actor=admin, today=TODAY, field="categories_of_need")
    home = create(admin, categories_of_need=("physical", "ebd"))
    assert home.needs == {"ebd", "physical"}


def test_negative_cost_is_refused(admin):
    refused(services.create_home, details(weekly_unit_cost_pence=-1), actor=admin, today=TODAY,
            field="weekly_unit_cost")
    assert create(admin, weekly_unit_cost_pence=0).weekly_unit_cost_pence == 0


def test_registered_needs_date_urn_and_not_future(admin):
    refused(services.create_home, details(status="registered", ofsted_urn="SC123456"),
            actor=admin, today=TODAY, field="registered_on")
    refused(services.create_home, details(status="registered", registered_on=TODAY),
            actor=admin, today=TODAY, field="ofsted_urn")
    error = refused(services.create_home, details(status="registered", ofsted_urn="SC123456",
                                                  registered_on=date(2026, 11, 23)),
                    actor=admin, today=TODAY, field="registered_on")
    assert "23 November 2026" in error.message
    home = create(admin, status="registered", ofsted_urn="SC123456", registered_on=TODAY)
    assert home.accepts_admissions


def test_a_new_home_cannot_start_closed(admin):
    refused(services.create_home, details(status="closed", closed_on=TODAY), actor=admin,
            today=TODAY, field="status")


def test_only_an_administrator_may_create_or_edit(make, admin):
    home = create(admin)
    for role in ("service_director", "registered_manager", "home_staff", "relief_staff"):
        user = make.user(role, homes=[home] if role != "service_director" else [])
        with pytest.raises(NotAllowed):
            services.create_home(details(name="X"), actor=user, today=TODAY)
        with pytest.raises(NotAllowed):
            home_changes.update_home(home.id, details(name="X"), actor=user, today=TODAY,
                                 seen_version=home.version)
        db.session.rollback()
    assert db.session.get(Home, home.id).name == "Willow House"


def test_the_manager_gets_the_home_in_their_homes(make, admin):
    manager = make.user("registered_manager", homes=[make.home()])
    home = create(admin, registered_manager_id=manager.id)
    db.session.refresh(manager)
    assert home.id in {h.id for h in manager.homes}
    assert audit("user.add_home")[0].subject_id == manager.id


def test_the_manager_must_be_a_registered_manager(make, admin):
    director = make.user("service_director")
    refused(services.create_home, details(registered_manager_id=director.id), actor=admin,
            today=TODAY, field="registered_manager_id")


def test_update_records_only_what_changed_and_bumps_the_version(admin):
    home = create(admin)
    home_changes.update_home(home.id, details(max_children=3, postcode="DE22 1AB"), actor=admin,
                         today=TODAY, seen_version=1)
    db.session.commit()
    assert (home.max_children, home.version) == (3, 2)
    [event] = audit("home.update")
    assert event.before == {"max_children": 2} and event.after == {"max_children": 3}


def test_a_stale_version_is_refused(admin):
    home = create(admin)
    home_changes.update_home(home.id, details(district="East"), actor=admin, today=TODAY,
                         seen_version=1)
    db.session.commit()
    with pytest.raises(StaleForm):
        home_changes.update_home(home.id, details(district="West"), actor=admin, today=TODAY,
                             seen_version=1)
    db.session.rollback()
    assert db.session.get(Home, home.id).district == "East"


def test_lifecycle_moves_forward_and_not_back(admin):
    home = create(admin, status="planned", address="", postcode="")
    refused(home_changes.update_home, home.id, details(status="registered", ofsted_urn="SC123456",
            registered_on=TODAY), actor=admin, today=TODAY, seen_version=1, field="status")
    home_changes.update_home(home.id, details(status="registering"), actor=admin, today=TODAY,
                         seen_version=1)
    home_changes.update_home(home.id, details(status="registered", ofsted_urn="SC123456",
                                          registered_on=TODAY), actor=admin, today=TODAY,
                         seen_version=2)
    db.session.commit()
    error = refused(home_changes.update_home, home.id, details(status="planned"), actor=admin,
                    today=TODAY, seen_version=3, field="status")
    assert "cannot become planned" in error.message


def test_closing_needs_a_date_and_an_empty_home(make, admin):
    home = make.home(beds=2)
    child = make.child()
    stay(home.beds[0], child, date(2026, 10, 1), date(2026, 12, 5))
    reg = dict(status="closed", ofsted_urn=home.ofsted_urn, registered_on=home.registered_on,
               name=home.name)
    refused(home_changes.update_home, home.id, details(**reg), actor=admin, today=TODAY,
            seen_version=1, field="closed_on")
    error = refused(home_changes.update_home, home.id, details(**reg, closed_on=TODAY),
                    actor=admin, today=TODAY, seen_version=1, field="closed_on")
    assert "22 November 2026" in error.message
    home_changes.update_home(home.id, details(**reg, closed_on=date(2026, 12, 5)), actor=admin,
                         today=date(2026, 12, 5), seen_version=1)
    db.session.commit()
    assert db.session.get(Home, home.id).status == "closed"


def test_max_children_cannot_drop_below_children_placed_on_a_future_night(make, admin):
    home = make.home(beds=3, max_children=3)
    a, b, c = make.child(), make.child(), make.child()
    stay(home.beds[0], a, date(2026, 1, 1))
    stay(home.beds[1], b, date(2026, 11, 1), date(2026, 12, 1))
    stay(home.beds[2], c, date(2026, 12, 10), status="planned", held_from=TODAY)
    keep = dict(name=home.name, status="registered", ofsted_urn=home.ofsted_urn,
                registered_on=home.registered_on, min_age=8)
    error = refused(home_changes.update_home, home.id, details(**keep, max_children=1),
                    actor=admin, today=TODAY, seen_version=1, field="max_children")
    assert error.message.startswith("2 children are placed")
    assert "22 November 2026" in error.message
    # Two tonight; from 1 December one, then two again from 10 December (the planned one).
    home_changes.update_home(home.id, details(**keep, max_children=2), actor=admin, today=TODAY,
                         seen_version=1)
    db.session.commit()
    assert db.session.get(Home, home.id).max_children == 2


def test_max_children_reduction_names_a_future_night(make, admin):
    home = make.home(beds=2, max_children=2)
    stay(home.beds[0], make.child(), date(2026, 12, 10), status="planned", held_from=TODAY)
    stay(home.beds[1], make.child(), date(2026, 12, 12), status="planned", held_from=TODAY)
    keep = dict(name=home.name, status="registered", ofsted_urn=home.ofsted_urn,
                registered_on=home.registered_on, min_age=8)
    error = refused(home_changes.update_home, home.id, details(**keep, max_children=1),
                    actor=admin, today=TODAY, seen_version=1, field="max_children")
    assert "12 December 2026" in error.message


def test_children_who_left_do_not_count(make, admin):
    home = make.home(beds=2, max_children=2)
    stay(home.beds[0], make.child(), date(2026, 1, 1), date(2026, 11, 22))
    stay(home.beds[1], make.child(), date(2026, 1, 1))
    keep = dict(name=home.name, status="registered", ofsted_urn=home.ofsted_urn,
                registered_on=home.registered_on, min_age=8)
    home_changes.update_home(home.id, details(**keep, max_children=1), actor=admin, today=TODAY,
                         seen_version=1)
    db.session.commit()
    assert db.session.get(Home, home.id).max_children == 1


def test_default_target_setting_is_audited(admin, make):
    from homes_app.homes.queries import default_target

    assert default_target() == 80
    services.set_default_target(75, actor=admin, today=TODAY)
    db.session.commit()
    assert default_target() == 75
    [event] = audit("settings.update")
    assert event.before == {"default_target_occupancy_pct": None}
    assert event.after == {"default_target_occupancy_pct": "75"}
    refused(services.set_default_target, 0, actor=admin, today=TODAY,
            field="default_target_occupancy_pct")
    with pytest.raises(NotAllowed):
        services.set_default_target(70, actor=make.user("service_director"), today=TODAY)
