"""One set of figures: counted hour records, accord-cadre maximum, conditional lots, globalisation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hour_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_counted', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('count_note', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_hour_record_accepted_by_id_user_account'), 'user_account',
                                    ['accepted_by_id'], ['id'], ondelete='SET NULL')
        # Hours outside a placement's dates are a second record of the same import and placement.
        batch_op.add_column(sa.Column('outside_dates', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index('uq_hour_record_import_placement')
        batch_op.create_index('uq_hour_record_import_placement', ['import_id', 'placement_id', 'outside_dates'],
                              unique=True)
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours_max', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_conditional', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('tender', schema=None) as batch_op:
        batch_op.add_column(sa.Column('globalisation_allowed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('tender', schema=None) as batch_op:
        batch_op.drop_column('globalisation_allowed')
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_column('is_conditional')
        batch_op.drop_column('hours_max')
    with op.batch_alter_table('hour_record', schema=None) as batch_op:
        batch_op.drop_index('uq_hour_record_import_placement')
        batch_op.create_index('uq_hour_record_import_placement', ['import_id', 'placement_id'], unique=True)
        batch_op.drop_column('outside_dates')
        batch_op.drop_constraint(batch_op.f('fk_hour_record_accepted_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('accepted_by_id')
        batch_op.drop_column('count_note')
        batch_op.drop_column('is_counted')
