"""Hour records: one per placement and import, so a double confirmation cannot count hours twice

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An import writes exactly one record per placement, so any second record of the same pair
    # comes from a concurrent double confirmation (issue 12, item 3): keep the first one.
    op.execute(sa.text(
        "DELETE FROM hour_record WHERE import_id IS NOT NULL AND id NOT IN ("
        " SELECT keep_id FROM (SELECT MIN(id) AS keep_id FROM hour_record"
        " WHERE import_id IS NOT NULL GROUP BY import_id, placement_id) AS kept)"))
    op.execute(sa.text(
        "UPDATE timesheet_import SET total_minutes = COALESCE((SELECT SUM(minutes) FROM hour_record"
        " WHERE hour_record.import_id = timesheet_import.id), 0)"
        " WHERE status = 'confirmed'"))
    with op.batch_alter_table('hour_record', schema=None) as batch_op:
        batch_op.create_index('uq_hour_record_import_placement', ['import_id', 'placement_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('hour_record', schema=None) as batch_op:
        batch_op.drop_index('uq_hour_record_import_placement')
