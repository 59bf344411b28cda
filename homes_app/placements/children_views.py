"""Children's records: the list, a child's record, adding and changing one.

Directors, managers and home staff read the children placements.children lets them see
(another home's child is 404); only managers add and change records. Every page that shows a
child's data writes one audit event naming the children shown (web.audited_read).
"""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..auth.services import may_record_moves
from ..web import audited_read, roles_required, submit_form, writes_on_get
from . import children
from .forms import ChildForm
from .views import LABELS, MANAGER, READERS, bp


@bp.route("/children")
@roles_required(*READERS)
@writes_on_get
def children_index():
    today = clock.today()
    found = children.children_list(current_user, today)
    return audited_read(render_template(
        "placements/children.html", children=found, today=today, title="Children",
        current=children.current_stays(current_user, [c.id for c in found], today)),
        "children.list", [c.id for c in found])


@bp.route("/children/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_child():
    home_id = request.args.get("home_id", type=int)
    form = ChildForm()

    def action():
        child = children.create_child(form.details(), actor=current_user, today=clock.today())
        if home_id and may_record_moves(current_user, home_id):
            target = url_for(".admit", home_id=home_id, child_id=child.id)
        else:
            target = url_for(".child", child_id=child.id)
        return f"{child.preferred_name}'s record is added", target

    return submit_form(form, "placements/move.html", action, heading="Add a child's record",
                   back=url_for(".children_index"))


def _visible_child(child_id: int):
    child = children.visible_child(current_user, child_id, clock.today())
    if child is None:
        abort(404)
    return child


@bp.route("/children/<int:child_id>")
@roles_required(*READERS)
@writes_on_get
def child(child_id: int):
    found = _visible_child(child_id)
    managed = {h.id for h in current_user.homes} if current_user.role == MANAGER else set()
    # Who looked at a child's record, and when, is itself recorded (data protection, ASVS).
    return audited_read(render_template(
        "placements/child.html", child=found, today=clock.today(), managed=managed,
        stays=children.visible_stays(current_user, found),
        corrections=children.visible_corrections(current_user, found),
        title=found.preferred_name, **LABELS), "child.view", [found.id], subject_id=found.id)


@bp.route("/children/<int:child_id>/edit", methods=["GET", "POST"])
@roles_required(MANAGER)
@writes_on_get
def edit_child(child_id: int):
    found = _visible_child(child_id)
    form = ChildForm.of(found)

    def action():
        children.update_child(found, form.details(), actor=current_user, today=clock.today())
        return "The child's record is saved", url_for(".child", child_id=found.id)

    page = submit_form(form, "placements/move.html", action, heading="Change a child's record",
                   back=url_for(".child", child_id=found.id))
    if request.method != "GET":  # a change is audited by the service
        return page
    return audited_read(page, "child.edit_form", [found.id], subject_id=found.id)
