"""Mail: sent mails, mail templates, the organisation's mail settings, the users' opt-out

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-07 05:33:50.198076
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mail_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_mail_template_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_mail_template_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_template')),
    sa.UniqueConstraint('organisation_id', 'kind', name=op.f('uq_mail_template_organisation_id'))
    )
    with op.batch_alter_table('mail_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_template_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('sent_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('dedup_key', sa.String(length=300), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('recipient_label', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('attachment_file_id', sa.Integer(), nullable=True),
    sa.Column('siae_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'retrying', 'sent', 'outbox', 'failed', name='mailstatus', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outbox_name', sa.String(length=120), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_file_id'], ['stored_file.id'], name=op.f('fk_sent_mail_attachment_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_sent_mail_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sent_mail_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['siae_id'], ['siae.id'], name=op.f('fk_sent_mail_siae_id_siae'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_sent_mail_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mail')),
    sa.UniqueConstraint('organisation_id', 'dedup_key', name=op.f('uq_sent_mail_organisation_id'))
    )
    with op.batch_alter_table('sent_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_mail_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_mail_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_mail_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_mail_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_mail_siae_id'), ['siae_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reply_to_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reminder_day', sa.Integer(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('second_reminder_after_days', sa.Integer(), nullable=False, server_default='7'))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_opt_out', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('mail_opt_out')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('second_reminder_after_days')
        batch_op.drop_column('reminder_day')
        batch_op.drop_column('reply_to_email')
        batch_op.drop_column('sender_name')

    with op.batch_alter_table('sent_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_mail_siae_id'))
        batch_op.drop_index(batch_op.f('ix_sent_mail_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sent_mail_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_sent_mail_kind'))
        batch_op.drop_index(batch_op.f('ix_sent_mail_company_id'))

    op.drop_table('sent_mail')
    with op.batch_alter_table('mail_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_template_organisation_id'))

    op.drop_table('mail_template')
