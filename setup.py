"""Packaging beyond pyproject.toml: a built wheel carries the checkout's top-level templates/,
static/ and migrations/ as package data in homes_app/_bundled/, which create_app reads when
installed (homes_app/__init__.py). static/ holds what `make assets` makes there too: GOV.UK
Frontend's built files in static/govuk/, and the fingerprinted and compressed copies of every
file with their manifest, static/staticfiles.json.

An editable install (`pip install -e .`) copies nothing: it reads the checkout's own folders."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("templates", "static", "migrations")
# Each must be there, or the wheel could not serve a page or make its schema.
REQUIRED = ("templates/base.html", "static/govuk/govuk-frontend.min.css",
            "static/govuk/assets/fonts", "static/staticfiles.json", "migrations/env.py",
            "migrations/versions")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.py[co]", ".copied", ".DS_Store")


class BuildWithResources(build_py):
    """The usual build_py, then templates/, static/ and migrations/ copied into the build."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        missing = [name for name in REQUIRED if not (HERE / name).exists()]
        if missing:
            raise SystemExit("cannot build homes_app: missing " + ", ".join(missing)
                             + " (static/govuk/ and static/staticfiles.json are made by"
                             " `make assets`)")
        target = Path(self.build_lib, "homes_app", "_bundled")
        shutil.rmtree(target, ignore_errors=True)  # nothing stale from an earlier build
        for name in BUNDLED:
            shutil.copytree(HERE / name, target / name, ignore=SKIPPED)


setup(cmdclass={"build_py": BuildWithResources})
