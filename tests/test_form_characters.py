"""Names, notes and case references refuse control characters and hidden formatting characters
(NUL, a bare carriage return, bidirectional overrides, zero-width characters) with a message
beside the field, and nothing is saved; a note keeps its ordinary line breaks. Every form of
the app is a web.CheckedForm, so every one of them checks."""
from __future__ import annotations

import html
import importlib
import pkgutil
from datetime import date

import pytest
from sqlalchemy import func, select
from wtforms import Form

import homes_app
from homes_app.common.text import unsafe_characters
from homes_app.extensions import db
from homes_app.homes.models import BedHold, Home
from homes_app.placements.models import Child
from homes_app.web import CheckedForm
from tests.helpers import submit
from tests.homes.forms_data import home_post

REFUSED = "must not contain control characters or hidden formatting characters"
HIDDEN = {
    "NUL": "\x00", "escape": "\x1b", "delete": "\x7f", "C1 next line": "\x85",
    "right-to-left override": "\u202e", "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068", "pop directional isolate": "\u2069",
    "right-to-left mark": "\u200f", "zero-width space": "\u200b", "zero-width joiner": "\u200d",
    "byte order mark": "\ufeff", "unpaired surrogate": "\ud800", "line separator": "\u2028",
}
ORDINARY = ["Zoë O'Brien-Smith", "Siân Ŵyn ap Rhys", "Nguyễn Thị Lan", "محمد علي", "王小明",
            "LCS-900 900/2", "£4,250.50 (weekly)", "Dewi 🙂", "Ash & Elm — 3 beds"]


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_control_and_hidden_formatting_characters_are_found(char):
    assert unsafe_characters(f"Drew{char}Smith") == [char]
    assert unsafe_characters(f"Drew{char}Smith", multiline=True) == [char]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_names_in_any_script_have_none(text):
    assert unsafe_characters(text) == []


def test_a_note_of_several_lines_keeps_its_line_breaks_and_tabs_but_not_a_bare_return():
    note = "Visit went well.\r\nNext one:\n\tFriday"
    assert unsafe_characters(note, multiline=True) == []
    assert unsafe_characters(note) == ["\r", "\n", "\t"]  # a name is one line
    assert unsafe_characters("Visit went well.\rNext one", multiline=True) == ["\r"]


def test_every_form_in_the_app_refuses_them():
    for module in pkgutil.walk_packages(homes_app.__path__, "homes_app."):
        if module.name != "homes_app.gunicorn_config":  # settings that refuse to load here
            importlib.import_module(module.name)
    forms = [form for form in all_subclasses(Form) if form.__module__.startswith("homes_app.")]
    assert len(forms) > 50
    unchecked = [f"{form.__module__}.{form.__name__}" for form in forms
                 if not issubclass(form, CheckedForm)]
    assert unchecked == []


def all_subclasses(cls) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= all_subclasses(sub)
    return found


CHILD = {"case_reference": "MOS-42", "preferred_name": "Drew",
         "date_of_birth": ["1", "2", "2013"], "sex": "female", "legal_status": "V2"}


@pytest.mark.parametrize(("field", "label", "value"), [
    ("preferred_name", "Preferred name", "Drew\u202eweRD"),
    ("preferred_name", "Preferred name", "Dr\u200bew"),
    ("case_reference", "Case reference", "MOS\x0042"),
    ("case_reference", "Case reference", "MOS-42\r"),
])
def test_a_childs_name_or_case_reference_with_them_is_refused(client, make, login, field,
                                                              label, value):
    home = make.home()
    login(make.user("registered_manager", homes=[home]))
    response = submit(client, "/children/new", {**CHILD, field: value})
    assert response.status_code == 200
    assert f"{label} {REFUSED}" in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(Child.id))) == 0
    assert submit(client, "/children/new", CHILD).status_code == 302


def test_a_home_name_with_a_nul_is_refused(client, make, login):
    login(make.user("administrator"))
    response = submit(client, "/homes/new", home_post(name="Birch\x00House"))
    assert f"Name {REFUSED}" in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(Home.id))) == 0
    assert submit(client, "/homes/new", home_post(name="Birch House")).status_code == 302


def test_a_note_keeps_its_line_breaks_but_refuses_a_bare_carriage_return(client, make, login):
    home = make.home(beds=1)
    login(make.user("registered_manager", homes=[home]))
    url = f"/homes/{home.id}/beds/{home.beds[0].id}/hold"
    hold = {"starts_on": ["22", "11", "2026"], "ends_on": ["1", "12", "2026"]}
    refused = submit(client, url, {**hold, "note": "Matching\rBEGIN:VEVENT"})
    assert f"Why the bed is held {REFUSED}" in html.unescape(refused.get_data(as_text=True))
    assert db.session.scalar(select(func.count(BedHold.id))) == 0
    assert submit(client, url, {**hold, "note": "Matching\r\nfor a sibling"}).status_code == 302
    saved = db.session.scalars(select(BedHold)).one()
    assert saved.note == "Matching\r\nfor a sibling" and saved.starts_on == date(2026, 11, 22)
