"""bilan narrative: the last texts written for a bilan's subject and period

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bilan_narrative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('subject_key', sa.String(length=40), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('fse_operation_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('highlights', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('outlook', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_bilan_narrative_buyer_id_buyer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_bilan_narrative_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_bilan_narrative_fse_operation_id_fse_operation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_bilan_narrative_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_bilan_narrative_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bilan_narrative')),
    sa.UniqueConstraint('organisation_id', 'subject_key', 'starts_on', 'ends_on', name=op.f('uq_bilan_narrative_organisation_id'))
    )
    with op.batch_alter_table('bilan_narrative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bilan_narrative_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilan_narrative_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilan_narrative_fse_operation_id'), ['fse_operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bilan_narrative_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    op.drop_table('bilan_narrative')
