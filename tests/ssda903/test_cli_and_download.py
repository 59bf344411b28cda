"""`flask export-ssda903` and the download page: both files written, blanks named, bad input
refused with a clear message, and only directors and administrators may download."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from homes_app.extensions import db
from homes_app.placements import services as moves
from tests.ssda903.support import TODAY, history, read_csv


def test_the_command_writes_both_files_and_says_which_fields_are_left_blank(app, make,
                                                                            tmp_path):
    history(make)
    result = app.test_cli_runner().invoke(args=["export-ssda903", "--year", "2026",
                                                "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["episodes.csv",
                                                                   "header.csv"]
    _, episodes = read_csv((tmp_path / "out" / "episodes.csv").read_bytes())
    assert len(episodes) == 4
    assert "3 children, 4 episodes, year ending 31 March 2026." in result.output
    assert ("Left blank for the case-management system to fill: header.csv: ETHNIC, UPN, "
            "MOTHER, MC_DOB; episodes.csv: CIN.") in result.output


def test_the_command_fails_with_a_message_for_a_year_without_stays(app, make, tmp_path):
    history(make)
    result = app.test_cli_runner().invoke(args=["export-ssda903", "--year", "2021",
                                                "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "nothing to export for 2021" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("role", ["service_director", "administrator"])
def test_directors_and_administrators_download_a_zip_of_the_two_files(client, make, login,
                                                                      role):
    history(make)
    login(make.user(role))
    response = client.get("/ssda903?year=2026")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert 'filename="ssda903_2026.zip"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        assert sorted(z.namelist()) == ["episodes.csv", "header.csv"]
        _, header = read_csv(z.read("header.csv"))
    assert [h["CHILD"] for h in header] == ["LCS1001", "LCS1002", "LCS1004"]


@pytest.mark.parametrize("role", ["registered_manager", "home_staff", "relief_staff"])
def test_others_may_not_download(client, make, login, role):
    history(make)
    home = make.home()
    login(make.user(role, homes=[home] if role != "relief_staff" else []))
    assert client.get("/ssda903?year=2026").status_code == 403


def test_the_page_shows_the_message_for_a_bad_year_and_keeps_what_was_typed(client, make,
                                                                            login):
    login(make.user("service_director"))
    page = client.get("/ssda903")
    assert page.status_code == 200 and "Left blank" in page.get_data(as_text=True)
    response = client.get("/ssda903?year=20x6")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Enter the year the collection ends in, like 2026" in body
    assert 'value="20x6"' in body


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+1", "@SUM(A1)", "\tX", "\rX"]


def formula_children(make):
    """The history, plus a child for each text a spreadsheet would run as a formula, typed as
    their case reference, in Cedar House."""
    history(make)
    cedar = make.home(beds=len(FORMULAS), name="Cedar House", postcode="DE1 2AB",
                      ofsted_urn="SC654321")
    for n, ref in enumerate(FORMULAS):
        moves.admit_child(cedar.id, cedar.beds[n].id, make.child(case_reference=ref),
                          date(2025, 6, 1 + n), emergency=False, actor=None, today=TODAY)
    db.session.commit()


def files_from_the_command(app, tmp_path) -> dict[str, bytes]:
    result = app.test_cli_runner().invoke(args=["export-ssda903", "--year", "2026",
                                                "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return {name: (tmp_path / name).read_bytes() for name in ("header.csv", "episodes.csv")}


def files_from_the_download(client, make, login) -> dict[str, bytes]:
    login(make.user("service_director"))
    with zipfile.ZipFile(io.BytesIO(client.get("/ssda903?year=2026").data)) as z:
        return {name: z.read(name) for name in ("header.csv", "episodes.csv")}


@pytest.mark.parametrize("how", ["command", "download"])
def test_a_case_reference_like_a_formula_is_written_as_text(app, client, make, login,
                                                            tmp_path, how):
    formula_children(make)
    files = (files_from_the_command(app, tmp_path) if how == "command"
             else files_from_the_download(client, make, login))
    _, header = read_csv(files["header.csv"])
    _, episodes = read_csv(files["episodes.csv"])
    for rows in (header, episodes):
        children = [r["CHILD"] for r in rows]
        assert sorted(children) == sorted(["'" + ref for ref in FORMULAS]
                                          + ["LCS1001", "LCS1002", "LCS1004"]
                                          + ["LCS1001"] * (rows is episodes)), children
    admitted = [e for e in episodes if e["CHILD"] == "'@SUM(A1)"]
    assert [(e["DECOM"], e["HOME_POST"], e["PL_POST"], e["URN"]) for e in admitted] == [
        ("04/06/2025", "DE22 1AA", "DE1 2AB", "SC654321")]  # every other field as it was
