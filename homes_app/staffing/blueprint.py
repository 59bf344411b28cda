"""The staffing blueprint with all its pages: importing each part's views attaches their
routes to `pages.bp`. Only the app factory imports this, so loading a staffing model or
service never loads the pages."""
from __future__ import annotations

from .pages import bp
from .people import views as people_views  # noqa: F401  (routes)
from .relief import views as relief_views  # noqa: F401  (routes)
from .rota import shift_views  # noqa: F401  (routes)
from .rota import views as rota_views  # noqa: F401  (routes)

__all__ = ["bp"]
