"""Forms for staff records, the rota and the relief pool. They parse input; the services hold
the rules, and put their refusals beside the same field names."""
from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Length, StopValidation
from wtforms.widgets import CheckboxInput

from ..fields import GovDateField, WholeNumberField
from ..web import OneTimeForm, choices
from .models import ABSENCE_KINDS, SHIFT_KINDS, STAFF_ROLES, WORKED_OUTCOMES
from .settings import SHORT_REST
from .times import WEEKDAYS

TIME = re.compile(r"^(\d{1,2})[:.]?(\d{2})$")


def _id(value) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def id_select(label: str, **kwargs) -> SelectField:
    """A select of records (blank allowed); the service judges the id."""
    return SelectField(label, coerce=_id, validate_choice=False, widget=GovSelect(), **kwargs)


def radios(label: str, options: dict, message: str, hint: str = "") -> RadioField:
    return RadioField(label, choices=choices(options.items()), validate_choice=False,
                      widget=GovRadioInput(), validators=[AnyOf(list(options), message)],
                      description=hint)


def button(text: str) -> SubmitField:
    return SubmitField(text, widget=GovSubmitInput())


def checkbox(label: str, hint: str = "") -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput(), description=hint)


def text(label: str, limit: int, hint: str = "") -> StringField:
    return StringField(label, widget=GovTextInput(), description=hint, validators=[
        Length(max=limit, message=f"{label} must be {limit} characters or fewer")])


def area(label: str, hint: str = "", limit: int = 2000) -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=hint, validators=[
        Length(max=limit, message=f"Keep it under {limit} characters")])


class TimeText(StringField):
    """A time of day typed as 07:30 (or 0730, 7.30); blank is None."""

    widget = GovTextInput()

    def __init__(self, label: str, required: str | None = None, **kwargs):
        kwargs.setdefault("description", "Use the 24-hour clock, like 07:30 or 22:00")
        super().__init__(label, **kwargs)
        self.required = required
        self.time: time | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.time = None
        raw = (self.data or "").strip()
        if not raw:
            return
        found = TIME.match(raw)
        hour, minute = (int(found.group(1)), int(found.group(2))) if found else (99, 99)
        if hour > 23 or minute > 59:
            raise ValueError(f"{self.label.text} must be a time like 07:30 (00:00 to 23:59)")
        self.time = time(hour, minute)

    def _value(self):
        return self.data if isinstance(self.data, str) else (
            self.data.strftime("%H:%M") if self.data else "")

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.time is None and self.required:
            raise StopValidation(self.required)


class HoursField(StringField):
    """Hours a week like 37.5; `minutes` holds it as whole minutes."""

    widget = GovTextInput()

    def __init__(self, label: str, **kwargs):
        super().__init__(label, **kwargs)
        self.minutes: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.minutes = None
        raw = (self.data or "").strip()
        if not raw:
            raise ValueError(f"Enter {self.label.text.lower()} (0 for none)")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"{self.label.text} must be a number, like 37.5") from None
        if not amount.is_finite():
            raise ValueError(f"{self.label.text} must be a number, like 37.5")
        self.minutes = int(amount * 60)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


# ---- staff ------------------------------------------------------------------------------

class StaffForm(OneTimeForm):
    version = HiddenField()
    name = text("Full name", 120)
    role = SelectField("Role", widget=GovSelect(), validate_choice=False,
                       choices=choices([("", "Choose a role"), *STAFF_ROLES.items()]),
                       validators=[AnyOf(list(STAFF_ROLES), "Select the person's role")])
    home_id = id_select("Base home", description="Relief workers belong to the relief pool")
    contracted_hours = HoursField("Contracted hours a week",
                                  description="For example 37.5; 0 for relief workers on no "
                                  "fixed hours")
    started_on = GovDateField("Start date", "Enter the date the person started")
    user_id = id_select("Account (optional)", description="The log-in this person uses, if any")
    opted_out_48h = checkbox("Opted out of the 48-hour week in writing",
                             "Working Time Regulations 1998, regulation 5")
    level3_achieved_on = GovDateField("Level 3 Diploma achieved (optional)")
    level5_achieved_on = GovDateField("Level 5 Diploma achieved (optional, managers)")
    last_appraisal_on = GovDateField("Last appraisal (optional)")
    active = checkbox("Active", "Untick when the person leaves; their history is kept")
    submit = button("Save staff record")

    def offer(self, homes, users, relief_pool: bool) -> None:
        pool = [("", "Relief pool")] if relief_pool else [("", "Choose a home")]
        self.home_id.choices = choices(pool + [(h.id, h.name) for h in homes])
        self.user_id.choices = choices([("", "No account")] + [
            (u.id, f"{u.display_name} ({u.email})") for u in users])


class DbsForm(OneTimeForm):
    issued_on = GovDateField("Date the certificate was issued",
                             "Enter the date the certificate was issued")
    barred_list = checkbox("Includes the children's barred list check")
    update_service = checkbox("On the DBS Update Service")
    status_checked_on = GovDateField("Latest Update Service status check (optional)")
    submit = button("Save DBS check")


class TrainingForm(OneTimeForm):
    course = SelectField("Course", widget=GovSelect(), validate_choice=False)
    completed_on = GovDateField("Date completed", "Enter the date the training was completed")
    valid_until = GovDateField("Counts until", "Enter the last day the training counts",
                               description="The last day it counts, often the day before the "
                               "anniversary of completion")
    submit = button("Add training")


class InductionForm(OneTimeForm):
    home_id = id_select("Home")
    inducted_on = GovDateField("Date of the induction", "Enter the date of the induction")
    submit = button("Record induction")


