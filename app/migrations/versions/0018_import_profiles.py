"""Import profiles: named column mappings and value maps for spreadsheet data imports

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('signature', sa.String(length=32), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('value_maps', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uses_count', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_import_profile_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_import_profile_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_profile')),
    sa.UniqueConstraint('organisation_id', 'kind', 'name', name=op.f('uq_import_profile_organisation_id'))
    )
    with op.batch_alter_table('import_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_profile_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_profile_signature'), ['signature'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_profile_signature'))
        batch_op.drop_index(batch_op.f('ix_import_profile_organisation_id'))

    op.drop_table('import_profile')
