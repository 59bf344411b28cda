"""The audit log, read-only, for administrators."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from ..auth.models import Role
from ..extensions import db
from ..web import roles_required
from .models import AuditEvent

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@roles_required(Role.ADMINISTRATOR)
def index():
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(100))
    return render_template("audit/index.html", events=events, title="Audit log")
