"""Forms for postcode overrides and the council's local-authority code."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DecimalField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from ..web import OneTimeForm


class OverrideForm(OneTimeForm):
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[
        InputRequired("Enter the postcode"), Length(max=10, message="Enter a full UK postcode")])
    latitude = DecimalField(
        "Latitude", widget=GovTextInput(), places=None,
        description="WGS84 degrees, as a map shows them, for example 52.9225",
        validators=[InputRequired("Enter the latitude as a number, like 52.9225"),
                    NumberRange(49, 61, "Enter a latitude between 49 and 61")])
    longitude = DecimalField(
        "Longitude", widget=GovTextInput(), places=None,
        description="Negative west of Greenwich, for example -1.4746",
        validators=[InputRequired("Enter the longitude as a number, like -1.4746"),
                    NumberRange(-9, 2, "Enter a longitude between -9 and 2")])
    la_code = StringField(
        "Local-authority code", widget=GovTextInput(),
        description="The ONS district code the postcode lies in, like E06000015",
        validators=[InputRequired("Enter the local-authority code")])
    note = TextAreaField("Why the override (optional)", widget=GovTextArea(),
                         validators=[Length(max=200, message="Keep the note to 200 characters")])
    submit = SubmitField("Save override", widget=GovSubmitInput())


class RemoveForm(OneTimeForm):
    submit = SubmitField("Remove override", widget=GovSubmitInput())


class CouncilAreaForm(OneTimeForm):
    la_code = StringField(
        "The council's local-authority code", widget=GovTextInput(),
        description="The ONS district code of the council's area, like E06000015 (Derby). "
        "Children whose home postcode lies in it count as placed in the council's area.",
        validators=[InputRequired("Enter the local-authority code")])
    submit = SubmitField("Save", widget=GovSubmitInput())
