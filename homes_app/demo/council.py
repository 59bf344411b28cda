"""Northmoor Council, invented: its homes, demo accounts and the names children are drawn from.

Nothing here is real but the postcodes: real ones from Derby and around it (see
homes_app/postcodes/examples.py), so distances and local placement come out as for a real
council. Ofsted URNs take the real shapes (SC + 6 digits for older registrations, 7 digits for newer ones) from a range
Ofsted has not issued (SC9..., 9...).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COUNCIL = "Northmoor Council"
EMAIL_DOMAIN = "northmoor.example"
# Printed with the log-ins; every demo account shares it. Demo databases only.
DEMO_PASSWORD = "northmoor demo only - not for real use"  # noqa: S105


@dataclass(frozen=True)
class HomeSpec:
    name: str
    address: str
    postcode: str
    district: str
    home_type: str
    beds: int
    min_age: int
    max_age: int
    needs: str
    weekly_cost: int  # pounds
    status: str = "registered"
    urn: str | None = None
    registered_on: date | None = None
    sex_admitted: str = "any"
    target: int | None = None


HOMES = (
    HomeSpec("Heatherbank House", "14 Heatherbank Road\nMoorgate", "DE22 3SL", "Moorgate",
             "mainstream", 4, 11, 17, "ebd,mental_health", 4380,
             urn="SC941736", registered_on=date(2006, 3, 14)),
    HomeSpec("Larchfield Close", "2 Larchfield Close\nAshby Fell", "DE3 2NA", "Ashby Fell",
             "therapeutic", 3, 8, 14, "ebd,mental_health,learning", 5950,
             urn="9571846", registered_on=date(2019, 7, 2)),
    HomeSpec("Moss Lane", "37 Moss Lane\nCalder Vale", "DE23 6PN", "Calder Vale",
             "mainstream", 2, 12, 17, "ebd,substance", 5120,
             urn="9634917", registered_on=date(2021, 10, 18), sex_admitted="female"),
    HomeSpec("Kestrel Cottage", "Kestrel Cottage, Windy Nook\nHarrowby", "DE73 1WW", "Harrowby",
             "solo", 1, 10, 17, "ebd,mental_health,learning", 6840,
             urn="9692058", registered_on=date(2022, 5, 9), target=85),
    HomeSpec("Brackenridge", "1 Brackenridge Terrace\nNorthmoor", "DE1 3LB", "Northmoor Town",
             "edge_of_care", 2, 12, 17, "ebd,substance", 4760,
             urn="SC939264", registered_on=date(2008, 11, 27), target=75),
    HomeSpec("Wrenfold House", "88 Wrenfold Avenue\nEastfold", "DE21 4NS", "Eastfold",
             "mainstream", 3, 8, 17, "ebd", 5400, status="registering"),
)


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    name: str
    role: str
    homes: tuple[str, ...] = ()
    can_sign_in: bool = True


def _email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


PEOPLE = (
    Person("admin", _email("admin"), "Robin Ashdown", "administrator"),
    Person("director", _email("director"), "Dr Helen Marchbank", "service_director"),
    Person("manager", _email("manager"), "Priya Castellan", "registered_manager",
           ("Heatherbank House", "Kestrel Cottage")),
    Person("manager2", _email("manager2"), "Tom Aldersey", "registered_manager",
           ("Larchfield Close", "Wrenfold House")),
    Person("staff", _email("staff"), "Kieran Dobbs", "home_staff", ("Heatherbank House",)),
    Person("relief", _email("relief"), "Ama Fenwright", "relief_staff"),
    # Registered managers of the other homes: on record, without demo log-ins.
    Person("rm_moss", _email("j.penhallow"), "Jess Penhallow", "registered_manager",
           ("Moss Lane",), can_sign_in=False),
    Person("rm_bracken", _email("d.okorie"), "Daniel Okorie", "registered_manager",
           ("Brackenridge",), can_sign_in=False),
)
# Each home's registered manager (Wrenfold House's is appointed ahead of registration); they
# record the moves and bed changes in their homes.
REGISTERED_MANAGER = {"Heatherbank House": "manager", "Kestrel Cottage": "manager",
                      "Larchfield Close": "manager2", "Wrenfold House": "manager2",
                      "Moss Lane": "rm_moss", "Brackenridge": "rm_bracken"}

FIRST_NAMES = {
    "female": ("Amber", "Bella", "Cara", "Demi", "Ellie", "Freya", "Gracie", "Hana", "Isla",
               "Jade", "Kacey", "Lola", "Maisie", "Nia", "Orla", "Poppy", "Rosie", "Skye",
               "Tia", "Zara"),
    "male": ("Aiden", "Bailey", "Callum", "Dylan", "Ethan", "Finn", "Harvey", "Jayden",
             "Kai", "Leo", "Mason", "Noah", "Owen", "Reece", "Riley", "Sami", "Tyler",
             "Zach", "Yusuf", "Kofi"),
}


# How each type of home behaves in the simulated two years.
@dataclass(frozen=True)
class Profile:
    """How a type of home behaves."""

    referral_rate: float  # chance a free bed is matched to a referral on a given day
    emergency: float  # share of admissions made the same day
    stays: tuple[tuple[int, int, int], ...]  # (weight, shortest, longest) in days
    planned_ending: float
    to_other_home: float  # share of endings that are transfers to another council home
    bed_move: float  # chance a stay includes a move to another bed in the same home


PROFILES = {
    "mainstream": Profile(1 / 30, 0.3, ((30, 14, 90), (50, 90, 300), (20, 300, 600)),
                          0.65, 0.15, 0.25),
    "therapeutic": Profile(1 / 35, 0.1, ((40, 45, 180), (60, 180, 540)), 0.75, 0.15, 0.25),
    "solo": Profile(1 / 20, 0.5, ((40, 14, 60), (40, 60, 240), (20, 240, 540)), 0.5, 0.15, 0),
    "edge_of_care": Profile(1 / 14, 0.5, ((70, 21, 84), (30, 84, 180)), 0.8, 0.15, 0),
}
PLANNED_DESTINATIONS = {"family": 3, "foster_care": 3, "supported_16_plus": 2,
                        "external_residential": 1, "other": 1}
UNPLANNED_DESTINATIONS = {"external_residential": 7, "foster_care": 4, "family": 2,
                          "secure": 2, "hospital": 2, "custody": 2, "other": 1}
