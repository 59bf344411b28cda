"""Child records: create and update them (audited), and who may see which child.

Who sees a child (every child page and list applies `visible_children`):
- service directors: every child;
- registered managers: a child with any stay (past, current, planned or cancelled) in one of
  their homes, and a child with no stay anywhere yet. A child with no stay is a referral the
  council is looking to place: adding the record is the first step of an admission, and any
  manager may be asked to take the child. From the first stay (even a planned one) only the
  managers of the homes of the child's stays see the record.
- home staff: a child living in one of their homes tonight (read-only);
- administrators and relief staff: no child (the routes refuse them with 403).
Within a child's page, managers and home staff see only the stays in their own homes, and the
corrections to those stays; directors see every stay.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import exists, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..audit.services import changes, record, snapshot
from ..auth.models import Role
from ..auth.services import homes_in_scope
from ..common.dates import long_date
from ..errors import DomainError
from ..extensions import db
from ..homes.models import NEED_CATEGORIES
from .models import CHILD_SEXES, LEGAL_STATUSES, Child, Placement, PlacementCorrection

FIELDS = ("case_reference", "preferred_name", "date_of_birth", "sex", "legal_status",
          "home_postcode", "uasc", "needs")
POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
CASE_REFERENCE_TAKEN = ("A child with case reference {ref} already has a record: open it from "
                        "Children instead of adding another")
# For someone who may not see the record that holds the reference: it is not confirmed, and
# nothing says whose it is or in which home (a stay elsewhere is not theirs to know about).
CASE_REFERENCE_UNAVAILABLE = ("This case reference cannot be added here. Check it against the "
                              "case management system; if it is right, ask the placements "
                              "team (a service director) to arrange the child's stay with you")


def create_child(details: dict, *, actor, today: date) -> Child:
    """A new child's record from `details` (the keys of FIELDS); audited with its values."""
    child = Child(**_checked(details, today, actor))
    _save(child)
    record(actor, "child.create", child, after=snapshot(child))
    return child


def update_child(child: Child, details: dict, *, actor, today: date) -> Child:
    """Change a child's record; the audit entry keeps only the fields that changed."""
    before = snapshot(child)
    for key, value in _checked(details, today, actor, child.id).items():
        setattr(child, key, value)
    _save(child)
    old, new = changes(before, snapshot(child))
    if new:
        record(actor, "child.update", child, before=old, after=new)
    return child


def _save(child: Child) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(child)
            db.session.flush()
    except IntegrityError:  # two people adding the same reference at once
        raise DomainError(CASE_REFERENCE_UNAVAILABLE, "case_reference") from None


def _checked(details: dict, today: date, actor, child_id: int | None = None) -> dict:
    """The details, normalised, or a DomainError naming the first field that is wrong."""
    values = {key: details.get(key) for key in FIELDS}
    values["case_reference"] = _case_reference(values["case_reference"], child_id, actor, today)
    values["preferred_name"] = (values["preferred_name"] or "").strip()
    if not values["preferred_name"]:
        raise DomainError("Enter the name the child likes to be called", "preferred_name")
    _date_of_birth(values["date_of_birth"], today)
    if values["sex"] not in CHILD_SEXES:
        raise DomainError("Select the child's sex", "sex")
    if values["legal_status"] not in LEGAL_STATUSES:
        raise DomainError("Select the child's legal status", "legal_status")
    values["home_postcode"] = normalise_postcode(values["home_postcode"] or "")
    values["uasc"] = bool(values["uasc"])
    values["needs"] = _needs(values["needs"] or ())
    return values


def _case_reference(ref: str | None, child_id: int | None, actor, today: date) -> str:
    ref = re.sub(r"\s+", "", ref or "").upper()
    if not ref:
        raise DomainError("Enter the case reference from the case management system",
                          "case_reference")
    if len(ref) > 40:
        raise DomainError("The case reference must be 40 characters or fewer", "case_reference")
    taken = select(Child.id).where(func.upper(Child.case_reference) == ref)
    if child_id is not None:
        taken = taken.where(Child.id != child_id)
    if (other := db.session.scalar(taken.limit(1))) is not None:
        seen = actor is None or visible_child(actor, other, today) is not None
        raise DomainError(CASE_REFERENCE_TAKEN.format(ref=ref) if seen
                          else CASE_REFERENCE_UNAVAILABLE, "case_reference")
    return ref


