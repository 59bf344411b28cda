"""homes_app: the system a council uses to run its own small children's homes."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request, send_from_directory
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database, logs, models, security, static_assets  # noqa: F401  (models: schema)
from .alerts import email as alerts_email
from .alerts.views import bp as alerts_bp
from .audit.views import bp as audit_bp
from .auth.account import bp as account_bp
from .auth.admin import bp as accounts_bp
from .auth.cli import register_cli as auth_cli
from .auth.views import bp as auth_bp
from .backup.cli import register_cli as backup_cli
from .clock import LONDON
from .config import load_config
from .demo.cli import register_cli as demo_cli
from .error_pages import register_error_pages
from .extensions import csrf, db, login_manager, migrate
from .homes.blueprint import bp as homes_bp
from .ops.blueprint import init_app as ops_init_app
from .placements.blueprint import bp as placements_bp
from .placements.cli import register_cli as placements_cli
from .postcodes.views import bp as postcodes_bp
from .registration.blueprint import bp as registration_bp
from .registration.cli import register_cli as registration_cli
from .registration.compliance.views import bp as compliance_bp
from .reports.views import bp as reports_bp
from .retention.cli import register_cli as retention_cli
from .retention.views import bp as retention_bp
from .scheduler.cli import register_cli as scheduler_cli
from .ssda903.cli import register_cli as ssda903_cli
from .ssda903.views import bp as ssda903_bp
from .staffing.blueprint import bp as staffing_bp
from .web import RecordId

ROOT = Path(__file__).resolve().parent.parent
# templates/, static/ and migrations/ are the checkout's own, beside the package (editable
# install, make run, tests); a built wheel carries copies of them in homes_app/_bundled/
# (setup.py) and an installed one reads those.
_BUNDLED = Path(__file__).resolve().parent / "_bundled"
INSTALLED = _BUNDLED.is_dir()
RESOURCES = _BUNDLED if INSTALLED else ROOT


def _instance_path() -> str | None:
    """HOMES_INSTANCE_PATH when set; else instance/ in a checkout, and for an installed wheel
    Flask's default for installed packages (<prefix>/var/homes_app-instance)."""
    if chosen := os.environ.get("HOMES_INSTANCE_PATH"):
        return str(Path(chosen).expanduser().resolve())
    return None if INSTALLED else str(ROOT / "instance")


def create_app(config: dict | None = None, *, refuse_unsafe: bool = True) -> Flask:
    """Wire config, extensions, blueprints, CLI and error handlers; nothing else runs (no
    scheduler: that is `flask run-scheduler`, a process of its own). Unsafe settings raise
    UnsafeSettings unless `refuse_unsafe` is False (`flask check-config` lists them)."""
    app = Flask(
        __name__,
        instance_path=_instance_path(),
        template_folder=str(RESOURCES / "templates"),
        static_folder=str(RESOURCES / "static"),
    )
    load_config(app, config, refuse_unsafe=refuse_unsafe)
    _behind_proxies(app)
    _templates(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(RESOURCES / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)
    _blueprints(app)
    _requests(app)
    security.init_app(app)
    logs.init_app(app)
    ops_init_app(app)
    register_error_pages(app)
    # Last: WhiteNoise answers static files before all the above. A checkout's may be edited.
    static_assets.init_app(app, check_edits=not INSTALLED)
    return app


def _behind_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For, -Proto and -Host from exactly TRUSTED_PROXIES proxies: the client
    address (sign-in throttling, logs), https and the host then come from them. With none
    trusted, the headers are ignored, since any client could send them."""
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["london"] = _london_time


def _london_time(moment) -> str:
    """An aware datetime as UK local time, for people to read."""
    return moment.astimezone(LONDON).strftime("%-d %b %Y %H:%M") if moment else ""


def _blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = RecordId  # before any route is added: ids out of range 404
    for bp in (auth_bp, account_bp, accounts_bp, audit_bp, homes_bp, placements_bp):
        app.register_blueprint(bp)
    app.register_blueprint(staffing_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(compliance_bp)
    app.register_blueprint(retention_bp)
    app.register_blueprint(postcodes_bp)
    app.register_blueprint(ssda903_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(alerts_bp)
    alerts_email.init_app(app)  # SMTP settings checked at start-up
    scheduler_cli(app)
    registration_cli(app)
    auth_cli(app)
    backup_cli(app)
    placements_cli(app)
    demo_cli(app)
    retention_cli(app)
    ssda903_cli(app)

    # GOV.UK Frontend's stylesheet asks for its fonts and images under /assets. WhiteNoise
    # (static_assets.py) serves every file there and in /static/ first: these two routes name
    # the URLs for url_for and answer only for a file it does not know (404, as a rule).
    govuk_assets = Path(app.static_folder) / "govuk" / "assets"

    @app.route("/assets/<path:filename>", endpoint="govuk_assets")
    def _govuk_assets(filename: str):
        return send_from_directory(govuk_assets, filename, max_age=86400)


def _requests(app: Flask) -> None:
    @app.before_request
    def _declare_write_intent():
        # GET pages read; SQLite takes its write lock at BEGIN only for requests that write.
        view = app.view_functions.get(request.endpoint)
        database.write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS")
                                  or getattr(view, "writes_on_get", False))

