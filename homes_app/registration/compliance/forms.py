"""Forms for the compliance calendar, inspections and the Reg 40 log. Times are typed as
24-hour UK times and turned into aware datetimes in Europe/London here."""
from __future__ import annotations

from datetime import UTC, datetime, time

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
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length
from wtforms.widgets import CheckboxInput

from ...clock import LONDON
from ...errors import DomainError
from ...fields import DATE_HINT, GovDateField, TimeField, WholeNumberField
from ...web import OneTimeForm, choices
from .models import INSPECTION_TYPES, JUDGEMENTS, REG40_EVENTS, REG40_RECIPIENTS, SCHEDULES


class OccurrenceForm(OneTimeForm):
    completed_on = GovDateField("Date it was done", "Enter the date it was done")
    done_by = StringField("Who did it", widget=GovTextInput(),
                          description="For example, the independent person's name",
                          validators=[InputRequired("Enter who did it")])
    outcome = StringField("Outcome (optional)", widget=GovTextInput())
    note = TextAreaField("Note (optional)", widget=GovTextArea())
    submit = SubmitField("Save as done", widget=GovSubmitInput())


def _judgement(label: str) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), validate_choice=False,
                      choices=choices(JUDGEMENTS.items()))


class InspectionForm(OneTimeForm):
    inspected_on = GovDateField("Date of the inspection", "Enter the date of the inspection",
                                description="The first day Ofsted was at the home. "
                                            + DATE_HINT)
    inspection_type = RadioField("Type of inspection", widget=GovRadioInput(),
                                 validate_choice=False, choices=choices(INSPECTION_TYPES.items()),
                                 validators=[AnyOf(list(INSPECTION_TYPES),
                                                   "Select the type of inspection")])
    overall_experiences = _judgement("Overall experiences and progress of children and young "
                                     "people")
    help_and_protection = _judgement("How well children and young people are helped and "
                                     "protected")
    leadership = _judgement("The effectiveness of leaders and managers")
    note = TextAreaField("Note (optional)", widget=GovTextArea())
    submit = SubmitField("Save inspection", widget=GovSubmitInput())

    def judgements(self) -> dict[str, str | None]:
        return {a: getattr(self, a).data or None
                for a in ("overall_experiences", "help_and_protection", "leadership")}


def london_moment(day, at: time | None, field: str) -> datetime | None:
    """A London date and time as an aware datetime. A time the clocks skip (going forward)
    does not exist and is refused; in the hour that repeats, the first (summer time) is
    taken."""
    if day is None or at is None:
        return None
    moment = datetime.combine(day, at, LONDON)
    if moment.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != \
            moment.replace(tzinfo=None):
        raise DomainError(f"{at:%H:%M} on {day:%-d %B %Y} did not happen in the UK: the "
                          "clocks went forward an hour", field)
    return moment


def _when(what: str) -> tuple[GovDateField, TimeField]:
    return (GovDateField(f"Date {what}", f"Enter the date {what}"),
            TimeField(f"Time {what}", description="24-hour clock, UK time, like 14:30"))


class NotifiedForm(OneTimeForm):
    notified_on, notified_time = _when("notified")
    notified_to = SelectMultipleField("Who was notified", widget=GovCheckboxesInput(),
                                      option_widget=CheckboxInput(), validate_choice=False,
                                      choices=choices(REG40_RECIPIENTS.items()))
    submit = SubmitField("Save notification", widget=GovSubmitInput())

    def notified_at(self) -> datetime | None:
        if self.notified_on.data is not None and self.notified_time.time is None:
            raise DomainError("Enter the time they were notified", "notified_time")
        if self.notified_on.data is None and self.notified_time.time is not None:
            raise DomainError("Enter the date they were notified", "notified_on")
        return london_moment(self.notified_on.data, self.notified_time.time, "notified_time")


class Reg40Form(NotifiedForm):
    event_type = SelectField("Type of event", widget=GovSelect(), validate_choice=False,
                             choices=choices([("", "Choose the type of event"),
                                              *REG40_EVENTS.items()]),
                             validators=[AnyOf(list(REG40_EVENTS), "Select the type of event")])
    event_on, event_time = _when("of the event")
    summary = TextAreaField("What happened", widget=GovTextArea(),
                            description="Briefly, without the child's name",
                            validators=[InputRequired("Enter what happened, briefly")])
    notified_on = GovDateField("Date notified (optional)")
    notified_time = TimeField("Time notified (optional)",
                              description="24-hour clock, UK time, like 14:30")
    notified_to = SelectMultipleField("Who was notified (optional)", widget=GovCheckboxesInput(),
                                      option_widget=CheckboxInput(), validate_choice=False,
                                      choices=choices(REG40_RECIPIENTS.items()))
    submit = SubmitField("Save event", widget=GovSubmitInput())

    def event_at(self) -> datetime | None:
        if self.event_time.time is None:
            raise DomainError("Enter the time of the event", "event_time")
        return london_moment(self.event_on.data, self.event_time.time, "event_time")


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
