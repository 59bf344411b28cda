"""The placements blueprint with all its pages: importing the views attaches their routes to
`views.bp`. Only the app factory imports this."""
from __future__ import annotations

from . import children_views  # noqa: F401  (routes)
from .views import bp

__all__ = ["bp"]
