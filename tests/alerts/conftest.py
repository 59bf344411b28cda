"""Fixtures for alert tests: the rule context at the frozen moment, and a sweep helper."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from homes_app import clock
from homes_app.alerts.rules import Context
from homes_app.alerts.settings import AlertSettings

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=clock.LONDON)


@pytest.fixture
def context(app):
    """Build a rule context at the frozen moment with chosen settings."""

    def build(**settings) -> Context:
        return Context(clock.now(), clock.today(), AlertSettings(**settings))

    return build
