"""Two-factor sign-in (TOTP secret, last accepted step, recovery codes), server-side sign-in
sessions, and failed sign-ins counted per address and per unknown email address.

Written by hand. TOTP secrets are stored encrypted (homes_app/auth/two_factor.py); session ids
and recovery codes only as SHA-256 hashes.

Revision ID: 0004_sessions_two_factor
Revises: 0003_registration
Create Date: 2026-11-22 22:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_sessions_two_factor"
down_revision = "0003_registration"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("totp_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))

    op.create_table("recovery_codes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("code_hash", sa.String(length=64), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes"))
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"], unique=False)

    op.create_table("user_sessions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("token_hash", sa.String(length=64), nullable=False),
    sa.Column("stage", sa.String(length=16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("end_reason", sa.String(length=32), nullable=True),
    sa.Column("user_agent", sa.String(length=120), nullable=True),
    sa.Column("address", sa.String(length=64), nullable=True),
    sa.CheckConstraint("stage IN ('second_factor', 'signed_in')", name=op.f("ck_user_sessions_stage_known")),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash"))
    )
    op.create_index("ix_user_sessions_user_id_ended_at", "user_sessions", ["user_id", "ended_at"], unique=False)

    op.create_table("sign_in_failures",
    sa.Column("key", sa.String(length=80), nullable=False),
    sa.Column("failures", sa.Integer(), nullable=False),
    sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_failures_failures_not_negative")),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_failures"))
    )


def downgrade():
    op.drop_table("sign_in_failures")
    op.drop_index("ix_user_sessions_user_id_ended_at", table_name="user_sessions")
    op.drop_table("user_sessions")
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_confirmed_at")
        batch_op.drop_column("totp_secret")
