"""Forms for the registration template's steps, and the "follows" boxes that plan and
template steps share: one "days after" box per other step, named after_<step id>; blank means
it does not follow that step."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length

from ...fields import WholeNumberField
from ...web import OneTimeForm, choices
from .models import STEP_KINDS


def with_follows(form_class, steps, exclude_id: int | None = None):
    """`form_class` with a "days after" box for each step in `steps` but `exclude_id`."""
    fields = {f"after_{s.id}": WholeNumberField(s.name) for s in steps if s.id != exclude_id}
    return type(form_class.__name__, (form_class,), fields)


def follows_fields(form) -> list:
    return [f for f in form if f.name.startswith("after_")]


def follows_of(form) -> dict[int, int]:
    return {int(f.name[6:]): f.data for f in follows_fields(form) if f.data is not None}


def follows_data(follows: dict[int, int]) -> dict:
    return {f"after_{before}": lag for before, lag in follows.items()}


class MoveForm(OneTimeForm):
    direction = HiddenField()


class TemplateStepForm(OneTimeForm):
    name = StringField("Name of the step", widget=GovTextInput(), validators=[
        InputRequired("Enter the name of the step"),
        Length(max=120, message="The name must be 120 characters or fewer")])
    kind = RadioField("Kind of step", widget=GovRadioInput(), validate_choice=False,
                      choices=choices(STEP_KINDS.items()),
                      validators=[AnyOf(list(STEP_KINDS), "Select what kind of step it is")])
    start_days = WholeNumberField("Days from the plan's start",
                                  "Enter the days from the plan's start",
                                  description="Its first target date is at least this many "
                                              "days after a new plan starts (0 if it only "
                                              "follows other steps)")
    default_owner = StringField("Usual owner (optional)", widget=GovTextInput())
    submit = SubmitField("Save step", widget=GovSubmitInput())
