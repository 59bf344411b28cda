"""Reads of children's data are audited (issue 20, F2), and each audit event names the children
it is about in audit_event_children: the child whose record or stay it changed, or every child a
page, list or export showed (one event, one row per child). Its key leads with the child, so
"who has seen this child's record" is one index range on PostgreSQL and SQLite alike, where ids
kept in the events' JSON would need a scan. Append-only, with the same guard as audit_events.

Existing events are linked too: those whose subject is a child's record, or one of their stays.

Revision ID: 0012_audit_reads
Revises: 0011_set_password_link_issuer
Create Date: 2026-12-10 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_audit_reads"
down_revision = "0011_set_password_link_issuer"
branch_labels = None
depends_on = None

BACKFILL = """
    INSERT INTO audit_event_children (child_id, audit_event_id)
    SELECT subject_id, id FROM audit_events
    WHERE subject_type = 'children' AND subject_id IS NOT NULL
    UNION
    SELECT p.child_id, e.id FROM audit_events e JOIN placements p ON p.id = e.subject_id
    WHERE e.subject_type = 'placements'"""


def upgrade():
    op.create_table(
        "audit_event_children",
        sa.Column("child_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("audit_event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(["audit_event_id"], ["audit_events.id"],
                                name=op.f("fk_audit_event_children_audit_event_id_audit_events")),
        sa.PrimaryKeyConstraint("child_id", "audit_event_id", name=op.f("pk_audit_event_children")),
    )
    op.create_index(op.f("ix_audit_event_children_audit_event_id"), "audit_event_children",
                    ["audit_event_id"])
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_event_children_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit_event_children is append-only'; END $$
            LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER audit_event_children_append_only
            BEFORE UPDATE OR DELETE ON audit_event_children
            FOR EACH ROW EXECUTE FUNCTION audit_event_children_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_event_children_no_{event.lower()} BEFORE {event} "
                       "ON audit_event_children BEGIN SELECT RAISE(ABORT, "
                       "'audit_event_children is append-only'); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_children_append_only ON audit_event_children")
        op.execute("DROP FUNCTION audit_event_children_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_event_children_no_{event}")
    op.drop_index(op.f("ix_audit_event_children_audit_event_id"),
                  table_name="audit_event_children")
    op.drop_table("audit_event_children")
