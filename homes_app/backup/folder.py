"""The backup folder (BACKUP_DIR): a new copy, verified by a restore, then the rotation.

A copy is written under a working name and given its copy's name only once it has verified,
so a half-written or broken file is never counted as a good copy by a later rotation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from ..errors import DomainError
from . import rotation
from .services import counted_backup
from .verify import NotVerified, Verified, verify

WORKING = ".partial"
FAILED = ".failed"


@dataclass(frozen=True)
class Outcome:
    written: Path
    verified: Verified
    deleted: list[Path]
    kept: int


def back_up_into(engine: Engine, folder: Path, now: datetime,
                 keep_daily: int, keep_weekly: int) -> Outcome:
    """Write a copy of the database into `folder`, verify it, then delete the older copies
    the rotation no longer keeps. A copy that does not verify is set aside as `.failed`,
    nothing older is deleted, and DomainError says why."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {path.name for path in folder.iterdir()}
    extension = rotation.extension_for(engine.dialect.name)
    made = rotation.new_copy(now, extension, names)
    final = folder / made.name
    working = final.with_name(final.name + WORKING)
    try:
        verified = verify(engine, working, counted_backup(engine, working))
    except DomainError as error:
        raise _set_aside(working, final.with_name(final.name + FAILED), error) from None
    working.rename(final)
    existing = [copy for copy in map(rotation.parse, names)
                if copy is not None and copy.extension == extension]
    plan = rotation.rotate(existing, keep_daily, keep_weekly, just_made=made)
    deleted = [folder / copy.name for copy in plan.delete]
    for path in deleted:
        path.unlink(missing_ok=True)
    return Outcome(final, verified, deleted, kept=len(plan.keep))


def _set_aside(working: Path, failed: Path, error: DomainError) -> DomainError:
    """Keep a broken copy for whoever looks into it, under a name no rotation reads."""
    where = "no file was written"
    if working.exists():
        working.rename(failed)
        where = f"it is set aside as {failed}"
    what = "did not verify" if isinstance(error, NotVerified) else "failed"
    return DomainError(f"The backup {what} ({error.message}); {where}. "
                       "No older copy was deleted.")
