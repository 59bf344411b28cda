"""What several reports read: the homes chosen, by id, in one query."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from ..extensions import db
from ..homes.models import Home


def homes_by_id(home_ids: Iterable[int]) -> dict[int, Home]:
    """The homes, ordered by name: one query."""
    ids = list(home_ids)
    if not ids:
        return {}
    return {h.id: h for h in db.session.scalars(
        select(Home).options(lazyload(Home.beds)).where(Home.id.in_(ids)).order_by(Home.name))}


def pounds(pence: int | None) -> float | None:
    return None if pence is None else pence / 100
