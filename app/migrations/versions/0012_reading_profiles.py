"""reading profiles: a structure's column mapping for files the automatic reading cannot place

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-07 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reading_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('siae_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('signature', sa.String(length=32), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uses_count', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reading_profile_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reading_profile_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_reading_profile_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['siae_id'], ['siae.id'], name=op.f('fk_reading_profile_siae_id_siae'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_profile')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_reading_profile_organisation_id'))
    )
    with op.batch_alter_table('reading_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_profile_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_profile_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_profile_siae_id'), ['siae_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_profile_signature'), ['signature'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reading_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_profile_signature'))
        batch_op.drop_index(batch_op.f('ix_reading_profile_siae_id'))
        batch_op.drop_index(batch_op.f('ix_reading_profile_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_reading_profile_company_id'))

    op.drop_table('reading_profile')
