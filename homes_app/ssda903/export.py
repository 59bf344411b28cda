"""SSDA903 header and episodes for the stays in the council's homes in one collection year.

Used by `flask export-ssda903` and the download page. Two queries whatever the number of
children: the stays of every child with a stay overlapping the year (with child and home), and
nothing else. docs/ssda903.md gives the field-by-field mapping and why.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..common.spreadsheets import SafeDictWriter
from ..errors import DomainError
from ..extensions import db
from ..placements.models import Placement

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                   "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
# Held by the council's case-management system, not here: the data team fills them there.
LEFT_BLANK = {"header.csv": ("ETHNIC", "UPN", "MOTHER", "MC_DOB"), "episodes.csv": ("CIN",)}
SEX = {"male": "1", "female": "2"}
PLACE = "K2"  # children's home subject to the Children's Homes Regulations
PLACE_PROVIDER = "PR1"  # the council's own provision
RNE_PLACEMENT_CHANGE = "P"  # change of placement and carer(s)
REC_PLACEMENT_CHANGE = "X1"  # episode ceases, a new one starts the same day
# Where a discharge leads: still looked after elsewhere (X1) or care ended (the E codes).
REC_BY_DESTINATION = {
    "family": ("E4A", "E4B"),  # returned home: as planned / not as part of the care plan
    "foster_care": "X1",
    "council_home": "X1",
    "external_residential": "X1",
    "supported_16_plus": "X1",  # supported accommodation is a placement (H5) since 2023
    "secure": "X1",
    "hospital": "X1",
    "leaving_care": "E5",  # independent living with formalised support (pathway plan, PA)
    "custody": "E9",  # sentenced to custody
    "other": "E8",  # ceased for any other reason
}
CHILD_ID_MAX = 10
FIRST_YEAR = 2000


@dataclass
class Export:
    year: int
    header: list[dict[str, str]] = field(default_factory=list)
    episodes: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    children: list[int] = field(default_factory=list)  # who is in it: the download is audited

    @property
    def files(self) -> dict[str, bytes]:
        return {"header.csv": _csv(HEADER_COLUMNS, self.header),
                "episodes.csv": _csv(EPISODE_COLUMNS, self.episodes)}

    def write(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in self.files.items():
            (directory / name).write_bytes(content)
            written.append(directory / name)
        return written

    def zip_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in self.files.items():
                z.writestr(name, content)
        return out.getvalue()


def collection_year(year: int | str, today: date) -> tuple[date, date]:
    """1 April YYYY-1 and 31 March YYYY; refuses a year that is not a number, is before
    2000, or has not started yet."""
    try:
        year = int(str(year).strip())
    except ValueError:
        raise DomainError("Enter the year the collection ends in, like 2026", "year") from None
    current = today.year + 1 if today >= date(today.year, 4, 1) else today.year
    if not FIRST_YEAR <= year <= current:
        raise DomainError(f"Enter a year from {FIRST_YEAR} to {current}: the collection year "
                          f"ending 31 March {current} is the latest that has begun", "year")
    return date(year - 1, 4, 1), date(year, 3, 31)


def export(year: int | str, *, today: date) -> Export:
    """The header and episode rows for the collection year ending 31 March `year`.

    Raises DomainError for a bad year, or when no stay overlaps the year.
    """
    starts, ends = collection_year(year, today)
    stays = _stays(starts, ends)
    if not stays:
        raise DomainError(f"No child stayed in the council's homes between {_long(starts)} and "
                          f"{_long(ends)}, so there is nothing to export for {ends.year}", "year")
    out = Export(year=ends.year)
    for _, child_stays in groupby(stays, key=lambda p: p.child_id):
        child_stays = list(child_stays)
        episodes = [e for e in _episodes(child_stays, ends) if _overlaps(e, starts, ends)]
        if episodes:
            out.header.append(_header_row(child_stays[0].child, out.warnings))
            out.episodes.extend(episodes)
            out.children.append(child_stays[0].child_id)
    out.episodes.sort(key=lambda e: (e["CHILD"], _iso(e["DECOM"])))
    out.header.sort(key=lambda h: h["CHILD"])
    for column, what in (("URN", "no Ofsted URN"), ("HOME_POST", "no home postcode")):
        missing = sum(1 for e in out.episodes if not e[column])
        if missing:
            out.warnings.append(f"{missing} episode(s) with {what}: {column} left blank")
    out.warnings = list(dict.fromkeys(out.warnings))
    return out


def _stays(starts: date, ends: date) -> list[Placement]:
    """Every confirmed stay, up to the year's end, of the children with one in the year."""
    in_year = select(Placement.child_id).where(
        Placement.status == "confirmed", Placement.starts_on <= ends,
        (Placement.ends_on.is_(None)) | (Placement.ends_on >= starts))
    return list(db.session.scalars(
        select(Placement)
        .options(joinedload(Placement.child), joinedload(Placement.home))
        .where(Placement.status == "confirmed", Placement.starts_on <= ends,
               Placement.child_id.in_(in_year))
        .order_by(Placement.child_id, Placement.starts_on, Placement.id)))


