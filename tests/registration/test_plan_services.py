"""Registration plans through the services: started from the template, projected dates,
completing steps (the override, the decision that registers the home), editing, approval."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from homes_app.errors import DomainError, NotAllowed
from homes_app.extensions import db
from homes_app.homes.models import Bed
from homes_app.placements import services as moves
from homes_app.registration.compliance.models import ComplianceOccurrence
from homes_app.registration.plans import completion, queries, services
from homes_app.registration.plans.models import PlanStep, StepDependency
from homes_app.registration.plans.services import Registration

from .support import TODAY, audit, step_named

REG = Registration("sc 123456", 2, 10, 17, "any", ("ebd",))


def done(world, fragment: str, on: date, **kw):
    step = step_named(world.new.id, fragment)
    kw.setdefault("confirm_open", True)
    completion.complete_step(step.id, actual_on=on, evidence=kw.pop("evidence", ""),
                           actor=world.users["registered_manager"], today=TODAY,
                           seen_version=None, **kw)
    db.session.commit()
    return step


def test_a_plan_copies_the_eleven_steps_their_dependencies_and_dates(world):
    view = queries.plan_view(world.new.id, TODAY)
    assert [r.step.name[:12] for r in view.rows][:3] == ["Property sec", "Works done: ",
                                                         "Statement of"]
    assert len(view.rows) == 11
    assert {r.step.kind for r in view.rows} == {"step", "decision", "opening"}
    decision = step_named(world.new.id, "Registration decision")
    follows = {b.name[:14]: lag for b, lag in view.by_id[decision.id].follows}
    assert follows == {"SC1 applicatio": 47, "SC2 applicatio": 47, "Ofsted fit per": 7,
                       "Ofsted registr": 14}
    # Targets from the template: property 60 days in, works 120 after, ... opening at 215.
    assert step_named(world.new.id, "Property").target_on == TODAY + timedelta(days=60)
    assert view.projection.opening == TODAY + timedelta(days=215)
    assert view.driver.step.name.startswith("Property")
    assert audit("registration.plan_start")


def test_a_plan_only_for_a_planned_or_registering_home_once(world):
    manager = world.users["registered_manager"]
    with pytest.raises(DomainError, match="already has a registration plan"):
        services.start_plan(world.new.id, TODAY, actor=manager, today=TODAY)
    with pytest.raises(DomainError, match="only a planned or registering home"):
        services.start_plan(world.open.id, TODAY, actor=manager, today=TODAY)
    with pytest.raises(NotAllowed):
        services.start_plan(world.new.id, TODAY, actor=world.users["other_manager"],
                            today=TODAY)


def test_a_late_step_moves_the_opening_and_completing_it_early_brings_it_back(world):
    before = queries.plan_view(world.new.id, TODAY).projection.opening
    prop = step_named(world.new.id, "Property")
    services.update_step(prop.id, name=prop.name, owner="Estates", target_on=TODAY +
                         timedelta(days=90), evidence="", follows={},
                         actor=world.users["registered_manager"], today=TODAY,
                         seen_version=None)
    db.session.commit()
    slipped = queries.plan_view(world.new.id, TODAY)
    assert slipped.projection.opening == before + timedelta(days=30)
    assert slipped.days_late == 30
    done(world, "Property", TODAY - timedelta(days=5))
    after = queries.plan_view(world.new.id, TODAY)
    assert after.projection.opening == before  # the later steps' own targets hold it
    assert after.days_late == 0


def test_completing_with_open_predecessors_needs_the_override_which_is_audited(world):
    with pytest.raises(DomainError, match="Property secured .* is not done yet") as refused:
        done(world, "Works done", TODAY, confirm_open=False)
    assert refused.value.field == "confirm_open"
    db.session.rollback()
    step = done(world, "Works done", TODAY, confirm_open=True)
    event = audit("registration.step_complete")[-1]
    assert event.after["completed_before_open_steps"] == [
        step_named(world.new.id, "Property").name]
    assert event.subject_id == step.id


def test_an_actual_date_in_the_future_or_before_a_done_predecessor_is_refused(world):
    with pytest.raises(DomainError, match="cannot be in the future"):
        done(world, "Property", TODAY + timedelta(days=1))
    db.session.rollback()
    done(world, "Property", TODAY - timedelta(days=3))
    with pytest.raises(DomainError, match="cannot be done before Property"):
        done(world, "Statement of Purpose", TODAY - timedelta(days=4))


def test_the_decision_records_the_urn_and_conditions_registers_the_home_and_starts_its_calendar(
        world, make):
    home_id = world.new.id
    child = make.child(date_of_birth=date(2012, 5, 17))
    bed = db.session.scalars(select(Bed).where(Bed.home_id == home_id)).first()
    with pytest.raises(DomainError, match="not registered with Ofsted"):
        moves.admit_child(home_id, bed.id, child, TODAY, emergency=True, actor=None,
                          today=TODAY)
    db.session.rollback()
    done(world, "Registration decision", TODAY - timedelta(days=2), registration=REG)
    db.session.expire_all()
    home = world.new
    assert (home.status, home.ofsted_urn, home.registered_on) == (
        "registered", "SC123456", TODAY - timedelta(days=2))
    assert (home.max_children, home.min_age, home.max_age) == (2, 10, 17)
    assert [e.after.get("status") for e in audit("home.update")] == ["registered"]
    assert db.session.scalars(select(ComplianceOccurrence).where(
        ComplianceOccurrence.home_id == home_id)).all()
    moves.admit_child(home_id, bed.id, child, TODAY, emergency=True, actor=None, today=TODAY)


@pytest.mark.parametrize("urn, message", [
    ("", "Enter the Ofsted URN"),
    ("SC12345", "Ofsted URN must be SC followed by 6 numbers"),
    ("12345678", "Ofsted URN must be SC followed by 6 numbers"),
])
def test_the_decision_refuses_a_urn_in_neither_format(world, urn, message):
    with pytest.raises(DomainError, match=message) as refused:
        done(world, "Registration decision", TODAY,
             registration=Registration(urn, 2, 10, 17, "any", ("ebd",)))
    assert refused.value.field == "ofsted_urn"


def test_the_decision_refuses_a_urn_another_home_has(world):
    with pytest.raises(DomainError, match="already belongs to Heatherbank House"):
        done(world, "Registration decision", TODAY,
             registration=Registration(world.open.ofsted_urn, 2, 10, 17, "any", ("ebd",)))


def test_a_planned_home_passes_through_registering(world, make):
    home = make.home(name="Planned Place", status="planned", registered_on=None,
                     ofsted_urn=None)
    manager = world.users["registered_manager"]
    manager.homes.append(home)
    db.session.commit()
    services.start_plan(home.id, TODAY, actor=manager, today=TODAY)
    step = step_named(home.id, "Registration decision")
    completion.complete_step(step.id, actual_on=TODAY, evidence="Certificate on file",
                           confirm_open=True, registration=Registration(
                               "2712345", 1, 8, 12, "female", ("ebd", "learning")),
                           actor=manager, today=TODAY, seen_version=None)
    db.session.commit()
    assert [e.after.get("status") for e in audit("home.update")] == ["registering",
                                                                     "registered"]
    assert home.ofsted_urn == "2712345" and home.sex_admitted == "female"


def test_the_home_cannot_open_before_it_is_registered(world):
    with pytest.raises(DomainError, match="cannot open before Ofsted registers it"):
        done(world, "Home opens", TODAY)


def test_a_dependency_loop_is_refused_naming_the_chain(world):
    prop = step_named(world.new.id, "Property")
    decision = step_named(world.new.id, "Registration decision")
    with pytest.raises(DomainError, match="That would make a loop") as refused:
        services.update_step(prop.id, name=prop.name, owner="", target_on=None, evidence="",
                             follows={decision.id: 0}, actor=world.users["registered_manager"],
                             today=TODAY, seen_version=None)
    assert refused.value.field == f"after_{decision.id}"
    assert "Property secured" in refused.value.message and "→" in refused.value.message


def test_editing_dates_after_approval_asks_for_approval_again(world):
    director = world.users["service_director"]
    completion.approve_plan(world.new.id, actor=director, today=TODAY, seen_version=None)
    db.session.commit()
    event = audit("registration.plan_approve")[-1]
    assert event.after["projected_opening"] == (TODAY + timedelta(days=215)).isoformat()
    with pytest.raises(DomainError, match="already approved"):
        completion.approve_plan(world.new.id, actor=director, today=TODAY, seen_version=None)
    db.session.rollback()
    sop = step_named(world.new.id, "Statement")
    services.update_step(sop.id, name=sop.name, owner="RM", target_on=sop.target_on,
                         evidence="Draft v2", follows=services.follows_of_step(sop.id),
                         actor=world.users["registered_manager"], today=TODAY,
                         seen_version=None)
    db.session.commit()
    # Owner and evidence are not the plan's shape: the approval stands.
    assert not queries.plan_view(world.new.id, TODAY).plan.changed_since_approval
    services.update_step(sop.id, name=sop.name, owner="RM", target_on=TODAY, evidence="",
                         follows={}, actor=world.users["registered_manager"], today=TODAY,
                         seen_version=None)
    db.session.commit()
    assert queries.plan_view(world.new.id, TODAY).plan.changed_since_approval
    with pytest.raises(NotAllowed):
        completion.approve_plan(world.new.id, actor=world.users["registered_manager"],
                              today=TODAY, seen_version=None)


def test_a_stale_form_is_refused(world):
    prop = step_named(world.new.id, "Property")
    with pytest.raises(DomainError, match="someone else changed"):
        services.update_step(prop.id, name="X", owner="", target_on=None, evidence="",
                             follows={}, actor=world.users["registered_manager"], today=TODAY,
                             seen_version=99)


def test_adding_and_removing_steps_and_files(world):
    manager = world.users["registered_manager"]
    prop = step_named(world.new.id, "Property")
    extra = services.add_step(world.new.id, name="Neighbourhood consultation", owner="RI",
                              target_on=TODAY + timedelta(days=100), follows={prop.id: 10},
                              actor=manager, today=TODAY, seen_version=None)
    db.session.commit()
    assert extra.position == 12
    with pytest.raises(DomainError, match="already has a step called"):
        services.add_step(world.new.id, name="neighbourhood consultation", owner="",
                          target_on=None, follows={}, actor=manager, today=TODAY,
                          seen_version=None)
    db.session.rollback()
    completion.add_attachment(extra.id, file_name="minutes.pdf", kept_at="SharePoint",
                            actor=manager, today=TODAY)
    services.remove_step(extra.id, actor=manager, today=TODAY, seen_version=None)
    db.session.commit()
    assert db.session.get(PlanStep, extra.id) is None
    assert not db.session.scalars(select(StepDependency).where(
        StepDependency.step_id == extra.id)).all()
    assert audit("registration.step_remove")[-1].before["attachments"] == ["minutes.pdf"]
    with pytest.raises(DomainError, match="cannot be removed"):
        services.remove_step(step_named(world.new.id, "Registration decision").id,
                             actor=manager, today=TODAY, seen_version=None)
