"""The council's alert settings: which kinds are on, thresholds and lead times. Kept as council
settings rows (prefix "alerts.") over these defaults, and checked when loaded and when saved."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DomainError
from ..homes import council_settings

PREFIX = "alerts."
OFF_KEY = "off."  # under PREFIX: "alerts.off.<kind>"

# Every alert kind, in the order pages list them, with its label.
KINDS = {
    "occupancy_below_target": "Occupancy below target (last 30 days)",
    "home_full": "Home full: no bed for an emergency",
    "all_homes_full": "Every home full",
    "bed_void": "Bed vacant or held for a long time",
    "milestone_due": "Registration milestone due soon",
    "milestone_overdue": "Registration milestone overdue",
    "opening_slipping": "Projected opening date slipping",
    "compliance_due": "Compliance deadline due soon",
    "compliance_overdue": "Compliance deadline overdue",
    "reg40_late": "Reg 40 notification not made within 24 hours",
    "shift_uncovered": "Shift in the next 48 hours uncovered",
    "staffing_below_minimum": "Planned staffing below the minimum",
    "staff_check_due": "Staff DBS, training or qualification due soon",
    "staff_check_overdue": "Staff DBS, training or qualification overdue",
    "relief_hours": "Relief worker near the 48-hour average",
    "records_past_retention": "Records past retention awaiting a decision",
}
# Kinds only administrators act on, so only they see them (directors see every other alert).
ADMINISTRATOR_KINDS = frozenset({"records_past_retention"})

# name: (label for forms and messages, lowest, highest)
LIMITS = {
    "void_days": ("Days a bed may be vacant or held before an alert", 1, 365),
    "milestone_lead_days": ("Days before a registration milestone is due to warn", 0, 180),
    "shift_horizon_hours": ("Hours ahead to look for uncovered shifts", 1, 168),
    "urgent_hours": ("Hours ahead when an uncovered shift is urgent (emailed at once)", 1, 72),
    "staffing_days": ("Days ahead to check staffing against the minimum", 1, 14),
    "staff_lead_days": ("Days before a staff check or qualification is due to warn", 0, 180),
    "relief_warn_hours": ("Average weekly hours at which a relief worker is warned", 1, 48),
}


@dataclass
class AlertSettings:
    void_days: int = 28
    milestone_lead_days: int = 14
    shift_horizon_hours: int = 48
    urgent_hours: int = 12
    staffing_days: int = 2
    staff_lead_days: int = 30
    relief_warn_hours: int = 44
    disabled: frozenset[str] = field(default_factory=frozenset)

    def on(self, kind: str) -> bool:
        return kind not in self.disabled


def check(values: dict[str, int | None], disabled) -> AlertSettings:
    """Settings from raw values, or DomainError naming the field: a number out of range (a
    negative lead time, say) or a kind that does not exist."""
    unknown = sorted(set(disabled) - set(KINDS))
    if unknown:
        raise DomainError(f"Unknown alert kind: {', '.join(unknown)}. Known kinds are "
                          f"{', '.join(KINDS)}.", "disabled")
    s = AlertSettings(disabled=frozenset(disabled))
    for name, (label, low, high) in LIMITS.items():
        value = values.get(name, getattr(s, name))
        if value is None:
            raise DomainError(f"Enter the {label[0].lower()}{label[1:]}", name)
        if not low <= value <= high:
            raise DomainError(f"{label} must be between {low} and {high} (not {value})", name)
        setattr(s, name, value)
    return s


def load() -> AlertSettings:
    """The settings in force (one query). Stored values are checked as a form's are, so a bad
    row edited into the database stops the jobs with a clear message instead of misleading."""
    rows = council_settings.read(PREFIX)
    values: dict[str, int | None] = {}
    for name in LIMITS:
        raw = rows.get(name)
        if raw is not None:
            try:
                values[name] = int(raw)
            except ValueError:
                raise DomainError(f"Alert setting {name} is not a whole number: {raw!r}",
                                  name) from None
    # One row per kind switched off ("alerts.off.<kind>"): the list would outgrow one value.
    disabled = [key[len(OFF_KEY):] for key in rows if key.startswith(OFF_KEY)]
    return check(values, disabled)


def store(s: AlertSettings) -> None:
    values = {name: str(getattr(s, name)) for name in LIMITS}
    values.update({OFF_KEY + kind: "1" for kind in s.disabled})
    council_settings.write(PREFIX, values, replace=True)  # a kind switched back on loses its row
