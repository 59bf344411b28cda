"""Dates written for people to read, the same on every page, message and email."""
from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """'1 December 2026': in sentences, refusals and notices."""
    return f"{day:%-d %B %Y}"


def short_date(day: date) -> str:
    """'1 Dec 2026': in alert titles and lists, where space is short."""
    return day.strftime("%-d %b %Y")
