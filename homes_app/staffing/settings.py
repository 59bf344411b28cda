"""The council's staffing settings, kept as council settings rows with these defaults."""
from __future__ import annotations

from dataclasses import dataclass, fields

from ..homes import council_settings

PREFIX = "staffing."
DEFAULT_TRAINING = ("Safeguarding", "First aid", "Physical intervention", "Medication",
                    "Fire safety")
SHORT_REST = {"warn": "A warning the manager accepts, recording compensatory rest",
              "block": "A refusal"}


@dataclass
class StaffingSettings:
    dbs_recheck_years: int = 3
    mandatory_training: tuple[str, ...] = DEFAULT_TRAINING
    release_notice_hours: int = 48
    short_rest: str = "warn"  # or "block"
    home_first_hours: int = 24  # how long a home's own part-time staff see an offer first

    def as_strings(self) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "\n".join(value) if isinstance(value, tuple) else str(value)
        return out


def load() -> StaffingSettings:
    """The settings in force: one query."""
    rows = council_settings.read(PREFIX)
    s = StaffingSettings()
    for f in fields(s):
        raw = rows.get(f.name)
        if raw is None:
            continue
        if f.name == "mandatory_training":
            setattr(s, f.name, tuple(line.strip() for line in raw.splitlines() if line.strip()))
        elif f.name == "short_rest":
            s.short_rest = raw if raw in SHORT_REST else "warn"
        else:
            setattr(s, f.name, int(raw))
    return s


def store(s: StaffingSettings) -> None:
    council_settings.write(PREFIX, s.as_strings())
