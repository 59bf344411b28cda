"""The staffing blueprint and what its pages share: who may see and change what, and the
one way a form is handled (validate, consume the nonce, run one service, commit once,
flash, redirect; a refusal rolls back and shows the form again).

Managers keep their homes' rotas and staff; home staff read their home's rota and their own
shifts; relief staff see only open shifts, their own shifts and record, never a child's.
Another home's records are 404, a role's missing rights 403.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Blueprint, abort
from flask_login import current_user

from ..auth.models import Role
from ..clock import LONDON
from ..errors import DomainError
from ..extensions import db
from ..homes.models import Home
from ..web import get_in_scope, post_once, submit_form
from .people.models import StaffMember
from .people.queries import staff_for
from .times import hours

bp = Blueprint("staffing", __name__)

ADMIN, DIRECTOR = Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR
MANAGER, HOME_STAFF, RELIEF = Role.REGISTERED_MANAGER, Role.HOME_STAFF, Role.RELIEF_STAFF
ROTA_READERS = (ADMIN, DIRECTOR, MANAGER, HOME_STAFF)
STAFF_READERS = (ADMIN, DIRECTOR, MANAGER)
WORKERS = (RELIEF, HOME_STAFF, MANAGER)  # people who may have shifts of their own


@bp.app_template_global()
def fresh_nonce() -> str:
    """A nonce for one of several one-tap forms on a page (each can be accepted once)."""
    return secrets.token_urlsafe(24)


bp.add_app_template_global(hours, "shift_hours")


@bp.app_template_filter("iso_london")
def iso_london(value: str) -> str:
    """A stored ISO moment as London time, like 'Mon 23 Nov 07:00'."""
    from datetime import datetime

    return datetime.fromisoformat(value).astimezone(LONDON).strftime("%a %-d %b %H:%M")
bp.add_app_template_global(LONDON, "london_tz")



def my_home_ids() -> set[int]:
    return {h.id for h in current_user.homes}


def home_in_scope(home_id: int) -> Home:
    return get_in_scope(Home, home_id, lambda h: h.id)


def managed_home(home_id: int) -> Home:
    """A home the signed-in registered manager manages (404 outside their homes)."""
    home = home_in_scope(home_id)
    if current_user.role != MANAGER or home.id not in my_home_ids():
        abort(403)
    return home


def in_home(record, home: Home, home_id_of=lambda r: r.home_id):
    """A record that belongs to `home`, or 404."""
    if record is None or home_id_of(record) != home.id:
        abort(404)
    return record


def me() -> StaffMember:
    """The signed-in person's staff record (403 for an account without one)."""
    staff = staff_for(current_user.id)
    if staff is None or not staff.active:
        abort(403)
    return staff


def visible_staff(staff_id: int) -> StaffMember:
    """A staff record the user may read: administrators and directors all; managers their
    homes' staff and the relief pool; everyone else only their own. 404 otherwise."""
    staff = db.session.get(StaffMember, staff_id)
    if staff is None:
        abort(404)
    role = current_user.role
    if role in (ADMIN, DIRECTOR):
        return staff
    if role == MANAGER and (staff.home_id is None or staff.home_id in my_home_ids()):
        return staff
    if staff.user_id is not None and staff.user_id == current_user.id:
        return staff
    abort(404)


def may_edit_staff(staff: StaffMember) -> bool:
    if current_user.role == ADMIN:
        return True
    return current_user.role == MANAGER and staff.home_id in my_home_ids()


def editable_staff(staff_id: int) -> StaffMember:
    staff = visible_staff(staff_id)
    if not may_edit_staff(staff):
        abort(403)
    return staff


def submit(form, template: str, action: Callable[[], tuple[str, str]],
           refresh: Callable | None = None, **context):
    """web.submit_form; `refresh(form)` re-reads the record's version when the form was stale."""
    return submit_form(form, template, action, on_stale=refresh, **context)


def tap(form, action: Callable[[], tuple[str, str]], page: Callable[[DomainError], str]):
    """A one-tap POST (pick up, release, withdraw): on success commit once and redirect; a
    refusal rolls back and shows the page again with the reasons, nothing written (web.post_once);
    a form that expired or is incomplete is 400."""
    answer = post_once(form, action, lambda error, status: (page(error), status))
    if answer is None:
        return page(DomainError("This form expired or was incomplete. Nothing was saved: "
                                "reload the page and try again.")), 400
    return answer



