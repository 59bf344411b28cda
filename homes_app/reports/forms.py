"""The reports' forms: the filter every report shares (a period, homes and a home type, read
from the query string so that a filtered report is a link that can be kept, printed or
downloaded), and the administrators' report settings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSelect, GovSubmitInput
from sqlalchemy import select
from sqlalchemy.orm import lazyload
from wtforms import SelectField, SelectMultipleField, SubmitField
from wtforms.validators import StopValidation

from ..extensions import db
from ..fields import GovDateField, PoundsField, WholeNumberField
from ..homes.models import HOME_TYPES, Home
from ..web import CheckedForm, OneTimeForm, choices
from .periods import Period, default_period
from .settings import ReportSettings

MAX_YEARS = 5
UNKNOWN_HOME = "Select homes from the list"


class HomesField(SelectMultipleField):
    """Checkboxes of the homes in the person's scope; any other id is refused, never shown."""

    widget = GovCheckboxesInput()

    def pre_validate(self, form):
        allowed = {c.value if hasattr(c, "value") else c[0] for c in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise StopValidation(UNKNOWN_HOME)


class FilterForm(CheckedForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    period_from = GovDateField("From")
    period_to = GovDateField("To")
    home = HomesField("Homes", description="Leave all unticked for every home",
                      coerce=str)
    home_type = SelectField("Home type", widget=GovSelect(), default="",
                            choices=choices([("", "Any type"), *HOME_TYPES.items()]))
    submit = SubmitField("Show report", widget=GovSubmitInput())

    def __init__(self, formdata, homes: list[Home], today: date):
        super().__init__(formdata=formdata)
        self.home.choices = choices((str(h.id), h.name) for h in homes)
        self.homes, self.today = homes, today

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        first, last = self.period_from.data, self.period_to.data
        if first is None and last is None:
            return True
        message = None
        if last is None:
            field, message = self.period_to, "Enter the last day of the period"
        elif first is None:
            field, message = self.period_from, "Enter the first day of the period"
        elif last < first:
            field, message = self.period_to, ("The end of the period must be the same as or "
                                              "after its start")
        elif (last.year - first.year) * 12 + last.month - first.month >= MAX_YEARS * 12:
            field, message = self.period_to, f"The period can be at most {MAX_YEARS} years"
        if message:
            field.errors = [*field.errors, message]
            return False
        return True


@dataclass
class Selection:
    period: Period
    home_ids: list[int]
    home_type: str


def read(form: FilterForm) -> Selection | None:
    """The chosen period and homes, or None when the form has errors (shown beside fields)."""
    if not form.validate():
        return None
    if form.period_from.data is None:
        period = default_period(form.today)
        form.period_from.data, form.period_to.data = period.first, period.last
        form.period_from.raw_data = form.period_to.raw_data = None
    else:
        period = Period(form.period_from.data, form.period_to.data)
    chosen = set(form.home.data or [])
    ids = [h.id for h in form.homes
           if (not chosen or str(h.id) in chosen)
           and (not form.home_type.data or h.home_type == form.home_type.data)]
    return Selection(period, ids, form.home_type.data or "")


def homes_in(scope: set[int] | None) -> list[Home]:
    """Homes a person may report on, by name: one query."""
    stmt = select(Home).options(lazyload(Home.beds)).where(Home.registered_on.is_not(None)).order_by(Home.name)
    if scope is not None:
        stmt = stmt.where(Home.id.in_(scope))
    return list(db.session.scalars(stmt))


class ReportSettingsForm(OneTimeForm):
    external_weekly_price = PoundsField(
        "External weekly price", description="What a week in an external children's home costs "
        "the council, for example 5769. Reports compare each home's cost with it")
    in_area_target_pct = WholeNumberField(
        "Target for children placed in the council's area", "Enter the target for children "
        "placed in the council's area", description="A percentage from 1 to 100")
    within_20_miles_target_pct = WholeNumberField(
        "Target for children placed within 20 miles of home", "Enter the target for children "
        "placed within 20 miles of home", description="A percentage from 1 to 100")
    submit = SubmitField("Save settings", widget=GovSubmitInput())

    def validate_external_weekly_price(self, field):
        if field.pence is None and not field.errors:
            from wtforms.validators import StopValidation

            raise StopValidation("Enter the external weekly price")

    def settings(self) -> ReportSettings:
        return ReportSettings(self.external_weekly_price.pence or 0,
                              self.in_area_target_pct.data, self.within_20_miles_target_pct.data)


def form_data(s: ReportSettings) -> dict:
    return {"external_weekly_price": f"{s.external_weekly_price_pence / 100:.2f}",
            "in_area_target_pct": s.in_area_target_pct,
            "within_20_miles_target_pct": s.within_20_miles_target_pct}