def _date_of_birth(dob: date | None, today: date) -> None:
    if dob is None:
        raise DomainError("Enter the child's date of birth", "date_of_birth")
    if dob > today:
        raise DomainError(f"The date of birth ({long_date(dob)}) cannot be in the future",
                          "date_of_birth")
    age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    if age >= 18:
        raise DomainError(f"A child must be under 18; this date of birth makes them {age} "
                          "today", "date_of_birth")


def normalise_postcode(text: str) -> str:
    """'de221aa' -> 'DE22 1AA'; empty stays empty (a UASC child may have none)."""
    compact = re.sub(r"\s+", "", text).upper()
    if not compact:
        return ""
    if not POSTCODE.match(compact):
        raise DomainError("Enter a full UK postcode, like DE22 1AA, or leave it blank",
                          "home_postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def _needs(needs) -> str:
    unknown = set(needs) - set(NEED_CATEGORIES)
    if unknown:
        raise DomainError("Choose needs from the list", "needs")
    return ",".join(sorted(set(needs)))


# Who may see which child.

def _stay_in(home_ids, *criteria):
    return exists().where(Placement.child_id == Child.id, Placement.home_id.in_(home_ids),
                          *criteria)


def _unplaced():
    return ~exists().where(Placement.child_id == Child.id)


def _living_in(home_ids, today: date):
    return _stay_in(home_ids, Placement.status == "confirmed", Placement.starts_on <= today,
                    or_(Placement.ends_on.is_(None), Placement.ends_on > today))


def visible_children(user, today: date):
    """SQL condition on Child: the children `user` may see (see the module docstring)."""
    home_ids = [h.id for h in user.homes]
    if user.role == Role.SERVICE_DIRECTOR:
        return true()
    if user.role == Role.REGISTERED_MANAGER:
        return or_(_stay_in(home_ids), _unplaced())
    if user.role == Role.HOME_STAFF:
        return _living_in(home_ids, today)
    return false()


def visible_child(user, child_id: int | None, today: date) -> Child | None:
    if child_id is None:
        return None
    return db.session.scalar(select(Child).where(Child.id == child_id,
                                                 visible_children(user, today)))


def children_list(user, today: date) -> list[Child]:
    return list(db.session.scalars(select(Child).where(visible_children(user, today))
                                   .order_by(Child.preferred_name, Child.id)))


def admissible_children(user, today: date) -> list[Child]:
    """Children the user may see who have no current or future stay: those they could admit."""
    busy = exists().where(Placement.child_id == Child.id, Placement.status != "cancelled",
                          or_(Placement.ends_on.is_(None), Placement.ends_on > today))
    return list(db.session.scalars(select(Child).where(visible_children(user, today), ~busy)
                                   .order_by(Child.preferred_name, Child.id)))


def child_for_move(user, child_id: int | None, today: date) -> Child:
    child = visible_child(user, child_id, today)
    if child is None:
        raise DomainError("Choose a child from the list", "child_id")
    return child


def _in_scope(user, home_id_col):
    scope = homes_in_scope(user)
    return true() if scope is None else home_id_col.in_(scope)


def visible_stays(user, child: Child) -> list[Placement]:
    return list(db.session.scalars(
        select(Placement).where(Placement.child_id == child.id,
                                _in_scope(user, Placement.home_id))
        .order_by(Placement.held_from, Placement.id)))


def visible_corrections(user, child: Child) -> list[tuple[PlacementCorrection, Placement]]:
    """Each correction to the child's stays the user may see, with its stay."""
    return list(db.session.execute(
        select(PlacementCorrection, Placement).join(Placement)
        .where(Placement.child_id == child.id, _in_scope(user, Placement.home_id))
        .order_by(PlacementCorrection.corrected_at, PlacementCorrection.id)).tuples())


def current_stays(user, child_ids: list[int], today: date) -> dict[int, Placement]:
    """Each child's stay tonight, where the user may see that home."""
    stays = db.session.scalars(select(Placement).options(
        joinedload(Placement.home), joinedload(Placement.bed)).where(
        Placement.child_id.in_(child_ids), Placement.status == "confirmed",
        Placement.starts_on <= today,
        or_(Placement.ends_on.is_(None), Placement.ends_on > today),
        _in_scope(user, Placement.home_id)))
    return {p.child_id: p for p in stays}
