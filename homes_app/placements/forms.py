"""Forms for children's records and moves, with GOV.UK widgets and messages.

Field names match the `field` the services put on a DomainError, so a refusal lands beside
the field it is about; `aliases` maps a service's name onto this form's where they differ.
"""
from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, HiddenInput

from ..errors import DomainError
from ..homes.models import NEED_CATEGORIES
from ..web import OneTimeForm, choices
from .children import FIELDS
from .models import CHILD_SEXES, DISCHARGE_DESTINATIONS, LEGAL_STATUSES

INCOMPLETE = "The form was incomplete. Reload the page and try again."
ENDINGS = {"planned": "Planned", "unplanned": "Unplanned (the placement broke down)"}


class GovDateField(DateField):
    """Day, month and year boxes, with the Design System's messages for missing or unreal dates."""

    widget = GovDateInput()

    def __init__(self, label: str, **kwargs):
        super().__init__(label, format="%d %m %Y",
                         invalid_value_message=f"{label} must be a real date", **kwargs)

    def process_formdata(self, valuelist):
        parts = [v.strip() for v in valuelist]
        if len(parts) != 3:
            self.raw_data = ["", "", ""]  # the widget always shows three boxes
        name = self.label.text
        if not any(parts):
            raise ValueError(f"Enter the {name[0].lower()}{name[1:]}")
        if len(parts) != 3 or not all(p.isdigit() for p in parts if p):
            raise ValueError(self.invalid_value_message)
        missing = [unit for unit, part in zip(("day", "month", "year"), parts, strict=True)
                   if not part]
        if missing:
            raise ValueError(f"{name} must include a {' and a '.join(missing)}")
        if len(parts[2]) != 4:
            raise ValueError(f"{name} must include a year with 4 numbers, like 2026")
        super().process_formdata(parts)


def _id(value) -> int | None:
    """A submitted record id, or None for anything that is not one."""
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def id_select(label: str, message: str, **kwargs) -> SelectField:
    """A select of records; choices are filled by the view, and the service judges the id."""
    return SelectField(label, coerce=_id, validate_choice=False, widget=GovSelect(),
                       validators=[DataRequired(message)], **kwargs)


def radios(label: str, choices: dict, message: str, hint: str) -> RadioField:
    """GOV.UK radios; the widget always shows a hint, so each set has one."""
    return RadioField(label, choices=options(choices.items()), validate_choice=False,
                      widget=GovRadioInput(), validators=[AnyOf(list(choices), message)],
                      description=hint)


def button(text: str) -> SubmitField:
    return SubmitField(text, widget=GovSubmitInput())


def in_service(beds, today: date) -> list:
    return [b for b in beds if b.in_service_until is None or b.in_service_until > today]


options = choices  # (value, label) pairs as WTForms choices


def with_blank(prompt: str, pairs) -> list[SelectChoice]:
    return options([("", prompt), *pairs])


class MoveForm(OneTimeForm):
    """Carries the home's version when the form was opened: a changed home makes it stale."""

    home_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(INCOMPLETE)])
    aliases: dict[str, str] = {}

    def place(self, error: DomainError) -> DomainError:
        field = self.aliases.get(error.field, error.field)
        return error if field == error.field else DomainError(error.message, field)

    def refresh_version(self, version: int) -> None:
        self.home_version.data, self.home_version.raw_data = version, None


class ChooseChildAndBed(MoveForm):
    child_id = id_select("Child", "Choose a child")
    bed_id = id_select("Bed", "Choose a bed")

    def offer(self, children, beds, today: date) -> None:
        self.child_id.choices = with_blank("Choose a child", [
            (c.id, f"{c.preferred_name} ({c.case_reference})") for c in children])
        self.bed_id.choices = with_blank("Choose a bed", [
            (b.id, b.label) for b in in_service(beds, today)])


class AdmitForm(ChooseChildAndBed):
    starts_on = GovDateField("Date of admission",
                             description="The day the child arrived, for example 27 3 2026")
    admission_type = radios("Type of admission", {"planned": "Planned", "emergency": "Emergency"},
                            "Select the type of admission",
                            "Emergency: the child came the same day, without the usual matching")
    submit = button("Admit child")


