"""Postcode normalisation, look-ups in the ONS dataset, overrides winning, the grid conversion
and distances checked by hand, and the council's LA code checked against the dataset."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from homes_app.errors import DomainError
from homes_app.extensions import db
from homes_app.postcodes import geo
from homes_app.postcodes.overrides import save_override, set_council_la_code
from homes_app.postcodes.services import (
    Centroid,
    centroids,
    council_la_code,
    miles_between,
    normalise,
)


@pytest.mark.parametrize("given, kept", [
    ("de1 2ab", "DE1 2AB"), (" DE1  2AB ", "DE1 2AB"), ("sw1a1aa", "SW1A 1AA"),
    ("M11AE", "M1 1AE"), ("gir 0aa", "GIR 0AA"), ("", ""), ("DE1", ""), ("12345", ""),
    ("DE1 2AB X", ""), (None, ""),
])
def test_postcodes_are_normalised_or_refused_by_shape(given, kept):
    assert normalise(given) == kept


def test_a_known_postcode_has_its_ons_centroid_and_district(app):
    found = centroids(["de1 2ab"])
    derby = found["DE1 2AB"]
    assert derby.source == "dataset" and derby.la_code == "E06000015"  # Derby
    assert derby.latitude == pytest.approx(52.9207, abs=0.001)
    assert derby.longitude == pytest.approx(-1.4723, abs=0.001)
    assert found["de1 2ab"] == derby  # also under the spelling given


def test_unknown_and_malformed_postcodes_are_absent(app):
    assert centroids(["ZZ9 9ZZ", "not a postcode", "", "DE1 2AB"]).keys() == {"DE1 2AB"}


def test_an_override_wins_over_the_dataset_and_places_an_unknown_postcode(app):
    save_override("DE1 2AB", 52.5, -1.5, "E06000015", "Moved by the council", actor=None)
    save_override("ZZ9 9ZZ", 52.6, -1.4, "E06000015", "New build", actor=None)
    found = centroids(["DE1 2AB", "ZZ9 9ZZ", "NG1 1AA"])
    assert found["DE1 2AB"] == Centroid(52.5, -1.5, "E06000015", "override")
    assert found["ZZ9 9ZZ"] == Centroid(52.6, -1.4, "E06000015", "override")
    assert found["NG1 1AA"].source == "dataset"


def test_a_bulk_lookup_is_one_query_whatever_the_number_of_postcodes(app):
    seen = []

    def counter(_conn, _cursor, statement, *_args):
        seen.append(statement)

    centroids(["DE1 1AA"])  # the transaction has begun
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        centroids(["DE1 2AB"])
        one = len(seen)
        centroids(["DE1 2AB", "DE22 1AA", "NG1 1AA", "DE1 1AA", "M1 1AE", "S1 2HE"] * 50)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert one == 1 and len(seen) == 2, seen


def test_the_grid_conversion_matches_the_ordnance_surveys_worked_example():
    # OS "A guide to coordinate systems in Great Britain", annex C: E 651409.903,
    # N 313177.270 is OSGB36 52°39'27.2531"N 1°43'4.5177"E.
    lat, lon = geo.grid_to_osgb36(651409.903, 313177.270)
    assert lat == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-6)
    assert lon == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-6)


def test_one_degree_of_longitude_on_the_equator_is_69_miles():
    # 2 * pi * 3958.8 / 360 = 69.0940 miles.
    assert geo.great_circle_miles(0, 0, 0, 1) == pytest.approx(69.094, abs=0.001)


def test_the_distance_between_two_postcodes_matches_the_hand_worked_grid_distance(app):
    # DE1 2AB is at E 435372 N 335972, NG1 1AA at E 457804 N 340087 (the ONS grid refs).
    # sqrt(22432^2 + 4115^2) = 22806 m on the grid; the grid's scale there is 0.99963, so
    # 22814 m on the ground = 14.18 miles. (The 903 guidance's grid formula gives 14.17.)
    found = centroids(["DE1 2AB", "NG1 1AA"])
    assert miles_between(found["DE1 2AB"], found["NG1 1AA"]) == pytest.approx(14.18, abs=0.05)


def test_the_councils_la_code_must_be_a_district_code_in_the_dataset(app):
    assert council_la_code() == ""
    assert set_council_la_code(" e06000015 ", actor=None) == "E06000015"
    assert council_la_code() == "E06000015"
    with pytest.raises(DomainError) as county:
        set_council_la_code("E10000007", actor=None)  # Derbyshire County Council
    assert "not a local-authority district code" in county.value.message
    with pytest.raises(DomainError) as shape:
        set_council_la_code("Derby", actor=None)
    assert shape.value.field == "la_code" and "a letter and 8 digits" in shape.value.message


@pytest.mark.parametrize("postcode, lat, lon, la, field", [
    ("nonsense", 52.5, -1.5, "E06000015", "postcode"),
    ("DE1 2AB", 40.0, -1.5, "E06000015", "latitude"),
    ("DE1 2AB", 52.5, 5.0, "E06000015", "longitude"),
    ("DE1 2AB", 52.5, -1.5, "E99999999", "la_code"),
])
def test_a_bad_override_is_refused_beside_its_field(app, postcode, lat, lon, la, field):
    with pytest.raises(DomainError) as refused:
        save_override(postcode, lat, lon, la, "", actor=None)
    assert refused.value.field == field


def test_a_postcode_has_at_most_one_override(app):
    save_override("DE1 2AB", 52.5, -1.5, "E06000015", "", actor=None)
    with pytest.raises(DomainError) as refused:
        save_override("de12ab", 52.6, -1.5, "E06000015", "", actor=None)
    assert "already has an override" in refused.value.message


def test_the_demo_and_bench_postcodes_are_real_and_in_or_out_of_the_area_as_listed(app):
    from homes_app.demo.council import HOMES
    from homes_app.postcodes import examples

    found = centroids(examples.IN_AREA + examples.BEYOND + tuple(h.postcode for h in HOMES))
    assert {found[p].la_code for p in examples.IN_AREA} == {examples.COUNCIL_LA_CODE}
    assert all(found[p].la_code != examples.COUNCIL_LA_CODE for p in examples.BEYOND)
    assert all(h.postcode in examples.IN_AREA for h in HOMES)
