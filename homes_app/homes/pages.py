"""The homes blueprint and what its pages share: who may see homes, the one way a home's form
is submitted (re-reading the home's version when the form was stale), and finding a home
within the user's scope."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, url_for

from ..auth.models import Role
from ..web import get_in_scope, submit_form
from .models import (
    HOME_STATUSES,
    HOME_TYPES,
    NEED_CATEGORIES,
    OUT_OF_USE_REASONS,
    SEXES_ADMITTED,
    Home,
)

bp = Blueprint("homes", __name__)


SEE_HOMES = (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR, Role.REGISTERED_MANAGER, Role.HOME_STAFF)


ADMIN, MANAGER = Role.ADMINISTRATOR, Role.REGISTERED_MANAGER


LABELS = dict(HOME_STATUSES=HOME_STATUSES, HOME_TYPES=HOME_TYPES, SEXES_ADMITTED=SEXES_ADMITTED,
              NEED_CATEGORIES=NEED_CATEGORIES, OUT_OF_USE_REASONS=OUT_OF_USE_REASONS)


def submit(form, template: str, action: Callable[[], tuple[str, str]], home: Home | None = None,
            **context):
    """web.submit_form, re-reading the home's version when the form was stale."""
    def reread(f) -> None:
        f.version.data = home.version

    return submit_form(form, template, action, on_stale=reread if home else None, home=home,
                       **context)


def home_in_scope(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)


def home_page(home: Home) -> str:
    return url_for("homes.show", home_id=home.id)
