"""Every model, imported so the metadata (and Alembic) sees the whole schema."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import SetPasswordToken, SubmittedForm, User, user_homes  # noqa: F401
from .homes.models import Bed, BedHold, BedOutOfUse, CouncilSetting, Home  # noqa: F401
from .placements.models import Child, Placement, PlacementCorrection  # noqa: F401
