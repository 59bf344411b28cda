"""Rows for the bench data set: registered homes with 1-4 beds and ten years of stays.

Each bed gets a chain of back-to-back stays with gaps; gaps hold planned admissions, cancelled
plans, periods out of use and matching holds. Children are then given to stays in start order,
so no child is in two places at once; some move on to another bed the day a stay ends
(transfers) and some come back later (re-admissions). The rules hold as they do in the app;
the database's own guards check every row as it goes in.
"""
from __future__ import annotations

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from homes_app.postcodes.examples import BEYOND, IN_AREA, pick

HOME_TYPES = (("mainstream", 60), ("therapeutic", 10), ("solo", 10), ("edge_of_care", 10),
              ("short_breaks", 10))
BED_WEIGHTS = {1: 8, 2: 26, 3: 24, 4: 42}  # small council homes, from Ofsted's 2024 data
STAYS = ((35, 7, 60), (40, 60, 240), (25, 240, 720))  # (weight, shortest, longest) days
DESTINATIONS = ("family", "foster_care", "supported_16_plus", "external_residential",
                "leaving_care", "secure", "hospital", "custody", "other")
DISTRICTS = ("Moorgate", "Ashby Fell", "Calder Vale", "Harrowby", "Northmoor Town", "Eastfold",
             "Wrenbury", "Skelton Marsh")


@dataclass
class Rows:
    """Rows for each table, keyed by table name, ready for an executemany insert."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, **row) -> dict:
        row.setdefault("id", len(self.tables[table]) + 1)
        self.tables[table].append(row)
        return row


def generate(homes: int, start: date, today: date, seed: int = 1) -> Rows:
    rng = random.Random(seed)
    rows = Rows()
    stays = []
    for n in range(1, homes + 1):
        home = _home(rows, rng, n, start, today)
        for label in range(1, home["max_children"] + 1):
            bed = rows.add("beds", home_id=home["id"], label=f"Bed {label}",
                           in_service_from=home["registered_on"], in_service_until=None)
            stays += _chain(rows, rng, home, bed, start, today)
    _children(rows, rng, stays, today)
    return rows


def _home(rows: Rows, rng: random.Random, n: int, start: date, today: date) -> dict:
    home_type = rng.choices(*zip(*HOME_TYPES, strict=True))[0]
    beds = 1 if home_type == "solo" else rng.choices(*zip(*BED_WEIGHTS.items(), strict=True))[0]
    if rng.random() < 0.6:  # open before the period; the rest open during it
        registered = date(2003, 1, 1) + timedelta(days=rng.randrange(365 * 13))
    else:
        registered = start + timedelta(days=rng.randrange((today - start).days - 365))
    urn = f"SC9{n:05d}" if registered.year < 2013 else f"9{n:06d}"
    return rows.add(
        "homes", name=f"Bench home {n:03d}", address=f"{n} Bench Road",
        postcode=pick(IN_AREA, rng.randint(1, 14), rng.randint(1, 9)),  # real: Derby
        district=rng.choice(DISTRICTS),
        home_type=home_type, status="registered", ofsted_urn=urn, registered_on=registered,
        closed_on=None, registered_manager_id=None,
        target_occupancy_pct=rng.choice((None, 75, 80, 85)),
        weekly_unit_cost_pence=rng.randrange(400000, 700000, 100), max_children=beds,
        min_age=rng.choice((8, 10, 11, 12)), max_age=17, sex_admitted="any",
        categories_of_need="ebd,mental_health", version=1)


def _chain(rows: Rows, rng: random.Random, home: dict, bed: dict, start: date,
           today: date) -> list[dict]:
    """One bed's stays, back to back with gaps, from a little before the period to today."""
    t = max(home["registered_on"], start - timedelta(days=rng.randint(0, 240)))
    stays = []
    while True:
        gap = 0 if rng.random() < 0.2 else int(rng.expovariate(1 / 21))
        s = t + timedelta(days=gap)
        emergency = rng.random() < 0.3
        held = s if emergency else s - timedelta(days=min(gap, rng.randint(3, 28)))
        _fill_gap(rows, rng, home, bed, t, held)
        if held > today:
            return stays
        stay = dict(bed_id=bed["id"], home_id=home["id"], held_from=held, starts_on=s,
                    admission_type="emergency" if emergency else "planned")
        stays.append(stay)
        if s > today:  # a planned admission still to come
            stay.update(status="planned", ends_on=None)
            return stays
        _, low, high = rng.choices(STAYS, [w for w, *_ in STAYS])[0]
        e = s + timedelta(days=rng.randint(low, high))
        if e > today:
            stay.update(status="confirmed", ends_on=None)
            return stays
        stay.update(status="confirmed", ends_on=e)
        t = e
        if rng.random() < 0.004:  # out of use from here on, with no end date yet
            _row(rows, "bed_out_of_use", bed, t, None, reason="damage")
            return stays


def _fill_gap(rows: Rows, rng: random.Random, home: dict, bed: dict, lo: date,
              hi: date) -> None:
    """Use an empty spell [lo, hi): out of use, held for matching, or a plan cancelled."""
    days = (hi - lo).days
    roll = rng.random()
    if days >= 14 and roll < 0.12:
        length = rng.randint(7, days - 1)
        _row(rows, "bed_out_of_use", bed, lo + timedelta(days=1),
             lo + timedelta(days=1 + length), reason=rng.choice(("repairs", "staffing")))
    elif days >= 14 and roll < 0.18 and home["max_children"] > 1:
        _row(rows, "bed_holds", bed, lo, lo + timedelta(days=rng.randint(7, days)),
             reason="matching")
    elif days >= 7 and roll < 0.24:
        planned_for = lo + timedelta(days=rng.randint(3, days + 14))
        rows.add("placements", held_from=lo, starts_on=planned_for,
                 ends_on=lo + timedelta(days=rng.randint(1, days)), status="cancelled",
                 end_reason="cancelled", admission_type="planned", bed_id=bed["id"],
                 home_id=home["id"], child_id=None)


