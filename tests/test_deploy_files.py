"""deploy/'s systemd units, settings example and nginx example name only commands, settings and
files that exist: each command is run here with --help (or gunicorn's --check-config)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from homes_app import ROOT
from homes_app.alerts.email import NAMES as SMTP_NAMES
from homes_app.config import FROM_ENVIRONMENT, RENAMED
from homes_app.reports.exports import CSV_TYPE

DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
INSTALLED_BIN = "/opt/homes-app/venv/bin/"
UNITS = sorted(DEPLOY.glob("*.service"))
# Read by gunicorn_config.py and the Python packaging rather than by load_config.
OTHER_SETTINGS = {"HOMES_INSTANCE_PATH", "PROMETHEUS_MULTIPROC_DIR", "GUNICORN_BIND",
                  "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
                  "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG",
                  "GUNICORN_ERROR_LOG", "GUNICORN_LOG_LEVEL"}


def directives(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("=", 1)) for line in path.read_text().splitlines()
            if "=" in line and not line.lstrip().startswith(("#", "["))]


def commands() -> list[tuple[str, list[str]]]:
    found = []
    for unit in UNITS:
        for key, value in directives(unit):
            if key.startswith("Exec"):
                found.append((unit.name, shlex.split(value)))
    return found


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "HOMES_DEVELOPMENT"}
    env.update(SECRET_KEY="d" * 32, BASE_URL="https://homes.council.example",
               DATABASE_URL=f"sqlite:///{tmp_path / 'homes.sqlite3'}",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    return env


def test_there_are_units_for_the_web_server_the_scheduler_and_backups():
    assert [u.name for u in UNITS] == ["homes-app-backup.service",
                                       "homes-app-scheduler.service", "homes-app.service"]


@pytest.mark.parametrize(("unit", "argv"), commands(), ids=lambda v: " ".join(v)[:60]
                         if isinstance(v, list) else v)
def test_each_unit_command_exists(unit, argv, tmp_path):
    program = argv[0]
    if not program.startswith(INSTALLED_BIN):
        assert Path(program).exists(), f"{unit}: {program} is not on this machine"
        return
    local = VENV_BIN / program.removeprefix(INSTALLED_BIN)
    assert local.exists(), f"{unit}: {local.name} is not installed by homes_app's dependencies"
    check = [str(local), *argv[1:]]
    check += ["--check-config"] if local.name == "gunicorn" else ["--help"]
    done = subprocess.run(check, cwd=tmp_path, env=production_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{unit}: {' '.join(argv)}\n{done.stdout}{done.stderr}"
    assert "No such command" not in done.stderr


def test_the_backup_timer_starts_a_unit_that_exists():
    timer = dict(directives(DEPLOY / "homes-app-backup.timer"))
    assert (DEPLOY / timer["Unit"]).exists()
    assert timer["OnCalendar"].endswith("Europe/London")


def test_the_settings_example_names_only_settings_the_app_reads():
    example = (DEPLOY / "homes-app.env.example").read_text()
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    known = set(FROM_ENVIRONMENT) | set(RENAMED) | set(SMTP_NAMES) | OTHER_SETTINGS
    assert names - known == set()
    assert {"SECRET_KEY", "BASE_URL", "DATABASE_URL", "TRUSTED_PROXIES"} <= names


def test_nginx_proxies_to_the_address_gunicorn_binds_and_keeps_metrics_internal():
    nginx = (DEPLOY / "nginx-homes-app.conf").read_text()
    settings = dict(directives(DEPLOY / "homes-app.env.example"))
    assert f"proxy_pass http://{settings['GUNICORN_BIND']};" in nginx
    metrics = nginx[nginx.index("location = /metrics {"):]
    metrics = metrics[:metrics.index("}")]
    assert "deny all;" in metrics and "allow 10.0.0.0/8;" in metrics  # internal network only
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in nginx
    assert settings["TRUSTED_PROXIES"] == "1"  # nginx is the one proxy in this example


def test_nginx_gzips_pages_and_downloads_and_passes_static_files_on_as_the_app_sent_them():
    nginx = (DEPLOY / "nginx-homes-app.conf").read_text()
    gzip = dict(line.strip().rstrip(";").split(None, 1) for line in nginx.splitlines()
                if line.strip().startswith("gzip"))
    assert gzip["gzip"] == "on" and gzip["gzip_vary"] == "on"
    types = set(gzip["gzip_types"].split())
    assert "text/html" not in types  # always gzipped once gzip is on; naming it makes nginx warn
    assert {CSV_TYPE.partition(";")[0], "text/calendar"} <= types
    # The app sends its static files compressed, with a year's Cache-Control for fingerprinted
    # names (homes_app/static_assets.py): nginx neither compresses them again nor sets caching.
    assert not types & {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}
    assert "expires " not in nginx and "add_header" not in nginx and "proxy_cache" not in nginx


def test_the_deploy_guide_names_every_file_in_deploy():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for path in DEPLOY.iterdir():
        assert path.name in guide or f"deploy/{path.suffix}" in guide or \
            f"deploy/*{path.suffix}" in guide, path.name
