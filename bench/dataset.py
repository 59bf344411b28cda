"""The bench data sets: made once by the migrations and bulk inserts, cached under instance/bench/.

A cached SQLite file is named after a stamp of the migrations and the generator, so a schema
or generator change builds a fresh one; a build writes to a temporary name and renames the
finished file into place, so an interrupted build is never used.
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, text

from homes_app import ROOT, create_app
from homes_app.auth.models import User
from homes_app.auth.services import hasher
from homes_app.extensions import db
from homes_app.homes.models import Bed, BedHold, BedOutOfUse, Home
from homes_app.placements.models import Child, Placement

from .generate import generate

# Bump when the generator's output changes.
GENERATOR_VERSION = 2
START, TODAY = date(2016, 11, 1), date(2026, 11, 1)  # ten years of stays
SEED = 20161101
DIRECTOR = "director@bench.example"
PASSWORD = "bench director password"  # noqa: S105  (a throwaway bench database)
CACHE = ROOT / "instance" / "bench"
INSERT_ORDER = (("homes", Home), ("beds", Bed), ("children", Child), ("placements", Placement),
                ("bed_out_of_use", BedOutOfUse), ("bed_holds", BedHold))


@dataclass
class DataSet:
    """A migrated, filled database and an app bound to it."""

    homes: int
    url: str
    app: Flask


def stamp() -> str:
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{START}:{TODAY}:{SEED}".encode())
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def bench_app(url: str, **settings) -> Flask:
    """An in-process app on `url`: development settings (plain http for the test client, no
    production refusals), since it is never served."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "SERVER_NAME": None, "DEVELOPMENT": True, **settings})


def sqlite_data_set(homes: int, rebuild: bool = False) -> DataSet:
    """The cached SQLite data set with `homes` homes, built first when missing or stale."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"bench-{homes}-homes-{stamp()}.sqlite3"
    if rebuild or not path.exists():
        for old in CACHE.glob(f"bench-{homes}-homes-*"):
            old.unlink()
        building = path.with_suffix(".building")
        build(f"sqlite:///{building}", homes)
        conn = sqlite3.connect(building, isolation_level=None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the one file
        conn.close()
        building.rename(path)
    url = f"sqlite:///{path}"
    return DataSet(homes, url, bench_app(url))


def build(url: str, homes: int) -> None:
    """Migrate an empty database at `url` and fill it."""
    began = time.perf_counter()
    app = bench_app(url)
    rows = generate(homes, START, TODAY, SEED)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.begin() as conn:
            for table, model in INSERT_ORDER:
                if rows.tables[table]:
                    conn.execute(insert(model.__table__), rows.tables[table])
            conn.execute(insert(User.__table__), [director()])
        db.engine.dispose()
    print(f"bench: built {homes}-home data set in {time.perf_counter() - began:.1f} s",
          file=sys.stderr)


def director() -> dict:
    return dict(email=DIRECTOR, display_name="Bench director", role="service_director",
                password_hash=hasher.hash(PASSWORD), active=True, failed_logins=0,
                locked_until=None, created_at=datetime.now(UTC))


def postgres_data_sets(server_url: str, sizes: tuple[int, ...]) -> list[DataSet]:
    """One fresh database per size on a (throwaway) PostgreSQL server; nothing is cached."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for homes in sizes:
            conn.execute(text(f"CREATE DATABASE bench_{homes}"))
    admin.dispose()
    base = server_url.rsplit("/", 1)[0]
    sets = []
    for homes in sizes:
        url = f"{base}/bench_{homes}"
        build(url, homes)
        sets.append(DataSet(homes, url, bench_app(url)))
    return sets
