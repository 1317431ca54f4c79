"""Fiche de liaison: ROME code, schedule, candidacies (deadline, channel), request date; FSE+ operation number

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('fiche', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rome_code', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('work_schedule', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('applications_close_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('application_channel', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('requested_on', sa.Date(), nullable=True))
    # A fiche received before this revision was requested the day it was received (UTC day: close
    # enough for a date the facilitator may correct).
    day = "date(submitted_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(submitted_at AS DATE)"
    op.execute(f"UPDATE fiche SET requested_on = {day} WHERE submitted_at IS NOT NULL")
    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operation_number', sa.String(length=40), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.drop_column('operation_number')
    with op.batch_alter_table('fiche', schema=None) as batch_op:
        batch_op.drop_column('requested_on')
        batch_op.drop_column('application_channel')
        batch_op.drop_column('applications_close_on')
        batch_op.drop_column('work_schedule')
        batch_op.drop_column('rome_code')
