"""The administrators' form for the report settings."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from ..homes.forms import PoundsField, WholeNumberField
from ..web import OneTimeForm
from .settings import ReportSettings


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
