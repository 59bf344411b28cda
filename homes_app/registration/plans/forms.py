"""Forms for a home's registration plan: starting it, its steps, completing them, evidence and
approval. They parse input; the services hold the rules and put refusals beside the same
field names. The "follows" boxes are templates.forms'."""
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

from ...fields import DATE_HINT, GovDateField, WholeNumberField
from ...homes.models import NEED_CATEGORIES, SEXES_ADMITTED
from ...web import OneTimeForm, choices
from .services import Registration


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


# ---- the template and the rules ------------------------------------------------------------


