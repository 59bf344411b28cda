"""The council's data: seeding once, and administrators editing the template's steps."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from homes_app.errors import DomainError, NotAllowed
from homes_app.extensions import db
from homes_app.homes.models import CouncilSetting
from homes_app.registration import seed
from homes_app.registration.compliance.models import ComplianceRule
from homes_app.registration.plans import services
from homes_app.registration.templates import services as template_services
from homes_app.registration.templates.models import TemplateDependency, TemplateStep

from .support import TODAY


def names() -> list[str]:
    return [s.name for s in db.session.scalars(select(TemplateStep).order_by(
        TemplateStep.position))]


def test_seeding_happens_once_and_never_puts_back_what_the_council_removed(app, make):
    admin = make.user("administrator")
    assert seed.seed_template(admin) == 11 and seed.seed_rules(admin) == 8
    assert len(db.session.scalars(select(TemplateDependency)).all()) == 17
    assert seed.seed_template(admin) == 0 and seed.seed_rules(admin) == 0
    for step in db.session.scalars(select(TemplateStep).where(TemplateStep.kind != "decision")):
        template_services.remove_template_step(step.id, actor=admin, today=TODAY)
    db.session.commit()
    assert seed.seed_template(admin) == 0 and len(names()) == 1
    db.session.execute(delete(TemplateStep))  # a template emptied outright
    assert seed.seed_template(admin) == 0  # the mark stays: nothing comes back by itself
    assert seed.seed_template(admin, again=True) == 11  # unless an administrator asks
    assert db.session.get(CouncilSetting, seed.RULES_MARK) is not None


def test_the_cli_seeds_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-registration-templates"])
    again = runner.invoke(args=["seed-registration-templates"])
    db.session.rollback()
    assert "11 steps added" in first.output and "8 rules added" in first.output
    assert "already set up" in again.output
    assert db.session.scalar(select(ComplianceRule.id).where(ComplianceRule.key == "reg45"))


@pytest.fixture
def admin(make, seeded):
    return make.user("administrator")


def step(fragment: str) -> TemplateStep:
    return db.session.scalars(select(TemplateStep).where(
        TemplateStep.name.contains(fragment))).one()


def test_add_rename_move_and_remove_template_steps(admin):
    prop = step("Property")
    added = template_services.add_template_step(
        name="Planning permission for change of use", kind="step", start_days=30,
        default_owner="Planning", follows={prop.id: 0}, actor=admin, today=TODAY)
    assert names()[-1] == "Planning permission for change of use"
    template_services.move_template_step(added.id, "up", actor=admin, today=TODAY)
    assert names()[-2] == "Planning permission for change of use"
    template_services.update_template_step(
        added.id, name="Planning permission", kind="step", start_days=30, default_owner="",
        follows={prop.id: 14}, actor=admin, today=TODAY)
    assert "Planning permission" in names()
    template_services.remove_template_step(step("fit person").id, actor=admin, today=TODAY)
    assert len(names()) == 11 and all("fit person" not in n for n in names())
    assert [s.position for s in db.session.scalars(select(TemplateStep).order_by(
        TemplateStep.position))] == list(range(1, 12))
    with pytest.raises(DomainError, match="already first"):
        template_services.move_template_step(prop.id, "up", actor=admin, today=TODAY)


def test_a_plan_started_after_a_template_change_copies_it(admin, make):
    home = make.home(name="New Start", status="registering", registered_on=None,
                     ofsted_urn=None)
    manager = make.user("registered_manager", homes=[home])
    template_services.remove_template_step(step("fit person").id, actor=admin, today=TODAY)
    plan = services.start_plan(home.id, TODAY, actor=manager, today=TODAY)
    assert len(plan.steps) == 10


def test_the_template_refuses_a_loop_a_second_decision_and_other_people(admin, make):
    prop, opening = step("Property"), step("Home opens")
    with pytest.raises(DomainError, match="That would make a loop") as refused:
        template_services.update_template_step(
            prop.id, name=prop.name, kind="step", start_days=60, default_owner="",
            follows={opening.id: 0}, actor=admin, today=TODAY)
    assert refused.value.field == f"after_{opening.id}"
    with pytest.raises(DomainError, match="already has a step of this kind") as refused:
        template_services.add_template_step(name="Second decision", kind="decision",
                                            start_days=0, default_owner="", follows={},
                                            actor=admin, today=TODAY)
    assert refused.value.field == "kind"
    with pytest.raises(NotAllowed):
        template_services.add_template_step(name="X", kind="step", start_days=0,
                                            default_owner="", follows={},
                                            actor=make.user("service_director"), today=TODAY)


def test_the_decision_step_stays_in_the_template(admin):
    decision = step("Registration decision")
    with pytest.raises(DomainError, match="rename it rather than remove it"):
        template_services.remove_template_step(decision.id, actor=admin, today=TODAY)
    with pytest.raises(DomainError, match="keep its kind") as refused:
        template_services.update_template_step(
            decision.id, name="Ofsted says yes", kind="step", start_days=0, default_owner="",
            follows={}, actor=admin, today=TODAY)
    assert refused.value.field == "kind"
    template_services.update_template_step(
        decision.id, name="Ofsted says yes", kind="decision", start_days=0, default_owner="",
        follows={}, actor=admin, today=TODAY)
    assert "Ofsted says yes" in names()