def _episodes(stays: list[Placement], year_end: date) -> list[dict[str, str]]:
    """A child's stays as 903 episodes: a move to another bed of the same home is no new
    episode; a move to another home ends one (X1) and starts the next (P) the same day."""
    episodes: list[list[Placement]] = []
    for stay in stays:
        last = episodes[-1][-1] if episodes else None
        if (last is not None and stay.admission_type == "transfer"
                and stay.previous_placement_id == last.id and stay.home_id == last.home_id):
            episodes[-1].append(stay)
        else:
            episodes.append([stay])
    return [_episode_row(run, year_end) for run in episodes]


def _episode_row(run: list[Placement], year_end: date) -> dict[str, str]:
    first, last = run[0], run[-1]
    child, home = first.child, last.home
    ended = last.ends_on is not None and last.ends_on <= year_end
    rec = reason = ""
    if ended:
        rec = _rec(last)
        if rec == REC_PLACEMENT_CHANGE:
            reason = "CARPL" if last.ending_planned else "OTHER"
    return {
        "CHILD": child.case_reference, "DECOM": ssda903_date(first.starts_on), "RNE": RNE_PLACEMENT_CHANGE,
        "LS": child.legal_status, "CIN": "", "PLACE": PLACE, "PLACE_PROVIDER": PLACE_PROVIDER,
        "DEC": ssda903_date(last.ends_on) if ended else "", "REC": rec, "REASON_PLACE_CHANGE": reason,
        "HOME_POST": child.home_postcode or "", "PL_POST": home.postcode or "",
        "URN": home.ofsted_urn or "",
    }


def _rec(stay: Placement) -> str:
    if stay.end_reason == "transfer":
        return REC_PLACEMENT_CHANGE
    codes = REC_BY_DESTINATION.get(stay.discharge_destination or "other", "E8")
    if isinstance(codes, tuple):
        return codes[0] if stay.ending_planned else codes[1]
    return codes


def _overlaps(row: dict[str, str], starts: date, ends: date) -> bool:
    return _iso(row["DECOM"]) <= ends and (not row["DEC"] or _iso(row["DEC"]) >= starts)


def _header_row(child, warnings: list[str]) -> dict[str, str]:
    if len(child.case_reference) > CHILD_ID_MAX:
        warnings.append(f"A case reference is longer than the {CHILD_ID_MAX} characters the "
                        "903 CHILD field allows; the data team must map it")
    return {"CHILD": child.case_reference, "SEX": SEX.get(child.sex, ""),
            "DOB": ssda903_date(child.date_of_birth), "ETHNIC": "", "UPN": "", "MOTHER": "", "MC_DOB": ""}


def ssda903_date(day: date | None) -> str:
    """A date as the 903 writes it: dd/mm/YYYY."""
    return day.strftime("%d/%m/%Y") if day else ""


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _iso(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    """A case reference the data team's spreadsheet would run as a formula gets a quote in
    front (common/spreadsheets.py); no other field can begin like one (docs/ssda903.md)."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def blank_fields_note() -> str:
    """What the command and page say about the fields left for the case-management system."""
    return ("Left blank for the case-management system to fill: "
            + "; ".join(f"{name}: {', '.join(cols)}" for name, cols in LEFT_BLANK.items())
            + ". CHILD is the council's case reference, so the rows join its records.")
