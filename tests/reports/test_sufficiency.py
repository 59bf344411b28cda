"""Local placement against a hand-worked set of postcodes. Centroids come from the council's
manual overrides (the postcode service reads them before the ONS dataset), placed on the home's
meridian so distances work out by hand: a degree of latitude is 69.09 miles on a sphere of
radius 3,958.8 miles."""
from __future__ import annotations

from datetime import date

import pytest

from homes_app import clock
from homes_app.extensions import db
from homes_app.homes.models import CouncilSetting
from homes_app.postcodes.models import PostcodeOverride
from homes_app.reports import settings
from homes_app.reports.periods import Period
from homes_app.reports.sufficiency import sufficiency_report

from .support import Q1_2028, admit, table, transfer

DERBY, NOTTINGHAM = "E06000015", "E06000018"
HOME = (52.92, -1.48)


def override(postcode: str, north_of_home: float, la_code: str) -> None:
    db.session.add(PostcodeOverride(postcode=postcode, latitude=HOME[0] + north_of_home,
                                    longitude=HOME[1], la_code=la_code,
                                    updated_at=clock.utcnow()))


@pytest.fixture
def ash(make):
    db.session.add(CouncilSetting(key="postcodes.la_code", value=DERBY))
    override("DE1 2AB", 0, DERBY)  # the home
    override("DE22 1AA", 0.01, DERBY)  # 0.7 miles, in the area
    override("NG1 1AA", 0.28, NOTTINGHAM)  # 19.3 miles: near, outside the area
    override("M1 1AA", 0.30, "E08000003")  # 20.7 miles: neither
    db.session.commit()
    ash = make.home(beds=7, name="Ash House", postcode="DE1 2AB")  # one place free
    for bed, postcode in enumerate(["de22 1aa", "NG1 1AA", "M1 1AA", "", "NOT A CODE",
                                    "ZZ9 9ZZ"]):
        admit(ash, bed, make.child(home_postcode=postcode,
                                   case_reference=f"REF{bed}"), date(2028, 1, 10))
    db.session.commit()
    return ash


def test_shares_in_the_area_and_within_20_miles(ash):
    rows = table(sufficiency_report(Q1_2028, [ash.id]), "Children placed near home")
    # 6 children; 3 postcodes known; 1 of 3 in the area; 2 of 3 within 20 miles; 3 unknown.
    assert rows["Ash House"][1:] == [6, 3, 1, 33.3, 2, 66.7, 3]
    assert rows["All homes"][1:] == [6, 3, 1, 33.3, 2, 66.7, 3]


def test_shares_against_the_councils_targets(ash):
    targets = table(sufficiency_report(Q1_2028, [ash.id]), "Targets")
    assert targets["Children placed in the council's area"][1:] == [65, 33.3, "No"]
    assert targets["Children placed within 20 miles of home"][1:] == [75, 66.7, "No"]
    settings.store(settings.ReportSettings(576900, 30, 60), actor=None)
    targets = table(sufficiency_report(Q1_2028, [ash.id]), "Targets")
    assert targets["Children placed in the council's area"][1:] == [30, 33.3, "Yes"]


def test_missing_and_unknown_postcodes_are_listed_for_correction(ash):
    report = sufficiency_report(Q1_2028, [ash.id], show_case_references=True)
    assert table(report, "Children's postcodes to correct") == {
        "REF3": ["REF3", "Ash House", "", "Missing"],
        "REF4": ["REF4", "Ash House", "NOT A CODE", "Not a postcode"],
        "REF5": ["REF5", "Ash House", "ZZ9 9ZZ", "Not found"]}
    hidden = sufficiency_report(Q1_2028, [ash.id], show_case_references=False)
    assert "REF3" not in repr([t.rows for t in hidden.tables])


def test_a_child_in_two_homes_counts_in_each_and_once_for_all(ash, make):
    elm = make.home(beds=1, name="Elm House", postcode="DE1 2AB")
    stay = admit(elm, 0, make.child(home_postcode="DE22 1AA"), date(2027, 12, 1))
    transfer(stay, ash, 6, date(2028, 1, 15))
    db.session.commit()
    rows = table(sufficiency_report(Period(date(2028, 1, 1), date(2028, 1, 31)),
                                    [ash.id, elm.id]), "Children placed near home")
    assert rows["Elm House"][1:] == [1, 1, 1, 100.0, 1, 100.0, 0]
    assert rows["Ash House"][1:3] == [7, 4]
    # Seven children in all: the one who moved counts once, in Ash House.
    assert rows["All homes"][1:] == [7, 4, 2, 50.0, 3, 75.0, 3]


def test_without_the_councils_code_no_child_counts_as_in_the_area(ash):
    db.session.delete(db.session.get(CouncilSetting, "postcodes.la_code"))
    db.session.commit()
    report = sufficiency_report(Q1_2028, [ash.id])
    assert table(report, "Children placed near home")["Ash House"][3:5] == [0, None]
    assert any("local-authority code is not set" in n for n in report.notes)


def test_no_children_in_the_period_is_an_empty_report(ash):
    assert sufficiency_report(Period(date(2027, 1, 1), date(2027, 12, 31)), [ash.id]).empty
