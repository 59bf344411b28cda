"""Join the four revisions written side by side (sessions and two-factor, alerts and the
scheduler, postcode overrides, retention reviews) into one head, so `flask db upgrade` has a
single target. No schema change of its own.

Revision ID: 0009_merge
Revises: 0004_sessions_two_factor, 0005_alerts, 0007_postcodes, 0008_retention
Create Date: 2026-11-22 23:10:00

"""

# revision identifiers, used by Alembic.
revision = "0009_merge"
down_revision = ("0004_sessions_two_factor", "0005_alerts", "0007_postcodes", "0008_retention")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
