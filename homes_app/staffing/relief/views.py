"""The relief pool on a phone: open shifts the person may pick up (one tap), their own shifts
with release, and their private calendar feed."""
from __future__ import annotations

from flask import Response, abort, current_app, render_template, url_for
from flask_login import current_user

from ... import clock
from ...extensions import db
from ...links import external_url
from ...web import current_actor, roles_required
from .. import settings as council
from ..pages import HOME_STAFF, RELIEF, WORKERS, bp, me, my_home_ids, tap
from ..people import services as staff_services
from ..people.models import StaffMember
from ..rota.models import END_REASONS, SHIFT_KINDS, Shift
from . import calendar
from . import services as relief
from .forms import TapForm
from .queries import my_bookings, open_shifts

LABELS = dict(SHIFT_KINDS=SHIFT_KINDS, END_REASONS=END_REASONS)


def _open_page(staff: StaffMember, refusal=None) -> str:
    now = clock.utcnow()
    return render_template("staffing/open_shifts.html", staff=staff, refusal=refusal,
                           shifts=open_shifts(staff, now, council.load()), tap_form=TapForm(),
                           title="Open shifts", **LABELS)


@bp.route("/open-shifts", endpoint="open_shifts")
@roles_required(RELIEF, HOME_STAFF)
def open_shifts_page():
    return _open_page(me())


@bp.route("/open-shifts/<int:shift_id>/pick-up", methods=["POST"])
@roles_required(RELIEF, HOME_STAFF)
def pick_up(shift_id: int):
    staff = me()
    shift = db.session.get(Shift, shift_id)
    if current_user.role == HOME_STAFF and (shift is None or shift.home_id not in my_home_ids()):
        abort(404)
    form = TapForm()

    def action():
        result = relief.pick_up_shift(shift_id, staff.id, actor=current_actor(), now=clock.utcnow())
        s = result.shift
        when = f"{s.shift_type.name} at {s.home.name} on {s.on_date:%A %-d %B}"
        if result.pending:
            return (f"You asked for the {when}. The home's manager will confirm it; it shows "
                    "under My shifts meanwhile.", url_for("staffing.my_shifts"))
        return f"The {when} is yours", url_for("staffing.my_shifts")

    return tap(form, action, lambda error: _open_page(staff, error))


def _my_page(staff: StaffMember, refusal=None) -> str:
    now = clock.utcnow()
    live, ended = my_bookings(staff.id, now)
    feed = external_url("staffing.calendar_feed", staff_id=staff.id,
                        token=calendar.token(staff, current_app.config["SECRET_KEY"]))
    return render_template("staffing/my_shifts.html", staff=staff, live=live, ended=ended,
                           refusal=refusal, now=now, feed=feed, tap_form=TapForm(),
                           notice=council.load().release_notice_hours, title="My shifts",
                           **LABELS)


@bp.route("/my-shifts")
@roles_required(*WORKERS)
def my_shifts():
    return _my_page(me())


@bp.route("/my-shifts/<int:shift_id>/release", methods=["POST"])
@roles_required(*WORKERS)
def release(shift_id: int):
    staff = me()
    form = TapForm()

    def action():
        s = relief.release_shift(shift_id, staff.id, actor=current_actor(), now=clock.utcnow())
        return (f"You released the {s.shift_type.name} shift at {s.home.name} on "
                f"{s.on_date:%A %-d %B}", url_for("staffing.my_shifts"))

    return tap(form, action, lambda error: _my_page(staff, error))


@bp.route("/my-shifts/calendar/reset", methods=["POST"])
@roles_required(*WORKERS)
def reset_calendar():
    staff = me()
    form = TapForm()

    def action():
        staff_services.reset_calendar(staff.id, actor=current_actor())
        return ("Your calendar link has been reset: the old link no longer works. Add the new "
                "one to your calendar app.", url_for("staffing.my_shifts"))

    return tap(form, action, lambda error: _my_page(staff, error))


STALE_FEED = ("This calendar link is no longer valid: it was reset, or mistyped. Sign in and "
              "copy your current link from My shifts.\r\n")


@bp.route("/calendar/<int:staff_id>/<token>.ics")
def calendar_feed(staff_id: int, token: str):
    """The private feed: the secret link is the only credential (calendar apps cannot sign
    in). A stale or wrong link gets a plain message and 401, and nothing is written."""
    staff = db.session.get(StaffMember, staff_id)
    if not calendar.token_matches(staff, token, current_app.config["SECRET_KEY"]):
        return Response(STALE_FEED, status=401, mimetype="text/plain")
    body = calendar.feed(staff, clock.utcnow())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": "inline; filename=shifts.ics",
        "Cache-Control": "private, max-age=300"})
