"""Invented children for the demo: names, ages that fit a home's registration, needs, status."""
from __future__ import annotations

import random
from datetime import date, timedelta

from ..homes.models import Home
from ..placements.models import Child
from ..postcodes import examples as postcodes
from .council import FIRST_NAMES

# A child must still fit the home's age range this many days after the date they are matched
# for, so a re-dated planned admission cannot push them out of it.
AGE_MARGIN_DAYS = 45
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def eighteenth_birthday(child: Child) -> date:
    return years_before(child.date_of_birth, -18)


class ChildMaker:
    """Makes children whose age, sex and needs fit the home they are matched to."""

    def __init__(self, rng: random.Random, first_number: int = 101):
        self.rng = rng
        self.number = first_number

    def make(self, home: Home, arrives: date, young_until: date | None = None) -> dict:
        """Details of a child who fits `home` on `arrives` and is under 18 on `young_until`,
        as placements.children.create_child takes them."""
        rng = self.rng
        sex = home.sex_admitted if home.sex_admitted != "any" else (
            "female" if rng.random() < 0.45 else "male")
        dob = self._date_of_birth(home, arrives, young_until or arrives)
        uasc = sex == "male" and age_on(dob, arrives) >= 14 and rng.random() < 0.1
        details = dict(case_reference=f"DEMO-{self.number:06d}",
                       preferred_name=rng.choice(FIRST_NAMES[sex]), date_of_birth=dob, sex=sex,
                       legal_status="V2" if uasc else self._legal_status(home),
                       home_postcode="" if uasc else self._postcode(), uasc=uasc,
                       needs=self._needs(home))
        self.number += 1
        return details

    def _date_of_birth(self, home: Home, arrives: date, young_until: date) -> date:
        """An age on arrival in the home's range, older children likelier, with a margin."""
        rng = self.rng
        ages = list(range(home.min_age, home.max_age + 1))
        weights = [1 + 2 * i for i in range(len(ages))]
        for _ in range(100):
            age = rng.choices(ages, weights)[0]
            latest = years_before(arrives, age)
            span = (latest - years_before(arrives, age + 1)).days
            dob = latest - timedelta(days=rng.randrange(span))
            later = age_on(dob, arrives + timedelta(days=AGE_MARGIN_DAYS))
            if age_on(dob, arrives) == age and later <= home.max_age \
                    and age_on(dob, young_until) < 18:
                return dob
        raise RuntimeError(f"No date of birth fits {home.name}")  # pragma: no cover

    def _legal_status(self, home: Home) -> str:
        if home.home_type == "edge_of_care":
            return self.rng.choices(("V2", "V3", "C1", "C2"), (6, 1, 1, 2))[0]
        return self.rng.choices(("C2", "C1", "V2", "J1"), (11, 3, 5, 1))[0]

    def _needs(self, home: Home) -> tuple[str, ...]:
        needs = sorted(home.needs)
        chosen = {"ebd"} if "ebd" in needs else {needs[0]}
        chosen |= {n for n in needs if self.rng.random() < 0.3}
        return tuple(sorted(chosen))

    def _postcode(self) -> str:
        """A real postcode: seven in ten in the council's area. Draws the same numbers as
        before real postcodes were used, so the rest of the demo history is unchanged."""
        rng = self.rng
        pool = postcodes.IN_AREA if rng.random() < 0.7 else postcodes.BEYOND
        drawn = (rng.randint(1, 9), _LETTERS.index(rng.choice(_LETTERS)),
                 _LETTERS.index(rng.choice(_LETTERS)), rng.randint(1, 14))
        return postcodes.pick(pool, *drawn)
