"""A form's answers kept across a session that ran out move from the session cookie to the
server (issue 20, F5): kept_form_answers, one row per form posted (from the person's own page)
just as their session ended, found again only by the same person in the same browser, whose
cookie holds the row's random key (only its hash is stored). Nothing to copy: answers kept in
cookies before this are simply not offered again.

Revision ID: 0013_kept_form_answers
Revises: 0012_audit_reads
Create Date: 2026-12-10 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_kept_form_answers"
down_revision = "0012_audit_reads"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_form_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_kept_form_answers_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_form_answers")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_kept_form_answers_key_hash")),
    )
    op.create_index(op.f("ix_kept_form_answers_user_id"), "kept_form_answers", ["user_id"],
                    unique=False)


def downgrade():
    op.drop_index(op.f("ix_kept_form_answers_user_id"), table_name="kept_form_answers")
    op.drop_table("kept_form_answers")
