"""Issue 6's SSDA903 and postcode figures: the episodes export for a year of the 100-home data
set (time and statements), the postcode dataset's one-off load, and a bulk look-up of 1,000
postcodes."""
from __future__ import annotations

import random
import time

from homes_app.extensions import db
from homes_app.postcodes import services
from homes_app.postcodes.dataset import Dataset
from homes_app.ssda903.export import export

from .dataset import TODAY
from .registry import Bench, figure, median_ms, statements

YEAR = 2026  # 1 April 2025 to 31 March 2026, the last whole year before the bench's today
LOOKUPS = 1000


@figure
def ssda903_export(bench: Bench):
    data = bench.data[100]
    with data.app.app_context():
        result = export(YEAR, today=TODAY)
        db.session.rollback()

        def run():
            export(YEAR, today=TODAY).zip_bytes()
            db.session.rollback()

        seconds = median_ms(run, max(3, bench.runs // 2)) / 1000
        with statements(db.engine) as n:
            export(YEAR, today=TODAY)
        db.session.rollback()
    yield "ssda903_export_s", seconds, "s"
    yield "ssda903_export_queries", n[0], "statements"
    yield "ssda903_episodes", len(result.episodes), "episodes"


@figure
def postcode_lookups(bench: Bench):
    fresh = Dataset()
    began = time.perf_counter()
    codes = fresh.la_codes()  # reads every letter: the whole of the UK
    load_s = time.perf_counter() - began
    letters = [letter for letter in fresh._letters.values() if letter and len(letter.keys)]
    kept_mb = sum(len(x.keys.blob) + _bytes(x.eastings) + _bytes(x.northings)
                  + _bytes(x.la_index) for x in letters) / 2**20
    yield "postcode_load_s", load_s, "s"
    yield "postcode_memory_mb", kept_mb, "MB"
    yield "postcode_la_codes", len(codes), "codes"
    sample = _sample(fresh, LOOKUPS)
    data = bench.data[100]
    with data.app.app_context():
        services.centroids(sample[:10])  # the process's letters loaded once

        def run():
            services.centroids(sample)
            db.session.rollback()

        yield "postcode_lookup_ms", median_ms(run, bench.runs), "ms"


def _sample(dataset: Dataset, n: int) -> list[str]:
    """n real postcodes from across the country, by a fixed seed."""
    rng = random.Random(6)
    letters = [k for k, v in dataset._letters.items() if v and len(v.keys)]
    out = []
    while len(out) < n:
        letter = dataset._letters[rng.choice(letters)]
        key = letter.keys[rng.randrange(len(letter.keys))].decode()
        out.append(f"{key[:4].strip()} {key[4:]}")
    return out


def _bytes(a) -> int:
    return a.itemsize * len(a)
