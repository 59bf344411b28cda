"""Real postcodes (ONS Postcode Directory) for demo and bench data: the demo council stands in
for Derby (E06000015), with children's family homes mostly in the city and some beyond it, so
the local-placement figures come out as a real council's would."""
from __future__ import annotations

COUNCIL_LA_CODE = "E06000015"  # Derby
IN_AREA = (
    "DE1 2YN", "DE1 1SS", "DE1 3LB", "DE3 3RU", "DE3 2BZ", "DE3 2NA", "DE21 4SD", "DE21 4NS",
    "DE21 6FB", "DE22 3YE", "DE22 3SL", "DE22 1HR", "DE23 7EE", "DE23 8RZ", "DE23 6PN",
    "DE24 0EN", "DE24 8UQ", "DE73 1WW",
)
# Derbyshire districts a few miles out, then cities 15 to 60 miles away.
BEYOND = (
    "DE24 3HT", "DE73 1GS", "DE56 2SQ", "DE56 4WZ", "DE7 8UE", "DE7 5BD", "NG10 3FX",
    "DE55 1BE", "DE4 9BD", "DE11 8AJ", "NG7 6BP", "NG7 6NX", "S40 1ST", "LE1 1LB", "ST1 5JD",
    "B1 3SZ", "M1 2HH",
)


def pick(pool: tuple[str, ...], *numbers: int) -> str:
    """A postcode from `pool` chosen by numbers a random generator has already drawn, so a
    seeded generator's sequence stays as it was."""
    return pool[sum(n * 31**i for i, n in enumerate(numbers)) % len(pool)]
