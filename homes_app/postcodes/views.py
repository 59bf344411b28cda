"""Postcode overrides (administrators and service directors) and the council's LA code
(administrators)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.models import Role
from ..auth.services import may_see_children
from ..errors import DomainError
from ..extensions import db
from ..web import audited_read, post_once, roles_required, show_error, writes_on_get
from . import overrides
from .forms import CouncilAreaForm, OverrideForm, RemoveForm
from .models import PostcodeOverride
from .services import council_la_code

bp = Blueprint("postcodes", __name__, url_prefix="/postcodes")
EDITORS = (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR)


@bp.route("")
@roles_required(*EDITORS)
@writes_on_get
def index():
    unknown, without = overrides.unknown_postcodes()
    rows = db.session.scalars(db.select(PostcodeOverride).order_by(PostcodeOverride.postcode))
    show_children = may_see_children(current_user)
    page = render_template("postcodes/index.html", overrides=list(rows), unknown=unknown,
                           without=without, la_code=council_la_code(),
                           show_children=show_children)
    # Case references are shown to those who may see children: that read is audited.
    named = [i for u in unknown for i in u.child_ids] if show_children else []
    return audited_read(page, "postcodes.page", named)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = OverrideForm()
    return _save(form, None, "Add a postcode override")


@bp.route("/<int:override_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(override_id: int):
    override = _override(override_id)
    form = OverrideForm(data=overrides.snapshot(override))
    return _save(form, override, f"Change the override for {override.postcode}")


@bp.route("/<int:override_id>/remove", methods=["POST"])
@roles_required(*EDITORS)
def remove(override_id: int):
    override = _override(override_id)
    postcode = override.postcode

    def action():
        overrides.remove_override(override, actor=current_user)
        return f"Override for {postcode} removed", url_for("postcodes.index")

    def refused(error: DomainError, status: int):
        flash(error.message, "error")
        # A replayed form is 409 on the list itself: a redirect cannot carry the status.
        return (index(), status) if status == 409 else redirect(url_for("postcodes.index"))

    answer = post_once(RemoveForm(), action, refused)
    return redirect(url_for("postcodes.index")) if answer is None else answer


@bp.route("/council-area", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def council_area():
    form = CouncilAreaForm(data={"la_code": council_la_code()})

    def action():
        code = overrides.set_council_la_code(form.la_code.data, actor=current_user)
        return f"The council's local-authority code is now {code}", url_for("postcodes.index")

    return _submit(form, action, "The council's area")


def _save(form: OverrideForm, override: PostcodeOverride | None, heading: str):
    def action():
        saved = overrides.save_override(
            form.postcode.data, form.latitude.data, form.longitude.data,
            form.la_code.data, form.note.data, actor=current_user, override=override)
        return f"Override for {saved.postcode} saved", url_for("postcodes.index")

    return _submit(form, action, heading, remove=override)


def _submit(form, action, heading: str, remove: PostcodeOverride | None = None):
    """web.post_once; a refusal or a form that did not validate shows the form page again."""
    def refused(error: DomainError, status: int):
        show_error(form, error)
        return _page(form, heading, remove=remove), status

    answer = post_once(form, action, refused)
    return _page(form, heading, remove=remove) if answer is None else answer


def _page(form, heading: str, remove: PostcodeOverride | None = None):
    return render_template("postcodes/form.html", form=form, heading=heading,
                           remove=remove, remove_form=RemoveForm() if remove else None,
                           back=url_for("postcodes.index"))


def _override(override_id: int) -> PostcodeOverride:
    override = db.session.get(PostcodeOverride, override_id)
    if override is None:
        abort(404)
    return override
