"""Retention review: one row per record (or month of bulk records) found past retention, and
the administrator's decision on it (docs/retention.md).

Written by hand. The unique (record_type, record_id) pair makes reruns of the review, and two
schedulers by mistake, record each finding once; a kept finding needs its reason.

Revision ID: 0008_retention
Revises: 0003_registration
Create Date: 2026-11-22 23:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_retention"
down_revision = "0003_registration"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("state IN ('awaiting', 'disposed', 'kept')", name=op.f('ck_retention_reviews_state_known')),
    sa.CheckConstraint('record_count >= 0', name=op.f('ck_retention_reviews_count_not_negative')),
    sa.CheckConstraint("state = 'awaiting' OR decided_at IS NOT NULL", name=op.f('ck_retention_reviews_decided_has_time')),
    sa.CheckConstraint("state <> 'kept' OR reason IS NOT NULL", name=op.f('ck_retention_reviews_kept_has_reason')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_retention_reviews_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_reviews')),
    sa.UniqueConstraint('record_type', 'record_id', name=op.f('uq_retention_reviews_record_type_record_id'))
    )
    with op.batch_alter_table('retention_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_retention_reviews_state_due', ['state', 'due_on'], unique=False)


def downgrade():
    op.drop_table('retention_reviews')
