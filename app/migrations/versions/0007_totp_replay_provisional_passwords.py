"""TOTP replay guard and provisional passwords that expire

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('password_expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('password_expires_at')
        batch.drop_column('totp_last_step')
