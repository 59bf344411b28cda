"""Children and moves: admit, plan, confirm, transfer, discharge, correct."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("placements", __name__)
