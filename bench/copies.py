"""Throwaway databases for the served figures (bench/gunicorn.py), so the cached data sets are
left as they are: a copy of a data set, a new migrated empty one, or one holding the demo
council, of the bench's kind."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from homes_app import ROOT
from homes_app.extensions import db

from .dataset import DataSet, bench_app
from .served import SECRET_KEY

FLASK = str(Path(sys.executable).parent / "flask")


def copy_of(data: DataSet, name: str) -> str:
    """The URL of a copy of `data`'s database (SQLite: the backup API, so rows still in the
    write-ahead log come too; PostgreSQL: a database made from it as a template)."""
    if data.url.startswith("sqlite"):
        url = _temporary_sqlite(name)
        source, target = sqlite3.connect(data.url.removeprefix("sqlite:///")), \
            sqlite3.connect(url.removeprefix("sqlite:///"))
        source.backup(target)
        source.close(), target.close()
        return url
    with data.app.app_context():  # a template database must have no one connected
        db.session.remove()
        db.engine.dispose()
    return _postgres(data.url, name, f"TEMPLATE {data.url.rsplit('/', 1)[1]}")


def fresh(like: DataSet, name: str) -> str:
    """The URL of a new database, migrated and empty, beside `like`'s."""
    url = _temporary_sqlite(name) if like.url.startswith("sqlite") else _postgres(like.url, name)
    app = bench_app(url)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return url


def demo(like: DataSet, name: str) -> str:
    """The URL of a new database holding the demo council (six homes, two years of moves, a
    staffed rota), loaded as `make run` loads it: `flask demo-data` in a process of its own,
    whose clock is the real one the served app reads (this process's is frozen)."""
    url = fresh(like, name)
    env = {**os.environ, "HOMES_DEVELOPMENT": "1", "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
    done = subprocess.run([FLASK, "--app", "wsgi", "demo-data"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError("flask demo-data failed:\n" + done.stderr[-3000:])
    return url


def setup_app(url: str):
    """An in-process app on `url` that encrypts TOTP secrets as the served app will."""
    return bench_app(url, SECRET_KEY=SECRET_KEY)


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def remove(url: str) -> None:
    """Drop a database made here (nothing may be connected to it any more)."""
    if url.startswith("sqlite"):
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
        return
    base, name = url.rsplit("/", 1)
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


def _temporary_sqlite(name: str) -> str:
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='homes-bench-')) / name}.sqlite3"


def _postgres(url: str, name: str, template: str = "") -> str:
    base = url.rsplit("/", 1)[0]
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name} {template}"))
    admin.dispose()
    return f"{base}/{name}"
