"""The homes blueprint with all its pages: importing the views attaches their routes to
`pages.bp`. Only the app factory imports this."""
from __future__ import annotations

from . import bed_views, views  # noqa: F401  (routes)
from .pages import bp

__all__ = ["bp"]
