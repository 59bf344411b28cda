"""`flask backup` with no file: a new copy in BACKUP_DIR, verified by a restore into a scratch
database, then the rotation; a copy that does not verify deletes nothing."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from homes_app.backup import services, verify
from homes_app.extensions import db

from .test_backup_restore import every_row


@pytest.fixture
def folder(app, make, tmp_path):
    make.home()
    db.session.remove()
    app.config.update(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_KEEP_DAILY=2,
                      BACKUP_KEEP_WEEKLY=2)
    return tmp_path / "backups"


def back_up(app, clock, *when: int | tuple[int, int]):
    """Run `flask backup` at 02:30 on each given November 2026 day (or (day, minute))."""
    for moment in when:
        day, minute = moment if isinstance(moment, tuple) else (moment, 30)
        clock.freeze(datetime(2026, 11, day, 2, minute))
        result = app.test_cli_runner().invoke(args=["backup"])
        assert result.exit_code == 0, result.output
    return result


def names(folder) -> list[str]:
    return sorted(path.name.replace(".pgdump", "").replace(".sqlite3", "")
                  for path in folder.iterdir())


def test_a_copy_is_written_verified_and_restores_to_the_database(app, folder, frozen_clock):
    result = back_up(app, frozen_clock, 3)
    (copy,) = folder.iterdir()
    assert f"Backed up to {copy}" in result.output
    live = services.row_counts(db.engine)
    assert (f"Verified: restored into a scratch database, {len(live)} tables and "
            f"{sum(live.values())} rows") in result.output
    assert "Rotation: 1 copy kept, deleted nothing" in result.output
    if copy.suffix == ".sqlite3":
        assert every_row(f"sqlite:///{copy}") == every_row(app.config["SQLALCHEMY_DATABASE_URI"])


def test_the_rotation_keeps_two_daily_and_two_weekly_copies(app, folder, frozen_clock):
    # Sun 1 (ISO week 44), Tue 3, Fri 6 (week 45), Tue 10, Thu 12, Fri 13 (week 46).
    back_up(app, frozen_clock, 1, 3, 6, 10)
    assert names(folder) == ["homes-2026-11-01T0230", "homes-2026-11-03T0230",
                             "homes-2026-11-06T0230", "homes-2026-11-10T0230"]
    # Daily: 12 and 10; weekly: 6 for week 45, 1 for week 44; so 3 goes.
    assert "deleted homes-2026-11-03T0230" in back_up(app, frozen_clock, 12).output
    # Daily: 13 and 12; weekly: 10 for week 46, 6 for week 45; so 1 goes.
    assert "deleted homes-2026-11-01T0230" in back_up(app, frozen_clock, 13).output
    # The same minute again: a second copy, not an overwrite; it is that day's newest.
    again = back_up(app, frozen_clock, 13)
    assert "homes-2026-11-13T0230-2" in again.output
    assert "4 copies kept, deleted homes-2026-11-13T0230." in again.output
    assert names(folder) == ["homes-2026-11-06T0230", "homes-2026-11-10T0230",
                             "homes-2026-11-12T0230", "homes-2026-11-13T0230-2"]


def lose_a_row(scratch, copy):
    services.restore(scratch, copy)
    with scratch.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))


def corrupt_the_copy(scratch, copy):
    copy.write_bytes(b"not a backup at all " * 100)
    services.restore(scratch, copy)


@pytest.mark.parametrize("breaks", [lose_a_row, corrupt_the_copy])
def test_a_copy_that_does_not_verify_deletes_nothing(app, folder, frozen_clock, monkeypatch,
                                                     database, breaks):
    back_up(app, frozen_clock, 1, 3)
    before = names(folder)
    # A good copy now would leave only itself.
    app.config.update(BACKUP_KEEP_DAILY=1, BACKUP_KEEP_WEEKLY=0)
    monkeypatch.setattr(verify, "restore", breaks)
    frozen_clock.freeze(datetime(2026, 11, 6, 2, 30))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0
    assert "The backup did not verify (" in result.output
    assert "No older copy was deleted" in result.output
    assert names(folder) == sorted([*before, "homes-2026-11-06T0230.failed"])
    assert no_scratch_databases_left(database)


def no_scratch_databases_left(database) -> bool:
    kind, where = database
    if kind == "sqlite":
        return True
    engine = create_engine(where)
    with engine.connect() as conn:
        left = conn.scalar(text("SELECT count(*) FROM pg_database "
                                "WHERE datname LIKE 'homes_verify_%'"))
    engine.dispose()
    return left == 0


def test_a_keep_count_below_one_day_is_refused_before_anything_is_written(app, folder):
    app.config.update(BACKUP_KEEP_DAILY=0)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0
    assert "BACKUP_KEEP_DAILY must be a whole number, 1 or more" in result.output
    assert not folder.exists()
