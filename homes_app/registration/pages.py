"""The registration blueprint, and what the registration and compliance views share: the one
way a form is submitted, and looking records up within the user's homes."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint

from ..homes.models import Home
from ..web import get_in_scope, submit_form

bp = Blueprint("registration", __name__)


def submit(form, template: str, action: Callable[[], tuple[str, str]],
           version: Callable[[], int] | None = None, **context):
    """web.submit_form; `version()` re-reads the plan's version when the form was stale."""
    def reread(f) -> None:
        f.version.data = version()

    return submit_form(form, template, action, on_stale=reread if version else None, **context)


def home_in_scope(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)

