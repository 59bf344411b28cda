"""Every model, imported so the metadata (and Alembic) sees the whole schema."""
from .alerts.models import Alert, NotificationPreference, OutboxEmail  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import (  # noqa: F401
    KeptFormAnswers,
    RecoveryCode,
    SetPasswordToken,
    SignInFailures,
    SubmittedForm,
    User,
    UserSession,
    user_homes,
)
from .homes.models import Bed, BedHold, BedOutOfUse, CouncilSetting, Home  # noqa: F401
from .placements.models import Child, Placement, PlacementCorrection  # noqa: F401
from .postcodes.models import PostcodeOverride  # noqa: F401
from .retention.models import RetentionReview  # noqa: F401
from .scheduler.models import JobRun, SchedulerLease  # noqa: F401
