"""FSE+ operations: dates, scope, target catalogue, activity log, partners, participant data, consolidation

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-10 09:00:00
"""

from datetime import date

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fse_operation_buyer',
    sa.Column('fse_operation_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_fse_operation_buyer_buyer_id_buyer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_fse_operation_buyer_fse_operation_id_fse_operation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('fse_operation_id', 'buyer_id', name=op.f('pk_fse_operation_buyer'))
    )
    op.create_table('partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('france_travail', 'mission_locale', 'cap_emploi', 'cip_referent', 'siae', 'other', name='partnerkind', native_enum=False, length=32), nullable=False),
    sa.Column('siae_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_partner_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['siae_id'], ['siae.id'], name=op.f('fk_partner_siae_id_siae'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner'))
    )
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('consolidation_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consolidating_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['user_account.id'], name=op.f('fk_consolidation_agreement_agreed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consolidating_id'], ['organisation.id'], name=op.f('fk_consolidation_agreement_consolidating_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'], name=op.f('fk_consolidation_agreement_partner_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_consolidation_agreement_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consolidation_agreement')),
    sa.UniqueConstraint('consolidating_id', 'partner_id', name=op.f('uq_consolidation_agreement_consolidating_id'))
    )
    with op.batch_alter_table('consolidation_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consolidation_agreement_consolidating_id'), ['consolidating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consolidation_agreement_partner_id'), ['partner_id'], unique=False)

    op.create_table('fse_operation_programme',
    sa.Column('fse_operation_id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_fse_operation_programme_fse_operation_id_fse_operation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operation_id'], ['operation.id'], name=op.f('fk_fse_operation_programme_operation_id_operation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('fse_operation_id', 'operation_id', name=op.f('pk_fse_operation_programme'))
    )
    op.create_table('fse_participant_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fse_operation_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('entry_on', sa.Date(), nullable=True),
    sa.Column('exit_on', sa.Date(), nullable=True),
    sa.Column('labour_status', sa.Enum('long_term_unemployed', 'unemployed', 'inactive', 'employed', name='labourstatus', native_enum=False, length=32), nullable=True),
    sa.Column('education_level', sa.Enum('isced_0_2', 'isced_3_4', 'isced_5_8', name='educationlevel', native_enum=False, length=32), nullable=True),
    sa.Column('is_disabled', sa.Boolean(), nullable=True),
    sa.Column('is_third_country_national', sa.Boolean(), nullable=True),
    sa.Column('has_foreign_background', sa.Boolean(), nullable=True),
    sa.Column('is_minority', sa.Boolean(), nullable=True),
    sa.Column('is_homeless', sa.Boolean(), nullable=True),
    sa.Column('is_rural', sa.Boolean(), nullable=True),
    sa.Column('exit_job_searching', sa.Boolean(), nullable=True),
    sa.Column('exit_in_education', sa.Boolean(), nullable=True),
    sa.Column('exit_qualification', sa.Boolean(), nullable=True),
    sa.Column('exit_employed', sa.Boolean(), nullable=True),
    sa.Column('six_months_on', sa.Date(), nullable=True),
    sa.Column('six_months_employed', sa.Boolean(), nullable=True),
    sa.Column('six_months_improved', sa.Boolean(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_fse_participant_record_fse_operation_id_fse_operation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fse_participant_record_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_fse_participant_record_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_fse_participant_record_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fse_participant_record')),
    sa.UniqueConstraint('fse_operation_id', 'participant_id', name=op.f('uq_fse_participant_record_fse_operation_id'))
    )
    with op.batch_alter_table('fse_participant_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fse_participant_record_fse_operation_id'), ['fse_operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fse_participant_record_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fse_participant_record_participant_id'), ['participant_id'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('contact', 'visit', 'meeting', 'steering_committee', 'clause_commission', 'site_visit', 'employment_follow_up', 'employer_check', 'partnership', 'small_company_support', 'offer_collected', 'offer_diffused', 'posts_transmitted', 'matching', 'preparation', 'job_event', 'interview', name='activitykind', native_enum=False, length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('siae_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('tender_id', sa.Integer(), nullable=True),
    sa.Column('fse_operation_id', sa.Integer(), nullable=True),
    sa.Column('minutes_file_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_activity_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_activity_buyer_id_buyer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_activity_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_activity_fse_operation_id_fse_operation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['minutes_file_id'], ['stored_file.id'], name=op.f('fk_activity_minutes_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_activity_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_activity_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_activity_partner_id_partner'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['siae_id'], ['siae.id'], name=op.f('fk_activity_siae_id_siae'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_activity_tender_id_tender'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_fse_operation_id'), ['fse_operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_siae_id'), ['siae_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_tender_id'), ['tender_id'], unique=False)

    op.create_table('operation_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fse_operation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('signed_sheet', 'contract_document', 'minutes', 'other', name='operationdocumentkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_operation_document_file_id_stored_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fse_operation_id'], ['fse_operation.id'], name=op.f('fk_operation_document_fse_operation_id_fse_operation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_operation_document_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_operation_document_tender_id_tender'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_operation_document_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operation_document'))
    )
    with op.batch_alter_table('operation_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operation_document_fse_operation_id'), ['fse_operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_operation_document_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('fiche_diffusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiche_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('diffused_on', sa.Date(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_fiche_diffusion_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['fiche_id'], ['fiche.id'], name=op.f('fk_fiche_diffusion_fiche_id_fiche'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fiche_diffusion_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_fiche_diffusion_partner_id_partner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiche_diffusion')),
    sa.UniqueConstraint('fiche_id', 'partner_id', name=op.f('uq_fiche_diffusion_fiche_id'))
    )
    with op.batch_alter_table('fiche_diffusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiche_diffusion_fiche_id'), ['fiche_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_diffusion_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_diffusion_partner_id'), ['partner_id'], unique=False)

    # An operation was a calendar year: it now runs from 1 January to 31 December of that year.
    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
    operations = sa.table('fse_operation', sa.column('id', sa.Integer()), sa.column('year', sa.Integer()),
                          sa.column('starts_on', sa.Date()), sa.column('ends_on', sa.Date()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(operations.c.id, operations.c.year)).all():
        connection.execute(operations.update().where(operations.c.id == row.id).values(
            starts_on=date(row.year, 1, 1), ends_on=date(row.year, 12, 31)))
    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.alter_column('starts_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('ends_on', existing_type=sa.Date(), nullable=False)
        batch_op.add_column(sa.Column('priority', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('specific_objective', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('funding_body', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('site_areas', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('durable_rule', sa.Enum('six_months_or_more', 'more_than_six_months', name='durablerule', native_enum=False, length=32), server_default='six_months_or_more', nullable=False))
        batch_op.drop_index(batch_op.f('ix_fse_operation_year'))
        batch_op.create_index(batch_op.f('ix_fse_operation_starts_on'), ['starts_on'], unique=False)
        batch_op.drop_column('year')

    with op.batch_alter_table('fse_target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breakdown', sa.Enum('brsa', 'under_26', 'women', 'qpv', 'rqth', 'senior', 'long_term_unemployed', name='breakdown', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_fse_target_fse_operation_id'), type_='unique')

    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prescriber_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_positioning_prescriber_id'), ['prescriber_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_positioning_prescriber_id_partner'), 'partner', ['prescriber_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headcount', sa.Integer(), nullable=True))

    with op.batch_alter_table('tender', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_city', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('site_epci', sa.String(length=200), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('headcount')

    with op.batch_alter_table('tender', schema=None) as batch_op:
        batch_op.drop_column('site_epci')
        batch_op.drop_column('site_city')

    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_positioning_prescriber_id_partner'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_positioning_prescriber_id'))
        batch_op.drop_column('prescriber_id')

    with op.batch_alter_table('fse_target', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_fse_target_fse_operation_id'), ['fse_operation_id', 'kind'])
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
        batch_op.drop_column('breakdown')

    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.INTEGER(), nullable=True))
    operations = sa.table('fse_operation', sa.column('id', sa.Integer()), sa.column('year', sa.Integer()),
                          sa.column('starts_on', sa.Date()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(operations.c.id, operations.c.starts_on)).all():
        connection.execute(operations.update().where(operations.c.id == row.id).values(year=row.starts_on.year))
    with op.batch_alter_table('fse_operation', schema=None) as batch_op:
        batch_op.alter_column('year', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_fse_operation_starts_on'))
        batch_op.create_index(batch_op.f('ix_fse_operation_year'), ['year'], unique=False)
        batch_op.drop_column('durable_rule')
        batch_op.drop_column('site_areas')
        batch_op.drop_column('funding_body')
        batch_op.drop_column('specific_objective')
        batch_op.drop_column('priority')
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')

    with op.batch_alter_table('fiche_diffusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiche_diffusion_partner_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_diffusion_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_diffusion_fiche_id'))

    op.drop_table('fiche_diffusion')
    with op.batch_alter_table('operation_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operation_document_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_operation_document_fse_operation_id'))

    op.drop_table('operation_document')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_tender_id'))
        batch_op.drop_index(batch_op.f('ix_activity_siae_id'))
        batch_op.drop_index(batch_op.f('ix_activity_partner_id'))
        batch_op.drop_index(batch_op.f('ix_activity_participant_id'))
        batch_op.drop_index(batch_op.f('ix_activity_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_activity_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_activity_fse_operation_id'))
        batch_op.drop_index(batch_op.f('ix_activity_company_id'))
        batch_op.drop_index(batch_op.f('ix_activity_buyer_id'))

    op.drop_table('activity')
    with op.batch_alter_table('fse_participant_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fse_participant_record_participant_id'))
        batch_op.drop_index(batch_op.f('ix_fse_participant_record_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fse_participant_record_fse_operation_id'))

    op.drop_table('fse_participant_record')
    op.drop_table('fse_operation_programme')
    with op.batch_alter_table('consolidation_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consolidation_agreement_partner_id'))
        batch_op.drop_index(batch_op.f('ix_consolidation_agreement_consolidating_id'))

    op.drop_table('consolidation_agreement')
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_organisation_id'))

    op.drop_table('partner')
    op.drop_table('fse_operation_buyer')
