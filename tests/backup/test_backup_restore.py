"""flask backup and flask restore round-trip a populated database: every table, every row."""
from __future__ import annotations

import shutil

from sqlalchemy import MetaData, create_engine, select, text

from homes_app import create_app
from homes_app.extensions import db


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.connect() as conn:
        rows = {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
                for t in tables.sorted_tables}
    engine.dispose()
    return rows


def empty_database(kind: str, where, tmp_path) -> str:
    """A second database: a fresh migrated SQLite copy, or a new empty PostgreSQL database."""
    if kind == "sqlite":
        shutil.copy(where, tmp_path / "restored.sqlite3")
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    admin = create_engine(where, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS restored"))
        conn.execute(text("CREATE DATABASE restored"))
    admin.dispose()
    return where.rsplit("/", 1)[0] + "/restored"


def test_a_backup_restores_every_table_into_an_empty_database(app, database, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    original_url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    out = tmp_path / "homes.backup"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0

    target_url = empty_database(*database, tmp_path)
    target = create_app({"SQLALCHEMY_DATABASE_URI": target_url, "SECRET_KEY": "x",
                         "DEVELOPMENT": True})
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    original, restored = every_row(original_url), every_row(target_url)
    assert restored.keys() == original.keys()
    assert restored == original
    assert len(restored["placements"]) > 40 and len(restored["audit_events"]) > 100


def test_restore_refuses_a_database_that_has_data(app, make, tmp_path):
    make.home()
    db.session.remove()
    runner = app.test_cli_runner()
    out = tmp_path / "one.backup"
    assert runner.invoke(args=["backup", str(out)]).exit_code == 0
    result = runner.invoke(args=["restore", str(out)])
    assert result.exit_code != 0 and "Restore only into an empty database" in result.output
    again = runner.invoke(args=["backup", str(out)])
    assert again.exit_code != 0 and "already exists" in again.output