class AbsenceForm(OneTimeForm):
    kind = radios("Kind of absence", ABSENCE_KINDS, "Choose the kind of absence",
                  "Their shifts on these days become uncovered")
    starts_on = GovDateField("First day away", "Enter the first day of the absence")
    ends_on = GovDateField("Last day away", "Enter the last day of the absence")
    note = area("Note (optional)", limit=500)
    submit = button("Record absence")


class SettingsForm(OneTimeForm):
    dbs_recheck_years = WholeNumberField("DBS re-check interval in years",
                                         "Enter the DBS re-check interval")
    mandatory_training = area("Mandatory training", "One course a line", limit=200)
    release_notice_hours = WholeNumberField(
        "Notice for releasing a shift, in hours", "Enter the notice in hours",
        description="Inside this, only the home's manager can release a shift")
    home_first_hours = WholeNumberField(
        "Hours a home's own part-time staff see an offer first", "Enter the hours",
        description="When a manager offers a shift to them first")
    short_rest = radios("Less than 11 hours' rest between shifts", SHORT_REST,
                        "Choose how short rest is treated",
                        "Residential homes may give compensatory rest instead (regulation 21)")
    submit = button("Save staffing settings")


# ---- rota -------------------------------------------------------------------------------

class ShiftTypeForm(OneTimeForm):
    name = text("Name", 40, "For example Early, Late, Waking night or Sleep-in")
    starts_at = TimeText("Start time", "Enter the start time")
    ends_at = TimeText("End time", "Enter the end time",
                       description="An end at or before the start time is the next morning, "
                       "like 22:00 to 08:00")
    kind = radios("Kind of shift", SHIFT_KINDS, "Choose the kind of shift",
                  "Sleep-ins count as working time but are kept apart in pay figures")
    counts_as_work = checkbox("Counts as working time (the 48-hour week)")
    submit = button("Save shift type")


class RuleForm(OneTimeForm):
    min_children = WholeNumberField("With this many children or more",
                                    "Enter the number of children")
    minimum = WholeNumberField("At least this many staff", "Enter the number of staff")
    submit = button("Save rule")


class PatternForm(OneTimeForm):
    name = text("Name", 60, "For example Four-week rota")
    weeks = WholeNumberField("Weeks before it repeats", "Enter how many weeks, 1 to 8")
    starts_on = GovDateField("Week 1 begins on", "Enter the Monday week 1 begins",
                             description="A Monday")
    submit = button("Create pattern")


class SlotForm(OneTimeForm):
    week = id_select("Week")
    weekdays = SelectMultipleField("Days", choices=choices(enumerate(WEEKDAYS)), coerce=int,
                                   widget=GovCheckboxesInput(), option_widget=CheckboxInput(),
                                   validate_choice=False)
    shift_type_id = id_select("Shift")
    staff_id = id_select("Who", description="Leave open for a shift to fill later")
    submit = button("Add to pattern")


class GenerateForm(OneTimeForm):
    first = GovDateField("First day", "Enter the first day to fill")
    last = GovDateField("Last day", "Enter the last day to fill")
    submit = button("Fill the rota")


class ShiftForm(OneTimeForm):
    shift_type_id = id_select("Shift type")
    on_date = GovDateField("Date", "Enter the date of the shift")
    starts = TimeText("Start time (optional)", description="Leave blank for the shift "
                      "type's times")
    ends = TimeText("End time (optional)")
    ends_on = GovDateField("End date (optional)", description="Only if the times differ from "
                           "the shift type's: the day the shift ends")
    submit = button("Add shift")


class VersionedForm(OneTimeForm):
    version = HiddenField()

    def seen(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class AssignForm(VersionedForm):
    staff_id = id_select("Who works this shift")
    cover = radios("How it is covered", {"contracted": "Contracted hours",
                                         "overtime": "Overtime", "agency": "Agency worker"},
                   "Choose how the shift is covered")
    agency_name = text("Agency and worker (for agency cover)", 120)
    compensatory_rest = area("Compensatory rest agreed (if they would have less than 11 "
                             "hours' rest)", limit=500)
    submit = button("Save")


class OfferForm(VersionedForm):
    audience = radios("Offer to", {"pool": "The relief pool and this home's part-time staff",
                                   "home_first": "This home's part-time staff first, then the "
                                   "relief pool"}, "Choose who to offer the shift to")
    approval = radios("When someone picks it up", {
        "instant": "Instant: the first eligible person gets it",
        "approval": "Approval: I confirm the pick-up"}, "Choose how a pick-up is confirmed")
    submit = button("Offer shift")


class ReasonForm(VersionedForm):
    reason = area("Reason", "The person is told this", limit=500)
    submit = button("Confirm")


class ApproveForm(VersionedForm):
    compensatory_rest = area("Compensatory rest agreed", "Needed when the rest between shifts "
                             "is under 11 hours", limit=500)
    induction_accepted = checkbox("Accept as an induction shift",
                                  "Needed when the person has not been inducted here")
    submit = button("Approve pick-up")


class WorkedForm(OneTimeForm):
    outcome = radios("What happened", WORKED_OUTCOMES, "Choose what happened")
    worked_by_id = id_select("Who worked it (for a swap)")
    note = area("Note (optional)", limit=500)
    submit = button("Save")


class PublishForm(OneTimeForm):
    submit = button("Publish this week")


class TapForm(OneTimeForm):
    """A one-tap action (pick up, release, withdraw, reset): just the nonce and CSRF token."""

    submit = button("Confirm")
