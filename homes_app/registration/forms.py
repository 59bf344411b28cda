"""Forms for registration plans, the council's template and the compliance rules (the
calendar's own are in calendar_forms.py). They parse input; the services hold the rules and
put refusals beside the same field names.

Forms that say which steps a step follows get one "days after" box per other step, named
after_<step id>: blank means it does not follow that step.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length
from wtforms.widgets import CheckboxInput

from ..fields import DATE_HINT, GovDateField, WholeNumberField
from ..homes.models import NEED_CATEGORIES, SEXES_ADMITTED
from ..web import OneTimeForm, choices
from .calendar_models import SCHEDULES
from .models import STEP_KINDS
from .services import Registration


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


class VersionForm(OneTimeForm):
    version = HiddenField()

    def seen_version(self) -> int:
        """The plan version the form was opened at; missing or tampered is stale."""
        try:
            return int((self.version.raw_data or [""])[0])
        except (TypeError, ValueError):
            return -1


class StartPlanForm(OneTimeForm):
    starts_on = GovDateField("Date the plan starts", "Enter the date the plan starts",
                             description="Target dates are counted from this date. "
                             + DATE_HINT)
    submit = SubmitField("Start the registration plan", widget=GovSubmitInput())


class StepForm(VersionForm):
    name = StringField("Name of the step", widget=GovTextInput(), validators=[
        InputRequired("Enter the name of the step"),
        Length(max=120, message="The name must be 120 characters or fewer")])
    owner = StringField("Owner", widget=GovTextInput(),
                        description="The person or team responsible")
    target_on = GovDateField("Target date (optional)")
    evidence = TextAreaField("Evidence note (optional)", widget=GovTextArea(),
                             description="What shows it is done, and where the evidence is")
    submit = SubmitField("Save step", widget=GovSubmitInput())


class NewStepForm(StepForm):
    submit = SubmitField("Add step", widget=GovSubmitInput())


class CompleteForm(VersionForm):
    actual_on = GovDateField("Date it was done", "Enter the date it was done")
    evidence = TextAreaField("Evidence note (optional)", widget=GovTextArea(),
                             description="What shows it is done, and where the evidence is")
    confirm_open = BooleanField("I confirm this step is done although the steps it follows "
                                "are not", widget=GovCheckboxInput())
    # Only on the registration decision: what Ofsted's certificate says.
    ofsted_urn = StringField("Ofsted URN", widget=GovTextInput(),
                             description="SC followed by 6 numbers, or 7 numbers")
    max_children = WholeNumberField("Maximum number of children",
                                    "Enter the maximum number of children",
                                    description="From the conditions of registration, 1 to 12")
    min_age = WholeNumberField("Youngest age", "Enter the youngest age the home may look after")
    max_age = WholeNumberField("Oldest age", "Enter the oldest age the home may look after")
    sex_admitted = RadioField("Children the home may look after", widget=GovRadioInput(),
                              choices=choices(SEXES_ADMITTED.items()), validate_choice=False,
                              validators=[AnyOf(list(SEXES_ADMITTED),
                                                "Select which children the home may look "
                                                "after")])
    categories_of_need = SelectMultipleField("Categories of need", widget=GovCheckboxesInput(),
                                             option_widget=CheckboxInput(),
                                             choices=choices(NEED_CATEGORIES.items()),
                                             validate_choice=False)
    submit = SubmitField("Save as done", widget=GovSubmitInput())

    DECISION = ("ofsted_urn", "max_children", "min_age", "max_age", "sex_admitted",
                "categories_of_need")

    def for_step(self, decision: bool, open_before: bool):
        if not decision:
            for name in self.DECISION:
                delattr(self, name)
        if not open_before:
            delattr(self, "confirm_open")
        return self

    def registration(self) -> Registration | None:
        if "ofsted_urn" not in self:
            return None
        return Registration(self.ofsted_urn.data or "", self.max_children.data,
                            self.min_age.data, self.max_age.data, self.sex_admitted.data,
                            tuple(self.categories_of_need.data or ()))


class AttachmentForm(OneTimeForm):
    file_name = StringField("File name", widget=GovTextInput(),
                            description="For example, fire-risk-assessment-2026.pdf",
                            validators=[InputRequired("Enter the file's name")])
    kept_at = StringField("Where it is kept", widget=GovTextInput(),
                          description="For example, the home's SharePoint, Registration folder",
                          validators=[InputRequired("Enter where the file is kept")])
    submit = SubmitField("Add file", widget=GovSubmitInput())


class ConfirmForm(VersionForm):
    submit = SubmitField("Yes, remove it", widget=GovSubmitInput())


class ApproveForm(VersionForm):
    submit = SubmitField("Approve the plan", widget=GovSubmitInput())


class MoveForm(OneTimeForm):
    direction = HiddenField()


# ---- the template and the rules ------------------------------------------------------------

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


class RuleForm(OneTimeForm):
    name = StringField("Name", widget=GovTextInput(), validators=[
        InputRequired("Enter the name of the obligation"),
        Length(max=120, message="The name must be 120 characters or fewer")])
    interval_months = WholeNumberField("How often, in months",
                                       description="Due this many months after it was last "
                                                   "done (not needed for the inspection year)")
    report_name = StringField("Report that follows (optional)", widget=GovTextInput(),
                              description="For example, Reg 45 report sent to Ofsted")
    report_due_days = WholeNumberField("Report due, days after it is done (optional)")
    notice_days = WholeNumberField("Days of notice", "Enter the days of notice",
                                   description="It shows as due this many days before its date")
    active = BooleanField("Applies to every open home", widget=GovCheckboxInput())
    submit = SubmitField("Save rule", widget=GovSubmitInput())


class NewRuleForm(RuleForm):
    schedule = RadioField("How it recurs", widget=GovRadioInput(), validate_choice=False,
                          choices=choices(SCHEDULES.items()),
                          validators=[AnyOf(list(SCHEDULES), "Select how it recurs")])
    active = None
    submit = SubmitField("Add rule", widget=GovSubmitInput())
