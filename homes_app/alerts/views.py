"""The alerts pages: the list with filters (and a summary for directors and administrators),
acknowledge and resolve, the council's alert settings and each person's email preferences.

Everyone signed in has the list, showing only what they may see (services.visible_to); an alert
they may not see is 404. Each form view runs one service and commits once."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from .. import clock
from ..auth.models import Role
from ..auth.services import homes_in_scope
from ..errors import DomainError
from ..extensions import db
from ..homes.models import Home
from ..types import LARGEST_INTEGER
from ..web import post_once, roles_required, show_error, signed_in, submit_form
from . import services
from . import settings as alert_settings
from .forms import DAYS, AcknowledgeForm, PreferencesForm, ResolveForm, SettingsForm
from .models import SEVERITIES, STATES, Alert

bp = Blueprint("alerts", __name__)
ACTORS = ("administrator", "service_director", "registered_manager")
PAGE = 200
COUNT_KEY = "alerts_open"


COUNT_SECONDS = 60


@bp.app_context_processor
def _header_count():
    return {"open_alerts_count": open_alerts_count}


def open_alerts_count() -> int:
    """The header's count of the person's open alerts: one query, at most once a minute per
    session (alerts change with the 15-minute sweep; this person's own acknowledging and
    resolving clears the cached figure at once)."""
    if not current_user.is_authenticated:
        return 0
    now = clock.utcnow().timestamp()
    cached = session.get(COUNT_KEY)
    if cached and cached[0] == current_user.id and 0 <= now - cached[2] < COUNT_SECONDS:
        return cached[1]
    count = services.open_count(current_user)
    session[COUNT_KEY] = [current_user.id, count, now]
    return count


def alert_link(alert: Alert) -> str | None:
    if not alert.link_endpoint:
        return None
    try:
        return url_for(alert.link_endpoint, **(alert.link_args or {}))
    except BuildError:
        return None


def _filters() -> dict[str, str]:
    raw = {k: request.args.get(k, "") for k in ("state", "kind", "home", "severity")}
    known = {"state": {"", "unresolved", *STATES}, "kind": {"", *alert_settings.KINDS},
             "severity": {"", *SEVERITIES}}
    for name, allowed in known.items():
        if raw[name] not in allowed:
            raw[name] = ""
    raw["state"] = raw["state"] or "unresolved"
    raw["home"] = raw["home"] if raw["home"].isdigit() and int(raw["home"]) <= LARGEST_INTEGER \
        else ""
    return raw


def _listed(f: dict[str, str]):
    stmt = select(Alert).options(joinedload(Alert.home), joinedload(Alert.acknowledged_by),
                                 joinedload(Alert.resolved_by)).where(
        services.visible_to(current_user))
    if f["state"] == "unresolved":
        stmt = stmt.where(Alert.state != "resolved")
    else:
        stmt = stmt.where(Alert.state == f["state"])
    if f["kind"]:
        stmt = stmt.where(Alert.kind == f["kind"])
    if f["severity"]:
        stmt = stmt.where(Alert.severity == f["severity"])
    if f["home"]:
        stmt = stmt.where(Alert.home_id == int(f["home"]))
    return db.session.scalars(stmt.order_by(Alert.raised_at.desc(), Alert.id.desc())
                              .limit(PAGE + 1)).unique().all()


def _summary() -> list[tuple[str, str, int]]:
    """Unresolved alerts counted by kind and home, for directors and administrators."""
    rows = db.session.execute(
        select(Alert.kind, Home.name, func.count(Alert.id))
        .outerjoin(Home, Home.id == Alert.home_id).where(Alert.state != "resolved")
        .group_by(Alert.kind, Home.name).order_by(Alert.kind, Home.name)).all()
    return [(alert_settings.KINDS.get(kind, kind), home or "Council-wide or staff", n)
            for kind, home, n in rows]


@bp.route("/alerts")
@signed_in
def index():
    f = _filters()
    scope = homes_in_scope(current_user)
    homes_stmt = select(Home.id, Home.name).order_by(Home.name)
    if scope is not None:
        homes_stmt = homes_stmt.where(Home.id.in_(scope))
    homes = db.session.execute(homes_stmt).all() if scope is None or scope else []
    alerts = _listed(f)
    director = current_user.role in (Role.ADMINISTRATOR, Role.SERVICE_DIRECTOR)
    return render_template(
        "alerts/index.html", alerts=alerts[:PAGE], more=len(alerts) > PAGE, filters=f,
        homes=homes, kinds=alert_settings.KINDS, severities=SEVERITIES, states=STATES,
        summary=_summary() if director else None, link=alert_link,
        may_act=current_user.role in ACTORS, title="Alerts")


def _visible_alert(alert_id: int) -> Alert:
    alert = db.session.scalar(select(Alert).where(Alert.id == alert_id,
                                                  services.visible_to(current_user)))
    if alert is None:
        abort(404)
    return alert


def _form_page(alert_id: int, form, heading: str, action: Callable[[], str]):
    alert = _visible_alert(alert_id)

    def done():
        message = action()
        session.pop(COUNT_KEY, None)  # the header's count is read afresh
        return message, url_for("alerts.index", **_back_filters())

    def refused(error: DomainError, status: int):
        show_error(form, error)
        return _act_page(_visible_alert(alert_id), form, heading), status  # re-read after rollback

    answer = post_once(form, done, refused)
    return _act_page(alert, form, heading) if answer is None else answer


def _act_page(alert: Alert, form, heading: str) -> str:
    return render_template("alerts/act.html", alert=alert, form=form, heading=heading,
                           title=heading, link=alert_link(alert))


def _back_filters() -> dict:
    return {k: v for k, v in request.args.items() if k in ("state", "kind", "home", "severity")}


@bp.route("/alerts/<int:alert_id>/acknowledge", methods=["GET", "POST"])
@roles_required(*ACTORS)
def acknowledge(alert_id: int):
    form = AcknowledgeForm()

    def action() -> str:
        services.acknowledge(alert_id, note=form.note.data, actor=current_user,
                             now=clock.utcnow())
        return "Alert acknowledged"

    return _form_page(alert_id, form, "Acknowledge alert", action)


@bp.route("/alerts/<int:alert_id>/resolve", methods=["GET", "POST"])
@roles_required(*ACTORS)
def resolve(alert_id: int):
    form = ResolveForm()

    def action() -> str:
        services.resolve(alert_id, reason=form.reason.data, actor=current_user,
                         now=clock.utcnow())
        return "Alert resolved"

    return _form_page(alert_id, form, "Resolve alert", action)


@bp.route("/alerts/settings", methods=["GET", "POST"])
@roles_required("administrator")
def settings():
    try:
        current = alert_settings.load()
    except DomainError as error:  # a bad stored value: show the defaults and say why
        current = alert_settings.AlertSettings()
        flash(f"The saved alert settings are not valid ({error.message}); showing defaults.",
              "error")
    form = SettingsForm(data={**{n: getattr(current, n) for n in alert_settings.LIMITS},
                              "enabled": [k for k in alert_settings.KINDS if current.on(k)]})

    def action():
        services.update_settings({n: getattr(form, n).data for n in alert_settings.LIMITS},
                                 form.enabled.data or [], actor=current_user)
        return "Alert settings saved", url_for("alerts.settings")

    return submit_form(form, "alerts/settings.html", action, limits=alert_settings.LIMITS,
                       title="Alert settings")


@bp.route("/alerts/preferences", methods=["GET", "POST"])
@signed_in
def preferences():
    pref = services.preference(current_user.id)
    form = PreferencesForm(data={
        "digest_enabled": pref.digest_enabled, "immediate_high": pref.immediate_high,
        "digest_at": pref.digest_at.strftime("%H:%M"),
        "digest_days": [str(n) for n in range(7) if pref.digest_days & (1 << n)]})
    if not form.is_submitted():
        form.digest_at.time = pref.digest_at

    def action():
        services.set_preferences(
            current_user, digest_enabled=bool(form.digest_enabled.data),
            digest_at=form.digest_at.time,
            digest_days=[int(d) for d in form.digest_days.data or [] if str(d).isdigit()],
            immediate_high=bool(form.immediate_high.data))
        return "Email preferences saved", url_for("alerts.preferences")

    return submit_form(form, "alerts/preferences.html", action, days=DAYS,
                       title="Alert email preferences")
