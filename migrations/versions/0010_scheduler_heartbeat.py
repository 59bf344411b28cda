"""The scheduler lease records when its holder last renewed it: the scheduler's heartbeat, which
/readyz and `flask check-config` read. Nullable, so a lease taken by the old code (renewed every
few seconds) simply has no heartbeat until the new scheduler renews it.

Revision ID: 0010_scheduler_heartbeat
Revises: 0009_merge
Create Date: 2026-12-04 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_scheduler_heartbeat"
down_revision = "0009_merge"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scheduler_leases") as batch:
        batch.add_column(sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("scheduler_leases") as batch:
        batch.drop_column("renewed_at")
