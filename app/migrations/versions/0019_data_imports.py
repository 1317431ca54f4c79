"""Data imports: an uploaded file of one kind, its mapping, preview and report, until confirmed

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-09 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('received', 'preview', 'confirmed', 'failed', 'cancelled', name='dataimportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.Column('value_maps', sa.JSON(), nullable=False),
    sa.Column('profile_name', sa.String(length=120), nullable=True),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('sheet_preview', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_data_import_confirmed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_data_import_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_data_import_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_data_import_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_data_import_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_import'))
    )
    with op.batch_alter_table('data_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_import_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_import_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('data_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_import_sha256'))
        batch_op.drop_index(batch_op.f('ix_data_import_organisation_id'))

    op.drop_table('data_import')
