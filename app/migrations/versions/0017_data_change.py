"""Data changes: the version of an organisation's figures, for the dashboards' cache

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 17:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_change',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_change')),
    )
    op.create_index('ix_data_change_organisation_latest', 'data_change', ['organisation_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_data_change_organisation_latest', table_name='data_change')
    op.drop_table('data_change')
