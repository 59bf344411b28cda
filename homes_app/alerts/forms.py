"""Forms: acknowledge (optional note), resolve (a reason), the council's alert settings and a
person's email preferences. They parse input; services and settings.check hold the rules."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput

from ..fields import TimeField, WholeNumberField
from ..web import OneTimeForm, choices
from .services import NOTE_MAX
from .settings import KINDS, LIMITS

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _area(label: str, hint: str = "") -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=hint, validators=[
        Length(max=NOTE_MAX, message=f"Keep it under {NOTE_MAX} characters")])


class AcknowledgeForm(OneTimeForm):
    note = _area("Note (optional)", "What you are doing about it, for others who see it")
    submit = SubmitField("Acknowledge alert", widget=GovSubmitInput())


class ResolveForm(OneTimeForm):
    reason = _area("Why is it resolved?", "If the condition still stands it is not raised again "
                   "until it has cleared")
    submit = SubmitField("Resolve alert", widget=GovSubmitInput())


class SettingsForm(OneTimeForm):
    enabled = SelectMultipleField("Alerts switched on", widget=GovCheckboxesInput(),
                                  option_widget=CheckboxInput(), validate_choice=False,
                                  choices=choices(KINDS.items()))
    submit = SubmitField("Save alert settings", widget=GovSubmitInput())


for _name, (_label, _low, _high) in LIMITS.items():
    setattr(SettingsForm, _name, WholeNumberField(
        _label, f"Enter the {_label[0].lower()}{_label[1:]}",
        description=f"A whole number from {_low} to {_high}"))


class PreferencesForm(OneTimeForm):
    digest_enabled = BooleanField("Send me a daily digest of open alerts",
                                  widget=GovCheckboxInput())
    digest_at = TimeField("Digest time", description="24-hour clock, UK time, like 07:30")
    digest_days = SelectMultipleField("Digest days", widget=GovCheckboxesInput(),
                                      option_widget=CheckboxInput(), validate_choice=False,
                                      choices=choices(enumerate(DAYS)))
    immediate_high = BooleanField("Email me at once about high-severity alerts I must act on",
                                  widget=GovCheckboxInput())
    submit = SubmitField("Save email preferences", widget=GovSubmitInput())
