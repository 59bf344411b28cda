"""The SSDA903 download for service directors and administrators: a zip of header.csv and
episodes.csv for one collection year."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from .. import clock
from ..auth.models import Role
from ..errors import DomainError
from ..web import audited_read, roles_required, writes_on_get
from .export import LEFT_BLANK, export

bp = Blueprint("ssda903", __name__, url_prefix="/ssda903")


@bp.route("")
@roles_required(Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR)
@writes_on_get
def index():
    """The form, and (with ?year=) the zip: a read, so a GET link can be bookmarked."""
    today = clock.today()
    default = today.year if today.month < 4 else today.year + 1
    year = request.args.get("year")
    if year is None:
        return render_template("ssda903/index.html", year=default, error=None,
                               left_blank=LEFT_BLANK)
    try:
        result = export(year, today=today)
    except DomainError as refused:
        return render_template("ssda903/index.html", year=year[:8], error=refused.message,
                               left_blank=LEFT_BLANK)
    # Every child in the return is named in one audit event: who downloaded it, and when.
    return audited_read(Response(result.zip_bytes(), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="ssda903_{result.year}.zip"',
        "Cache-Control": "no-store"}), "ssda903.export", result.children,
        details={"year": result.year})