class PlanForm(ChooseChildAndBed):
    starts_on = GovDateField("Expected date of admission",
                             description="The bed is held for the child from today")
    submit = button("Plan admission")


class ConfirmForm(MoveForm):
    starts_on = GovDateField("Date the child arrived")
    submit = button("Confirm arrival")


class RedateForm(MoveForm):
    starts_on = GovDateField("New expected date of admission")
    submit = button("Change date")


class CancelForm(MoveForm):
    submit = button("Cancel planned admission")


class TransferForm(MoveForm):
    bed_id = id_select("New bed", "Choose the bed the child is moving to",
                       description="A bed in this home or another home you manage")
    ends_on = GovDateField("Date of transfer")
    ending = radios("Was the move planned?", ENDINGS, "Select whether the move was planned",
                    "Unplanned if the child had to move because the placement broke down")
    submit = button("Transfer child")
    # The new stay's checks (maximum children, registration) speak of its start: the transfer.
    aliases = {"starts_on": "ends_on", "child_id": "bed_id"}

    def offer(self, beds, today: date) -> None:
        self.bed_id.choices = with_blank("Choose a bed", [
            (b.id, f"{b.home.name}: {b.label}") for b in in_service(beds, today)])


class DischargeForm(MoveForm):
    ends_on = GovDateField("Date the child left",
                           description="The child's last night in the home is the night before")
    destination = SelectField("Where did the child go?", widget=GovSelect(),
                              choices=with_blank("Choose a destination",
                                                 DISCHARGE_DESTINATIONS.items()),
                              validate_choice=False,
                              validators=[AnyOf(list(DISCHARGE_DESTINATIONS),
                                                "Choose where the child went")])
    ending = radios("Was the ending planned?", ENDINGS, "Select whether the ending was planned",
                    "Unplanned if the placement broke down")
    submit = button("Record discharge")


class CorrectForm(MoveForm):
    starts_on = GovDateField("Date of admission")
    ends_on = GovDateField("Date the stay ended")
    reason = TextAreaField("Reason for the correction", widget=GovTextArea(),
                           description="This is kept with the history of the stay",
                           validators=[DataRequired("Give the reason for the correction"),
                                       Length(max=2000, message="Keep the reason under 2000 "
                                                                "characters")])
    submit = button("Save correction")


class ChildForm(OneTimeForm):
    case_reference = StringField(
        "Case reference", widget=GovTextInput(),
        description="The child's reference in the council's case management system",
        validators=[DataRequired("Enter the case reference"),
                    Length(max=40, message="The case reference must be 40 characters or fewer")])
    preferred_name = StringField(
        "Preferred name", widget=GovTextInput(),
        description="The name the child likes to be called",
        validators=[DataRequired("Enter the name the child likes to be called"),
                    Length(max=80, message="The name must be 80 characters or fewer")])
    date_of_birth = GovDateField("Date of birth", description="For example, 17 5 2012")
    sex = radios("Sex", CHILD_SEXES, "Select the child's sex",
                 "As recorded in the case management system")
    legal_status = SelectField(
        "Legal status", widget=GovSelect(), validate_choice=False,
        choices=with_blank("Choose a legal status",
                           [(k, f"{k}: {v}") for k, v in LEGAL_STATUSES.items()]),
        validators=[AnyOf(list(LEGAL_STATUSES), "Select the child's legal status")])
    home_postcode = StringField(
        "Home postcode (optional)", widget=GovTextInput(),
        description="The postcode of the child's family home, used for distance from home",
        validators=[Length(max=10, message="Enter a full UK postcode, like DE22 1AA")])
    uasc = BooleanField("Unaccompanied asylum-seeking child (UASC)", widget=GovCheckboxInput(),
                        description="Tick if the child came to the UK alone to seek asylum")
    needs = SelectMultipleField("Needs (optional)", choices=options(NEED_CATEGORIES.items()),
                                widget=GovCheckboxesInput(), option_widget=CheckboxInput(),
                                description="Select all that apply, for matching")
    submit = button("Save child's record")

    def details(self) -> dict:
        return {name: getattr(self, name).data for name in FIELDS}

    @classmethod
    def of(cls, child) -> ChildForm:
        data = {name: getattr(child, name) for name in FIELDS}
        return cls(data={**data, "needs": sorted(child.need_set)})
