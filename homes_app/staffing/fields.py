"""The staffing forms' shared fields: GOV.UK-styled text, radios, checkboxes, record selects,
24-hour times and hours; and VersionedForm, whose hidden version catches stale forms."""
from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import (
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
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Length, StopValidation

from ..web import OneTimeForm, choices

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


class VersionedForm(OneTimeForm):
    version = HiddenField()

    def seen(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1
