"""A small history of moves across one collection year (1 April 2025 to 31 March 2026), and
the SSDA903 validation rules that concern the fields this export fills."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from homes_app.placements import services as moves
from homes_app.postcodes.services import dataset_centroid

TODAY = date(2026, 11, 22)


def history(make):
    """Ash House and Birch House; four children:
    - first: admitted to Ash 10 Jan 2025 (before the year), transferred to Birch 1 Jun 2025
      (planned), discharged home to family 15 Mar 2026 (planned);
    - second: admitted to Ash 1 May 2025, moved to another bed of Ash 1 Jul 2025, still there;
    - gone: discharged 1 Feb 2025, before the year began: not in the 2026 files;
    - late: a boy admitted to Birch 20 Mar 2026, discharged to foster care 10 Apr 2026 (after
      the year: open at 31 March)."""
    ash = make.home(beds=2, name="Ash House", postcode="DE1 2AB", ofsted_urn="SC123456")
    birch = make.home(beds=2, name="Birch House", postcode="DE21 4AA", ofsted_urn="1234567")
    first = make.child(case_reference="LCS1001", date_of_birth=date(2010, 2, 28),
                       sex="female", legal_status="C2", home_postcode="NG1 1AA")
    second = make.child(case_reference="LCS1002", date_of_birth=date(2011, 12, 1),
                        sex="female", legal_status="V2", home_postcode="DE22 1AA")
    gone = make.child(case_reference="LCS1003", home_postcode="DE1 1AA")
    late = make.child(case_reference="LCS1004", date_of_birth=date(2012, 7, 4), sex="male",
                      legal_status="C1", home_postcode="")

    def admit(home, bed, child, on):
        return moves.admit_child(home.id, home.beds[bed].id, child, on, emergency=False,
                                 actor=None, today=TODAY)

    stay = admit(ash, 0, first, date(2025, 1, 10))
    stay = moves.transfer_child(stay, birch.id, birch.beds[0].id, date(2025, 6, 1),
                                planned=True, actor=None, today=TODAY)
    moves.discharge_child(stay, date(2026, 3, 15), destination="family", planned=True,
                          actor=None, today=TODAY)
    stay = admit(ash, 1, second, date(2025, 5, 1))
    moves.transfer_child(stay, ash.id, ash.beds[0].id, date(2025, 7, 1), planned=True,
                         actor=None, today=TODAY)
    stay = admit(birch, 1, gone, date(2024, 9, 1))
    moves.discharge_child(stay, date(2025, 2, 1), destination="foster_care", planned=False,
                          actor=None, today=TODAY)
    stay = admit(birch, 1, late, date(2026, 3, 20))
    moves.discharge_child(stay, date(2026, 4, 10), destination="foster_care", planned=False,
                          actor=None, today=TODAY)
    from homes_app.extensions import db
    db.session.commit()
    return ash, birch


def read_csv(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return list(reader.fieldnames or []), list(reader)


# ---- The DfE SSDA903 validation rules for what this export fills --------------------------
# The public validator (data-to-insight's csc-validator-be-903, "lac_validator") is not on the
# package registry this project installs from, so the rules that concern our fields are
# written out here from its rule definitions (codes as the validator numbers them).

RNE = {"S", "P", "L", "T", "U", "B"}  # 143
LS = {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"}  # 144
PLACE = {"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
         "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"}  # 146
REC = {"E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
       "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1"}  # 149
REASON_PLACE_CHANGE = {"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD",
                       "LAREQ", "PLACE", "CUSTOD", "OTHER"}  # 1009
PLACE_PROVIDER = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def validate(header: list[dict], episodes: list[dict], *, year: int) -> list[str]:
    """Every broken rule as 'code: what, where'. Excluded on purpose (see docs/ssda903.md):
    rules on ETHNIC, UPN, CIN, MOTHER and MC_DOB (left blank for the case-management system),
    rules needing last year's file or other tables (reviews, missing, OC2/OC3), and the
    same-day-successor check for an X1 whose next placement lies outside these homes."""
    errors = []
    children = {h["CHILD"] for h in header}
    if len(children) != len(header):
        errors.append("header: a CHILD appears twice")
    for h in header:
        if h["SEX"] not in {"1", "2"}:
            errors.append(f"101: SEX {h['SEX']!r}")
        if _date(h["DOB"]) is None:
            errors.append(f"102: DOB {h['DOB']!r}")
    by_child: dict[str, list[dict]] = {}
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    for e in episodes:
        by_child.setdefault(e["CHILD"], []).append(e)
        decom, dec = _date(e["DECOM"]), _date(e["DEC"]) if e["DEC"] else None
        checks = [
            (e["CHILD"] in children, "episode CHILD not in the header"),
            (decom is not None, "DECOM not a dd/mm/YYYY date"),
            (not e["DEC"] or dec is not None, "DEC not a dd/mm/YYYY date"),
            (e["RNE"] in RNE, "143: RNE"), (e["LS"] in LS, "144: LS"),
            (e["PLACE"] in PLACE, "146: PLACE"),
            (e["PLACE_PROVIDER"] in PLACE_PROVIDER, "PLACE_PROVIDER not a provider code"),
            (not e["REC"] or e["REC"] in REC, "149: REC"),
            (not e["REASON_PLACE_CHANGE"] or e["REASON_PLACE_CHANGE"] in REASON_PLACE_CHANGE,
             "1009: REASON_PLACE_CHANGE"),
            (bool(e["DEC"]) == bool(e["REC"]), "DEC and REC go together"),
            (dec is None or decom is None or dec >= decom, "DEC before DECOM"),
            (decom is None or decom <= end, "DECOM after the year"),
            (dec is None or dec >= start, "DEC before the year"),
            (not e["DEC"] or _date(e["DEC"]) <= end, "DEC after the year"),
            (e["PLACE"] != "K2" or bool(e["URN"]), "URN missing for a children's home"),
            (e["REC"] != "X1" or bool(e["REASON_PLACE_CHANGE"]),
             "225: reason for placement change missing"),
        ]
        for postcode_field in ("HOME_POST", "PL_POST"):
            if e[postcode_field] and dataset_centroid(e[postcode_field]) is None:
                errors.append(f"392c: {postcode_field} {e[postcode_field]!r} not a postcode")
        errors.extend(f"{what} ({e['CHILD']} {e['DECOM']})" for ok, what in checks if not ok)
    for child, rows in by_child.items():
        rows.sort(key=lambda r: _date(r["DECOM"]) or date.min)
        for before, after in zip(rows, rows[1:], strict=False):
            if not before["DEC"] or _date(before["DEC"]) > _date(after["DECOM"]):
                errors.append(f"episodes overlap ({child} {after['DECOM']})")
            if before["REC"] == "X1" and before["DEC"] != after["DECOM"]:
                errors.append(f"X1 not followed by an episode the same day ({child})")
            if before["DEC"] == after["DECOM"] and before["REC"] != "X1":
                errors.append(f"a same-day successor needs REC X1 ({child})")
    return errors
