"""The form fields every domain's forms share, written as GOV.UK's patterns ask: a date as
day, month and year boxes; numbers and money typed as text, with messages that say what to
type."""
from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import StopValidation, ValidationError

from .common.dates import EARLIEST, LATEST, within_reach
from .types import LARGEST_INTEGER

DATE_HINT = "For example, 27 3 2026"


class GovDateField(DateField):
    """Day, month and year boxes. All blank is no date; `required` is then the message."""

    widget = GovDateInput()

    def __init__(self, label: str, required: str | None = None, **kwargs):
        kwargs.setdefault("description", DATE_HINT)
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.required = required

    def process_formdata(self, valuelist):
        day, month, year = ([(v or "").strip() for v in valuelist] + ["", "", ""])[:3]
        self.raw_data = [day, month, year]  # the widget shows exactly three boxes back
        self.data = None
        if not (day or month or year):
            return
        for name, part in (("day", day), ("month", month), ("year", year)):
            if not part:
                raise ValueError(f"{self.label.text} must include a {name}")
        real = f"{self.label.text} must be a real date"
        if not all(p.isdigit() for p in (day, month, year)):
            raise ValueError(real)
        if len(year) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = datetime.strptime(f"{day} {month} {year}", "%d %m %Y").date()
        except ValueError:
            raise ValueError(real) from None
        if not within_reach(self.data):
            self.data = None
            raise ValueError(out_of_reach(self))

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required:
            raise StopValidation(self.required)


def out_of_reach(field) -> str:
    """Why a real date no record can be about (common/dates.py) is refused."""
    return f"{field.label.text} must be between {EARLIEST.year} and {LATEST.year}"


def reachable_date(_form, field) -> None:
    """A validator for a DateField of WTForms' own: a date a record can be about."""
    if field.data is not None and not within_reach(field.data):
        raise ValidationError(out_of_reach(field))


class WholeNumberField(IntegerField):
    """A number typed as text (GOV.UK advises against type=number); blank is None."""

    widget = GovTextInput()

    def __init__(self, label: str, required: str | None = None, **kwargs):
        super().__init__(label, **kwargs)
        self.required = required

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip().rstrip("%").strip()
        self.data = None
        if raw:
            try:
                self.data = int(raw)
            except ValueError:
                raise ValueError(f"{self.label.text} must be a whole number") from None
            if abs(self.data) > LARGEST_INTEGER:  # more than any column holds
                self.data = None
                raise ValueError(f"{self.label.text} must be between -{LARGEST_INTEGER:,} "
                                 f"and {LARGEST_INTEGER:,}")

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required:
            raise StopValidation(self.required)


class PoundsField(StringField):
    """An amount in pounds and pence, like 4,250.50; `pence` holds it as whole pence."""

    widget = GovTextInput()
    pence: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.pence = None
        raw = (self.data or "").strip().lstrip("£").replace(",", "").strip()
        if not raw:
            return
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"{self.label.text} must be an amount in pounds, like 4250 "
                             "or 4250.50") from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise ValueError(f"{self.label.text} must be in pounds and pence, like 4250.50")
        if abs(amount * 100) > LARGEST_INTEGER:  # more pence than any column holds
            raise ValueError(f"{self.label.text} must be £{LARGEST_INTEGER / 100:,.2f} or less")
        self.pence = int(amount * 100)


class TimeField(StringField):
    """A time of day typed as 24-hour text, like 14:30; blank is None."""

    widget = GovTextInput()
    time: time | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.time = None
        raw = (self.data or "").strip()
        if not raw:
            return
        found = re.fullmatch(r"(\d{1,2})[:.](\d{2})", raw)
        if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
            raise ValueError(f"{self.label.text} must be a 24-hour time, like 14:30")
        self.time = time(int(found.group(1)), int(found.group(2)))
