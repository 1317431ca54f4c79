"""Names in prose: the article an organisation's or a buyer's name takes (« le PLIE du Val-de-Lys »)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.add_column(sa.Column('name_article', sa.String(length=6), server_default='', nullable=False))
    with op.batch_alter_table('buyer') as batch_op:
        batch_op.add_column(sa.Column('name_article', sa.String(length=6), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('buyer') as batch_op:
        batch_op.drop_column('name_article')
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.drop_column('name_article')
