"""The demo council's two years of moves, exported and run through the 903 rules: many more
shapes of history than the hand-worked one (emergency admissions, every discharge destination,
transfers both ways, stays open at the year's end)."""
from __future__ import annotations

from homes_app.extensions import db
from tests.ssda903.support import TODAY, read_csv, validate


def test_every_year_of_the_demo_history_passes_the_903_rules(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--seed", "1"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    from homes_app.ssda903.export import export

    checked = 0
    for year in (2025, 2026, 2027):
        files = export(year, today=TODAY).files
        _, header = read_csv(files["header.csv"])
        _, episodes = read_csv(files["episodes.csv"])
        assert validate(header, episodes, year=year) == []
        checked += len(episodes)
    assert checked > 20
