"""Command-line tools for placements."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    """No placement commands yet; demo data lives in homes_app.demo."""
