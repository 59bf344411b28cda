"""Every model, imported so the metadata (and Alembic) sees the whole schema."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import SetPasswordToken, SubmittedForm, User, user_homes  # noqa: F401
from .homes.models import Bed, BedHold, BedOutOfUse, CouncilSetting, Home  # noqa: F401
from .placements.models import Child, Placement, PlacementCorrection  # noqa: F401
from .registration.models import (  # noqa: F401
    ComplianceOccurrence,
    ComplianceRule,
    InspectionOutcome,
    PlanStep,
    Reg40Notification,
    RegistrationPlan,
    StepAttachment,
    StepDependency,
    TemplateDependency,
    TemplateStep,
)
from .staffing.models import (  # noqa: F401
    Absence,
    Induction,
    PatternSlot,
    RotaPattern,
    RotaPublication,
    Shift,
    ShiftAssignment,
    ShiftType,
    StaffingRule,
    StaffMember,
    TrainingRecord,
)
