"""The registration blueprint with all its pages: importing the plans' and the template's
views attaches their routes to `pages.bp`. Only the app factory imports this, so loading a
registration model or service never loads the pages. The compliance calendar has its own
blueprint, in compliance/views.py."""
from __future__ import annotations

from .pages import bp
from .plans import views as plan_views  # noqa: F401  (routes)
from .templates import views as template_views  # noqa: F401  (routes)

__all__ = ["bp"]
