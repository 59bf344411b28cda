"""Postcode overrides: centroids the council sets by hand for postcodes the ONS dataset lacks.

The dataset itself is not in the database: it is read from the installed package (see
docs/postcodes.md). The council's local-authority code is a council_settings row.

Revision ID: 0007_postcodes
Revises: 0003_registration
Create Date: 2026-11-22 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_postcodes"
down_revision = "0003_registration"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('postcode_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('la_code', sa.String(length=9), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('latitude BETWEEN 49 AND 61', name=op.f('ck_postcode_overrides_latitude_in_uk')),
    sa.CheckConstraint('longitude BETWEEN -9 AND 2', name=op.f('ck_postcode_overrides_longitude_in_uk')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_postcode_overrides_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postcode_overrides')),
    sa.UniqueConstraint('postcode', name=op.f('uq_postcode_overrides_postcode'))
    )


def downgrade():
    op.drop_table('postcode_overrides')
