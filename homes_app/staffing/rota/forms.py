"""Forms for the rota: shift types, minimum staffing, patterns, single shifts and the manager's
actions on them. They parse input; the services hold the rules, and put their refusals beside
the same field names."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput

from ...fields import GovDateField, WholeNumberField
from ...web import OneTimeForm, choices
from ..fields import TimeText, VersionedForm, area, button, checkbox, id_select, radios, text
from ..times import WEEKDAYS
from .models import SHIFT_KINDS, WORKED_OUTCOMES

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