def _row(rows: Rows, table: str, bed: dict, starts_on: date, ends_on: date | None,
         reason: str) -> None:
    rows.add(table, bed_id=bed["id"], reason=reason, note="", starts_on=starts_on,
             ends_on=ends_on)


def _children(rows: Rows, rng: random.Random, stays: list[dict], today: date) -> None:
    """Give every stay a child in start order, then number the stays in that order."""
    homes = {h["id"]: h for h in rows.tables["homes"]}
    free: list[tuple[date, int, dict]] = []  # children discharged, by the day they left
    leaving: dict[date, list[dict]] = defaultdict(list)  # stays that may end in a transfer
    stays.sort(key=lambda p: (p["starts_on"], p["bed_id"]))
    for stay in stays:
        s = stay["starts_on"]
        for day in [d for d in leaving if d < s]:  # no transfer came: they were discharged
            for gone in leaving.pop(day):
                heapq.heappush(free, (day, gone["child"]["id"], gone["child"]))
        child = stay["child"] = _child_for(rows, rng, stay, homes[stay["home_id"]], free,
                                           leaving, today)
        _ending(rng, stay)
        if stay["ends_on"] is not None:
            if rng.random() < 0.06:
                leaving[stay["ends_on"]].append(stay)
            else:
                heapq.heappush(free, (stay["ends_on"], child["id"], child))
    _number(rows, rng, stays, homes)


def _child_for(rows: Rows, rng: random.Random, stay: dict, home: dict, free: list,
               leaving: dict, today: date) -> dict:
    """A child moving on from another bed that day, one come back, or a new child."""
    s = stay["starts_on"]
    horizon = stay["ends_on"] or max(s, today) + timedelta(days=30)
    before = _transfer_from(leaving.get(s, ()), stay, home, horizon)
    if before is not None:
        leaving[s].remove(before)
        before.update(end_reason="transfer", discharge_destination=None)
        stay.update(admission_type="transfer", held_from=s, previous=before)
        return before["child"]
    if free and free[0][0] <= s and rng.random() < 0.1 and _fits(free[0][2], home, s, horizon):
        return heapq.heappop(free)[2]
    return _new_child(rows, rng, home, s, horizon)


def _number(rows: Rows, rng: random.Random, stays: list[dict], homes: dict) -> None:
    """Ids in start order, then the cancelled plans after them, each with a child of its own."""
    for n, stay in enumerate(stays, 1):
        stay["id"] = n
    for stay in stays:
        previous = stay.pop("previous", None)
        stay.update(child_id=stay.pop("child")["id"],
                    previous_placement_id=previous and previous["id"])
    cancelled = rows.tables.pop("placements", [])
    for n, stay in enumerate(cancelled, len(stays) + 1):
        child = _new_child(rows, rng, homes[stay["home_id"]], stay["starts_on"],
                           stay["starts_on"])
        stay.update(id=n, child_id=child["id"], previous_placement_id=None,
                    discharge_destination=None, ending_planned=None)
    for stay in stays + cancelled:
        stay.update(created_by_id=None,
                    created_at=datetime.combine(stay["held_from"], datetime.min.time(), UTC))
    rows.tables["placements"] = stays + cancelled


def _transfer_from(candidates, stay: dict, home: dict, horizon: date) -> dict | None:
    if stay["status"] != "confirmed":
        return None
    for before in candidates:
        if before["bed_id"] != stay["bed_id"] and _fits(before["child"], home,
                                                        stay["starts_on"], horizon):
            return before
    return None


def _ending(rng: random.Random, stay: dict) -> None:
    if stay["ends_on"] is None:
        stay.update(end_reason=None, discharge_destination=None, ending_planned=None)
    else:
        stay.update(end_reason="discharge", discharge_destination=rng.choice(DESTINATIONS),
                    ending_planned=rng.random() < 0.7)


def _fits(child: dict, home: dict, day: date, horizon: date) -> bool:
    """Old enough for the home on `day`, and still under 18 on `horizon`."""
    return home["min_age"] <= _age(child["date_of_birth"], day) <= home["max_age"] \
        and _age(child["date_of_birth"], horizon) < 18


def _new_child(rows: Rows, rng: random.Random, home: dict, day: date, horizon: date) -> dict:
    """A child of an age the home takes on `day`, still under 18 on `horizon`."""
    for _ in range(100):
        age = rng.randint(home["min_age"], home["max_age"])
        latest = _years_before(day, age)
        dob = latest - timedelta(days=rng.randrange((latest - _years_before(day, age + 1)).days))
        child = {"date_of_birth": dob}
        if _fits(child, home, day, horizon):
            break
    else:
        raise RuntimeError("no age fits")  # pragma: no cover
    n = len(rows.tables["children"]) + 1
    return rows.add("children", case_reference=f"BENCH-{n:06d}", preferred_name=f"Child {n}",
                    date_of_birth=dob, sex=rng.choice(("female", "male")), legal_status="C2",
                    home_postcode=_family_postcode(n), uasc=False, needs="ebd")


def _family_postcode(n: int) -> str:
    """Real postcodes, seven children in ten from the council's area; no draw from the
    generator, so the rest of the data set is unchanged."""
    return pick(IN_AREA, n) if n % 10 < 7 else pick(BEYOND, n)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
