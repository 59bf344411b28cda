"""Forms for administering homes, beds and settings. They parse input; the services hold the
rules, and put their refusals beside the same field names."""
from __future__ import annotations

from decimal import Decimal

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from ..fields import DATE_HINT, GovDateField, PoundsField, WholeNumberField
from ..web import OneTimeForm
from ..web import choices as web_choices
from .models import HOME_STATUSES, HOME_TYPES, NEED_CATEGORIES, OUT_OF_USE_REASONS, SEXES_ADMITTED
from .services import HomeDetails


def _radio(label: str, choices: dict, message: str, hint: str = "") -> RadioField:
    return RadioField(label, choices=web_choices(choices.items()), widget=GovRadioInput(),
                      description=hint, validators=[InputRequired(message)])


class HomeForm(OneTimeForm):
    version = HiddenField()
    name = StringField("Name", widget=GovTextInput(), validators=[
        InputRequired("Enter the name of the home"),
        Length(max=120, message="Name must be 120 characters or fewer")])
    address = TextAreaField("Address", widget=GovTextArea(),
                            description="Optional while the home is only planned")
    postcode = StringField("Postcode", widget=GovTextInput())
    district = StringField("Council district", widget=GovTextInput(), validators=[
        Length(max=80, message="Council district must be 80 characters or fewer")])
    home_type = _radio("Type of home", HOME_TYPES, "Select the type of home")
    status = _radio("Status", HOME_STATUSES, "Select the home's status")
    registered_on = GovDateField("Date registered with Ofsted",
                                 description="Needed once the home is registered. " + DATE_HINT)
    closed_on = GovDateField("Date closed", description="Only for a home that has closed. "
                             + DATE_HINT)
    ofsted_urn = StringField("Ofsted URN", widget=GovTextInput(),
                             description="SC followed by 6 numbers, or 7 numbers")
    # The service checks the choice is an active registered manager.
    registered_manager_id = SelectField("Registered manager", widget=GovSelect(), default="",
                                        choices=web_choices([("", "Not appointed yet")]),
                                        validate_choice=False)
    target_occupancy_pct = WholeNumberField("Target occupancy")
    weekly_unit_cost = PoundsField("Weekly unit cost",
                                   description="What a week in this home costs the council")
    max_children = WholeNumberField("Maximum number of children", "Enter the maximum number "
                                    "of children", description="From the conditions of "
                                    "registration, 1 to 12")
    min_age = WholeNumberField("Youngest age", "Enter the youngest age the home may look after")
    max_age = WholeNumberField("Oldest age", "Enter the oldest age the home may look after")
    sex_admitted = _radio("Children the home may look after", SEXES_ADMITTED,
                          "Select which children the home may look after")
    categories_of_need = SelectMultipleField("Categories of need",
                                             choices=web_choices(NEED_CATEGORIES.items()),
                                             widget=GovCheckboxesInput())
    submit = SubmitField("Save home", widget=GovSubmitInput())

    def set_managers(self, managers) -> None:
        self.registered_manager_id.choices = web_choices([("", "Not appointed yet")] + [
            (u.id, f"{u.display_name} ({u.email})") for u in managers])

    def details(self) -> HomeDetails:
        manager = (self.registered_manager_id.data or "").strip()
        return HomeDetails(
            name=self.name.data or "", address=self.address.data or "",
            postcode=self.postcode.data or "", district=self.district.data or "",
            home_type=self.home_type.data, status=self.status.data,
            ofsted_urn=self.ofsted_urn.data or "", registered_on=self.registered_on.data,
            closed_on=self.closed_on.data,
            registered_manager_id=(int(manager) if manager.isdigit() else -1) if manager
            else None,
            target_occupancy_pct=self.target_occupancy_pct.data,
            weekly_unit_cost_pence=self.weekly_unit_cost.pence,
            max_children=self.max_children.data, min_age=self.min_age.data,
            max_age=self.max_age.data, sex_admitted=self.sex_admitted.data,
            categories_of_need=tuple(self.categories_of_need.data or ()))


def home_data(home) -> dict:
    """A home's values as the form shows them."""
    cost = home.weekly_unit_cost_pence
    return {
        "version": home.version, "name": home.name, "address": home.address,
        "postcode": home.postcode, "district": home.district, "home_type": home.home_type,
        "status": home.status, "registered_on": home.registered_on, "closed_on": home.closed_on,
        "ofsted_urn": home.ofsted_urn or "",
        "registered_manager_id": str(home.registered_manager_id or ""),
        "target_occupancy_pct": home.target_occupancy_pct,
        "weekly_unit_cost": "" if cost is None else f"{Decimal(cost) / 100:.2f}",
        "max_children": home.max_children, "min_age": home.min_age, "max_age": home.max_age,
        "sex_admitted": home.sex_admitted, "categories_of_need": sorted(home.needs),
    }


class BedForm(OneTimeForm):
    version = HiddenField()
    label = StringField("Name of the bed", widget=GovTextInput(),
                        description="For example, Bed 3 or Blue room",
                        validators=[InputRequired("Enter a name for the bed")])
    in_service_from = GovDateField("Date the bed comes into service",
                                   "Enter the date the bed comes into service")
    submit = SubmitField("Add bed", widget=GovSubmitInput())


class RetireBedForm(OneTimeForm):
    version = HiddenField()
    in_service_until = GovDateField(
        "Date the bed leaves service", "Enter the date the bed leaves service",
        description="Its last night in use is the night before. " + DATE_HINT)
    submit = SubmitField("Take bed out of service", widget=GovSubmitInput())


class HoldForm(OneTimeForm):
    version = HiddenField()
    starts_on = GovDateField("Start date", "Enter the date the hold starts")
    ends_on = GovDateField("End date (optional)",
                           description="The bed is free again from the night of this date. "
                           "Leave blank if you do not know yet. " + DATE_HINT)
    note = TextAreaField("Why the bed is held", widget=GovTextArea(),
                         description="For example, the child living here needs to live alone")
    submit = SubmitField("Hold bed", widget=GovSubmitInput())


class OutOfUseForm(OneTimeForm):
    version = HiddenField()
    reason = _radio("Why the bed is out of use", OUT_OF_USE_REASONS,
                    "Select why the bed is out of use", "Choose the main reason")
    note = TextAreaField("Details", widget=GovTextArea(),
                         description="Needed if you chose Other")
    starts_on = GovDateField("Start date", "Enter the date the bed goes out of use")
    ends_on = GovDateField("End date (optional)",
                           description="The bed is back in use from the night of this date. "
                           "Leave blank if you do not know yet. " + DATE_HINT)
    submit = SubmitField("Mark bed out of use", widget=GovSubmitInput())


class EndPeriodForm(OneTimeForm):
    version = HiddenField()
    ends_on = GovDateField("End date", "Enter the end date",
                           description="The bed is available again from the night of this "
                           "date. " + DATE_HINT)
    submit = SubmitField("Save end date", widget=GovSubmitInput())


class SettingsForm(OneTimeForm):
    default_target_occupancy_pct = WholeNumberField(
        "Default target occupancy", "Enter the default target occupancy",
        description="A percentage from 1 to 100, used for every home without its own target")
    submit = SubmitField("Save settings", widget=GovSubmitInput())


def seen_version(form) -> int:
    """The home version the posted form was opened at; a missing or tampered one is stale."""
    try:
        return int((form.version.raw_data or [""])[0])
    except (TypeError, ValueError):
        return -1
