"""Report pages: an index, one page per report (filters, charts, tables, print view, CSV and
Excel downloads) and the report settings. Directors and administrators report on every home,
a registered manager on their own homes; no one else sees reports."""
from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from .. import clock
from ..auth.models import Role
from ..auth.services import homes_in_scope, may_see_children
from ..web import audited_read, roles_required, submit_form, writes_on_get
from . import exports, settings
from .cost import cost_report
from .forms import FilterForm, ReportSettingsForm, Selection, form_data, homes_in, read
from .moves import moves_report
from .occupancy import occupancy_report
from .staffing import staffing_report
from .sufficiency import sufficiency_report

bp = Blueprint("reports", __name__, url_prefix="/reports")

READERS = (Role.SERVICE_DIRECTOR, Role.ADMINISTRATOR, Role.REGISTERED_MANAGER)
REPORTS = {
    "occupancy": ("Occupancy and voids", "Occupancy by home and month against registered "
                  "places and beds in use, voids by reason and their cost."),
    "moves": ("Admissions, transfers, discharges and stability", "Planned and emergency "
              "admissions, transfers, discharges by destination, length of stay and children "
              "with 3 or more placements in 12 months."),
    "sufficiency": ("Local placement", "Children placed in the council's area and within 20 "
                    "miles of home, against the targets."),
    "cost": ("Cost of places and cost avoided", "Each home's cost per occupied place against "
             "the external weekly price."),
    "staffing": ("Staffing and the relief pool", "Shifts by how they were covered, the fill "
                 "rate of offered shifts and relief hours, by home and month."),
}


@bp.route("")
@roles_required(*READERS)
def index():
    return render_template("reports/index.html", reports=REPORTS, title="Reports",
                           is_admin=current_user.role == Role.ADMINISTRATOR)


def _build(name: str, selection: Selection, page: bool = False):
    """The report; for the page (not a download) a summary where the report has one."""
    period, ids = selection.period, selection.home_ids
    see = may_see_children(current_user)
    if name == "occupancy":
        return occupancy_report(period, ids, summarise=page)
    if name == "moves":
        return moves_report(period, ids, show_case_references=see)
    if name == "sufficiency":
        return sufficiency_report(period, ids, show_case_references=see)
    if name == "cost":
        return cost_report(period, ids)
    return staffing_report(period, ids)


def _query(form: FilterForm) -> dict:
    """The filter as query arguments, so links carry the period actually shown."""
    args: dict = {}
    for field in (form.period_from, form.period_to):
        if field.data:
            args[field.name] = [str(field.data.day), str(field.data.month), str(field.data.year)]
    if form.home.data:
        args["home"] = list(form.home.data)
    if form.home_type.data:
        args["home_type"] = form.home_type.data
    return args


def _page(name: str):
    form = FilterForm(request.args, homes_in(homes_in_scope(current_user)), clock.today())
    selection = read(form)
    wanted = request.args.get("format", "")
    report = _build(name, selection, page=not wanted) if selection else None
    if wanted and report is not None:
        if wanted not in ("csv", "xlsx"):
            abort(404)
        body = exports.to_csv(report) if wanted == "csv" else exports.to_xlsx(report)
        return audited_read(Response(
            body, mimetype=exports.CSV_TYPE if wanted == "csv" else exports.XLSX_TYPE,
            headers={"Content-Disposition": "attachment; filename=" + exports.filename(
                report, selection.period.first, selection.period.last, wanted),
                "Cache-Control": "no-store"}),
            "report.export", report.children, details={"report": name, "format": wanted})
    query = _query(form)
    page = render_template("reports/report.html", form=form, report=report, name=name,
                           heading=REPORTS[name][0], title=REPORTS[name][0], query=query,
                           print_view="print" in request.args, links=_links(name),
                           drill_down=_drill_down(query))
    if report is None or not report.children:
        return _kept_privately(page)
    # Case references shown (to those who may see children) are an audited read, never kept.
    return audited_read(page, "report.page", report.children, details={"report": name})


def _drill_down(query: dict):
    """A home's row links to the same report and period for that home alone; relative to the
    page, which keeps a hundred of them short."""
    period = urlencode({k: v for k, v in query.items() if k.startswith("period_")}, doseq=True)
    return lambda home_id: f"?{period}&home={home_id}"


def _kept_privately(page: str) -> Response:
    """A page naming no child, which the browser may keep (private: never a shared cache) and
    must check again (no-cache): its weak ETag hashes the page as this person sees it in this
    session, so an unchanged page is a 304 with no body. The response's own secrets, new each
    time (security.py's CSP nonce, the signed CSRF token), are left out of the hash; the user
    and the session's CSRF key are put in, so the copy a 304 keeps is one this session
    accepts."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    shown = page
    for secret in (g.get("csp_nonce"), g.get(field)):
        shown = shown.replace(secret, "") if secret else shown
    seen_by = f"{current_user.id}\n{session.get(field, '')}\n"
    response = make_response(page)
    response.set_etag(hashlib.sha256((seen_by + shown).encode()).hexdigest()[:32], weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _links(name: str) -> list[tuple[str, str]]:
    """Where a postcode the local placement report cannot place is put right."""
    if name != "sufficiency":
        return []
    links = []
    if current_user.role in (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR):
        links.append(("Set a postcode's location by hand", url_for("postcodes.index")))
    if current_user.role == Role.ADMINISTRATOR:
        links.append(("Set the council's area", url_for("postcodes.council_area")))
    return links


@bp.route("/occupancy")
@roles_required(*READERS)
def occupancy():
    return _page("occupancy")


@bp.route("/moves")
@roles_required(*READERS)
@writes_on_get  # it may name children, which is audited
def moves():
    return _page("moves")


@bp.route("/local-placement")
@roles_required(*READERS)
@writes_on_get  # it may name children, which is audited
def sufficiency():
    return _page("sufficiency")


@bp.route("/cost")
@roles_required(*READERS)
def cost():
    return _page("cost")


@bp.route("/staffing")
@roles_required(*READERS)
def staffing():
    return _page("staffing")


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def report_settings():
    form = ReportSettingsForm(data=form_data(settings.load()))

    def action():
        settings.store(form.settings(), actor=current_user)
        return "Report settings saved", url_for("reports.report_settings")

    return submit_form(form, "homes/form_page.html", action, heading="Report settings",
                       back=url_for("reports.index"))
