"""The council's report settings, kept as council settings rows: the external weekly price a
place in an external children's home costs, and the local placement targets."""
from __future__ import annotations

from dataclasses import dataclass, fields

from ..audit.services import record
from ..errors import DomainError
from ..homes import council_settings

PREFIX = "reports."


@dataclass
class ReportSettings:
    # Cambridgeshire's average external residential cost in 2022/23 (DOMAIN.md).
    external_weekly_price_pence: int = 576900
    in_area_target_pct: int = 65
    within_20_miles_target_pct: int = 75


def load() -> ReportSettings:
    """The settings in force: one query."""
    rows = council_settings.read(PREFIX)
    s = ReportSettings()
    for f in fields(s):
        raw = rows.get(f.name)
        if raw is not None and raw.isdigit():
            setattr(s, f.name, int(raw))
    return s


def store(new: ReportSettings, *, actor) -> None:
    """Save the settings, checking each is in range; audited with the old and new values."""
    if not 0 < new.external_weekly_price_pence <= 10_000_000:
        raise DomainError("The external weekly price must be between £0.01 and £100,000",
                          "external_weekly_price")
    for name in ("in_area_target_pct", "within_20_miles_target_pct"):
        if not 1 <= getattr(new, name) <= 100:
            raise DomainError("A target must be between 1% and 100%", name)
    old = load()
    council_settings.write(PREFIX, {f.name: str(getattr(new, f.name)) for f in fields(new)})
    record(actor, "settings.update", council_settings.SettingsSubject(), before=vars(old),
           after=vars(new))
