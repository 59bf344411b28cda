"""A set-password link records when and by whom it was issued (issue 20, F3/F4): the audit row
of the password it sets names the administrator who issued it. The email outbox also carries
account notices ("a set-password link was issued for you"). Links issued before this have no
issuer (NULL), as have links from `flask create-user`.

Revision ID: 0011_set_password_link_issuer
Revises: 0010_scheduler_heartbeat
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_set_password_link_issuer"
down_revision = "0010_scheduler_heartbeat"
branch_labels = None
depends_on = None

OLD_PURPOSES = "purpose IN ('digest', 'immediate')"
NEW_PURPOSES = "purpose IN ('digest', 'immediate', 'account')"


def upgrade():
    with op.batch_alter_table("set_password_tokens") as batch:
        batch.add_column(sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("issued_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_set_password_tokens_issued_by_id_users"), "users",
                                 ["issued_by_id"], ["id"], ondelete="SET NULL")
    _purposes(NEW_PURPOSES)


def downgrade():
    op.execute("DELETE FROM email_outbox WHERE purpose = 'account'")
    _purposes(OLD_PURPOSES)
    with op.batch_alter_table("set_password_tokens") as batch:
        batch.drop_constraint(batch.f("fk_set_password_tokens_issued_by_id_users"),
                              type_="foreignkey")
        batch.drop_column("issued_by_id")
        batch.drop_column("issued_at")


def _purposes(check: str) -> None:
    with op.batch_alter_table("email_outbox") as batch:
        batch.drop_constraint(batch.f("ck_email_outbox_purpose_known"), type_="check")
        batch.create_check_constraint(batch.f("ck_email_outbox_purpose_known"), check)
