"""fiches de liaison, positionings, company links, conventions and document templates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('convention_clause_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('paragraphs', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_convention_clause_set_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_convention_clause_set_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_clause_set')),
    sa.UniqueConstraint('organisation_id', 'key', name=op.f('uq_convention_clause_set_organisation_id'))
    )
    with op.batch_alter_table('convention_clause_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_clause_set_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('doc_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_doc_template_file_id_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_doc_template_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_doc_template_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_doc_template')),
    sa.UniqueConstraint('organisation_id', 'kind', 'version', name=op.f('uq_doc_template_organisation_id'))
    )
    with op.batch_alter_table('doc_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_doc_template_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_doc_template_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('convention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('brouillon', 'envoyee', 'signee', 'echue', 'annulee', name='conventionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('party_kind', sa.Enum('acheteur', 'entreprise', 'siae', name='partykind', native_enum=False, length=32), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('siae_id', sa.Integer(), nullable=True),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('party_siret', sa.String(length=20), nullable=False),
    sa.Column('party_address', sa.String(length=300), nullable=False),
    sa.Column('party_signatory_name', sa.String(length=200), nullable=False),
    sa.Column('party_signatory_role', sa.String(length=200), nullable=False),
    sa.Column('facilitator_signatory_name', sa.String(length=200), nullable=False),
    sa.Column('facilitator_signatory_role', sa.String(length=200), nullable=False),
    sa.Column('facilitator_address', sa.String(length=300), nullable=False),
    sa.Column('object', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('facilitator_commitments', sa.JSON(), nullable=True),
    sa.Column('party_commitments', sa.JSON(), nullable=True),
    sa.Column('reporting', sa.JSON(), nullable=True),
    sa.Column('data_protection_contact', sa.String(length=300), nullable=False),
    sa.Column('committee_members', sa.JSON(), nullable=False),
    sa.Column('committee_frequency', sa.String(length=200), nullable=False),
    sa.Column('is_fse_funded', sa.Boolean(), nullable=False),
    sa.Column('fse_operation', sa.String(length=200), nullable=False),
    sa.Column('annexes', sa.JSON(), nullable=False),
    sa.Column('signed_at_place', sa.String(length=120), nullable=False),
    sa.Column('signed_scan_file_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('template_label', sa.String(length=120), nullable=False),
    sa.Column('document_generated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf_note', sa.String(length=500), nullable=False),
    sa.Column('docx_file_id', sa.Integer(), nullable=True),
    sa.Column('pdf_file_id', sa.Integer(), nullable=True),
    sa.Column('template_version_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_convention_buyer_id_buyer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_convention_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_convention_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['docx_file_id'], ['stored_file.id'], name=op.f('fk_convention_docx_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_convention_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pdf_file_id'], ['stored_file.id'], name=op.f('fk_convention_pdf_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['siae_id'], ['siae.id'], name=op.f('fk_convention_siae_id_siae'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signed_scan_file_id'], ['stored_file.id'], name=op.f('fk_convention_signed_scan_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_version_id'], ['doc_template.id'], name=op.f('fk_convention_template_version_id_doc_template'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention'))
    )
    with op.batch_alter_table('convention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('convention_operation',
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_operation_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operation_id'], ['operation.id'], name=op.f('fk_convention_operation_operation_id_operation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('convention_id', 'operation_id', name=op.f('pk_convention_operation'))
    )
    op.create_table('convention_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('brouillon', 'envoyee', 'signee', 'echue', 'annulee', name='conventionstatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('brouillon', 'envoyee', 'signee', 'echue', 'annulee', name='conventionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('by_label', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_convention_status_change_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_status_change_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_convention_status_change_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_status_change'))
    )
    with op.batch_alter_table('convention_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_status_change_convention_id'), ['convention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_convention_status_change_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('convention_tender',
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['convention.id'], name=op.f('fk_convention_tender_convention_id_convention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_convention_tender_tender_id_tender'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('convention_id', 'tender_id', name=op.f('pk_convention_tender'))
    )
    op.create_table('fiche',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('brouillon', 'recue', 'diffusee', 'candidats_positionnes', 'pourvue', 'annulee', name='fichestatus', native_enum=False, length=32), nullable=False),
    sa.Column('is_draft', sa.Boolean(), nullable=False),
    sa.Column('created_via', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('company_siret', sa.String(length=20), nullable=False),
    sa.Column('company_address', sa.String(length=300), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('skills', sa.Text(), nullable=False),
    sa.Column('experience', sa.Text(), nullable=False),
    sa.Column('training', sa.Text(), nullable=False),
    sa.Column('driving_licence', sa.String(length=120), nullable=False),
    sa.Column('habilitation', sa.String(length=300), nullable=False),
    sa.Column('outdoor_work', sa.Boolean(), nullable=False),
    sa.Column('other_requirements', sa.Text(), nullable=False),
    sa.Column('contract_type', sa.Enum('cdi', 'cdd', 'cddi', 'mission_etti', 'mission_interim', 'cdd_usage', 'contrat_chantier', 'professionnalisation', 'apprentissage', name='contracttype', native_enum=False, length=32), nullable=True),
    sa.Column('contract_length', sa.String(length=120), nullable=False),
    sa.Column('weekly_hours', sa.String(length=40), nullable=True),
    sa.Column('gross_monthly_salary', sa.String(length=40), nullable=True),
    sa.Column('workplace', sa.String(length=300), nullable=False),
    sa.Column('tender_reference', sa.String(length=80), nullable=False),
    sa.Column('tender_object', sa.String(length=500), nullable=False),
    sa.Column('lot_label', sa.String(length=300), nullable=False),
    sa.Column('hours_covered', sa.String(length=40), nullable=True),
    sa.Column('modality', sa.Enum('embauche_directe', 'etti', 'ai', 'geiq', 'interim', 'sous_traitance', 'formation', name='modality', native_enum=False, length=32), nullable=True),
    sa.Column('tutor_name', sa.String(length=200), nullable=False),
    sa.Column('tutor_role', sa.String(length=200), nullable=False),
    sa.Column('template_label', sa.String(length=120), nullable=False),
    sa.Column('document_generated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf_note', sa.String(length=500), nullable=False),
    sa.Column('docx_file_id', sa.Integer(), nullable=True),
    sa.Column('pdf_file_id', sa.Integer(), nullable=True),
    sa.Column('template_version_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_fiche_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_fiche_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['docx_file_id'], ['stored_file.id'], name=op.f('fk_fiche_docx_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], name=op.f('fk_fiche_lot_id_lot'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fiche_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pdf_file_id'], ['stored_file.id'], name=op.f('fk_fiche_pdf_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_version_id'], ['doc_template.id'], name=op.f('fk_fiche_template_version_id_doc_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], name=op.f('fk_fiche_tender_id_tender'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiche'))
    )
    with op.batch_alter_table('fiche', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiche_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_tender_id'), ['tender_id'], unique=False)

    op.create_table('fiche_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiche_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_revoked', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_fiche_link_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_fiche_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['fiche_id'], ['fiche.id'], name=op.f('fk_fiche_link_fiche_id_fiche'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fiche_link_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiche_link')),
    sa.UniqueConstraint('nonce', name=op.f('uq_fiche_link_nonce'))
    )
    with op.batch_alter_table('fiche_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiche_link_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_link_fiche_id'), ['fiche_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_link_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('fiche_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiche_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('brouillon', 'recue', 'diffusee', 'candidats_positionnes', 'pourvue', 'annulee', name='fichestatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('brouillon', 'recue', 'diffusee', 'candidats_positionnes', 'pourvue', 'annulee', name='fichestatus', native_enum=False, length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('by_label', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_fiche_status_change_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['fiche_id'], ['fiche.id'], name=op.f('fk_fiche_status_change_fiche_id_fiche'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_fiche_status_change_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiche_status_change'))
    )
    with op.batch_alter_table('fiche_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiche_status_change_fiche_id'), ['fiche_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiche_status_change_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('positioning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiche_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('propose', 'presente', 'retenu', 'non_retenu', 'desiste', name='positioningstatus', native_enum=False, length=32), nullable=False),
    sa.Column('is_override', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fiche_id'], ['fiche.id'], name=op.f('fk_positioning_fiche_id_fiche'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_positioning_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_positioning_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_positioning_proposed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positioning')),
    sa.UniqueConstraint('fiche_id', 'participant_id', name=op.f('uq_positioning_fiche_id'))
    )
    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positioning_fiche_id'), ['fiche_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positioning_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positioning_participant_id'), ['participant_id'], unique=False)

    op.create_table('positioning_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('positioning_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('propose', 'presente', 'retenu', 'non_retenu', 'desiste', name='positioningstatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('propose', 'presente', 'retenu', 'non_retenu', 'desiste', name='positioningstatus', native_enum=False, length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('by_label', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_positioning_change_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_positioning_change_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['positioning_id'], ['positioning.id'], name=op.f('fk_positioning_change_positioning_id_positioning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positioning_change'))
    )
    with op.batch_alter_table('positioning_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positioning_change_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positioning_change_positioning_id'), ['positioning_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('positioning_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positioning_change_positioning_id'))
        batch_op.drop_index(batch_op.f('ix_positioning_change_organisation_id'))

    op.drop_table('positioning_change')
    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positioning_participant_id'))
        batch_op.drop_index(batch_op.f('ix_positioning_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_positioning_fiche_id'))

    op.drop_table('positioning')
    with op.batch_alter_table('fiche_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiche_status_change_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_status_change_fiche_id'))

    op.drop_table('fiche_status_change')
    with op.batch_alter_table('fiche_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiche_link_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_link_fiche_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_link_company_id'))

    op.drop_table('fiche_link')
    with op.batch_alter_table('fiche', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiche_tender_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_fiche_company_id'))

    op.drop_table('fiche')
    op.drop_table('convention_tender')
    with op.batch_alter_table('convention_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_status_change_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_convention_status_change_convention_id'))

    op.drop_table('convention_status_change')
    op.drop_table('convention_operation')
    with op.batch_alter_table('convention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_organisation_id'))

    op.drop_table('convention')
    with op.batch_alter_table('doc_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_doc_template_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_doc_template_kind'))

    op.drop_table('doc_template')
    with op.batch_alter_table('convention_clause_set', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_clause_set_organisation_id'))

    op.drop_table('convention_clause_set')
