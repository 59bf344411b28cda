"""Forms for staff records and their compliance (DBS, training, inductions, absence) and the
council's staffing settings. They parse input; the services hold the rules."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from ...fields import GovDateField, WholeNumberField
from ...web import OneTimeForm, choices
from ..fields import HoursField, area, button, checkbox, id_select, radios, text
from ..settings import SHORT_REST
from .models import ABSENCE_KINDS, STAFF_ROLES


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
