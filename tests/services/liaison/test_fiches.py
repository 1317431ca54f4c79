"""Fiches de liaison: drafts, submission checks in French, status history, documents, open needs."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain.documents.rendering import docx_text
from app.domain.liaison.workflow import FicheStatus, TransitionError
from app.models import Fiche, FicheStatusChange, StoredFile
from app.pdf import pdf_available
from app.services.liaison import fiches as svc
from app.services.referential import ServiceError
from tests.services.liaison.fiche_helpers import FACILITATOR, complete_data, received_fiche, staff_scope

TODAY = date(2026, 11, 22)


def test_save_fiche_draft_incomplete_is_kept_with_its_problems(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    problems = svc.save_fiche(session, fiche, {"job_title": "Peintre"}, FACILITATOR, today=TODAY)
    assert fiche.id is not None and fiche.is_draft and fiche.status is FicheStatus.BROUILLON
    assert "Indiquez la raison sociale." in [problem.message for problem in problems]
    [change] = fiche.status_changes
    assert (change.from_status, change.to_status, change.by_label) == (None, FicheStatus.BROUILLON,
                                                                       "Camille Facilitatrice")


def test_save_fiche_copies_tender_lot_and_company(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    svc.save_fiche(session, fiche, {"company_id": world.a.ids["companies"]["own"],
                                    "lot_id": world.a.ids["lots"]["own"]}, FACILITATOR, today=TODAY)
    assert fiche.tender_id == world.a.ids["tenders"]["own"]
    assert (fiche.tender_reference, fiche.lot_label) == ("REF ORG-A", "1 – Lot ORG-A")
    assert fiche.company_name == "Entreprise ORG-A" and fiche.hours_covered == 500


@pytest.mark.parametrize(("field", "value", "message"), [
    ("company_siret", "73282932000075", "Ce SIRET n'existe pas : sa clé de contrôle est fausse"),
    ("company_siret", "7328293200", "Le SIRET doit comporter 14 chiffres."),
    ("contact_phone", "06 12 34", "Numéro de téléphone invalide : « 06 12 34 »."),
    ("contact_email", "sophie@", "Adresse électronique invalide : « sophie@ »."),
    ("start_on", TODAY - timedelta(days=1), "La date de démarrage (21/11/2026) est déjà passée."),
    ("weekly_hours", Decimal(50), "dépassent le maximum légal de 48\u00a0heures."),
    ("job_title", "", "Indiquez l'intitulé du poste."),
])
def test_submit_fiche_refused_with_french_message_and_nothing_stored(session, world, field, value, message):
    before = session.scalar(select(func.count(Fiche.id)))
    fiche = svc.new_fiche(staff_scope(world))
    with pytest.raises(svc.FicheInvalid) as caught:
        svc.save_fiche(session, fiche, complete_data(world, TODAY, **{field: value}), FACILITATOR, today=TODAY,
                       submit=True)
    assert any(problem.field == field and message in problem.message for problem in caught.value.problems)
    assert session.scalar(select(func.count(Fiche.id))) == before


def test_submit_fiche_low_salary_flagged_but_accepted(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    problems = svc.save_fiche(session, fiche, complete_data(world, TODAY, gross_monthly_salary=Decimal(1200)),
                              FACILITATOR, today=TODAY, submit=True)
    assert fiche.status is FicheStatus.RECUE and not fiche.is_draft and fiche.submitted_at is not None
    [warning] = [problem for problem in problems if problem.severity == "warning"]
    assert warning.field == "gross_monthly_salary" and "inférieur au SMIC" in warning.message
    assert "1\u202f200,00\u00a0€" in warning.message


def test_submit_fiche_normalises_siret_and_keeps_french_decimal(session, world):
    fiche = received_fiche(session, world, TODAY, weekly_hours=Decimal("37.5"))
    session.expire_all()
    fiche = session.get(Fiche, fiche.id)
    assert fiche.company_siret == "73282932000074" and fiche.weekly_hours == Decimal("37.5")


def test_fiche_status_path_is_dated_and_signed(session, world):
    fiche = received_fiche(session, world, TODAY, FicheStatus.DIFFUSEE)
    with pytest.raises(TransitionError, match="Passage impossible de « Diffusée » à « Pourvue »"):
        svc.change_status(session, fiche, FicheStatus.POURVUE, FACILITATOR)
    svc.change_status(session, fiche, FicheStatus.ANNULEE, FACILITATOR, "Chantier reporté")
    with pytest.raises(TransitionError, match="Une fiche annulée ne peut plus changer de statut."):
        svc.change_status(session, fiche, FicheStatus.DIFFUSEE, FACILITATOR)
    steps = [(change.from_status, change.to_status) for change in fiche.status_changes]
    assert steps == [(None, FicheStatus.BROUILLON), (FicheStatus.BROUILLON, FicheStatus.RECUE),
                     (FicheStatus.RECUE, FicheStatus.DIFFUSEE), (FicheStatus.DIFFUSEE, FicheStatus.ANNULEE)]
    assert all(change.changed_at is not None and change.by_label == "Camille Facilitatrice"
               for change in fiche.status_changes)
    assert fiche.status_changes[-1].note == "Chantier reporté"
    assert session.scalar(select(func.count(FicheStatusChange.id)).where(FicheStatusChange.fiche_id == fiche.id)) == 4


def test_change_status_of_a_draft_is_refused(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    svc.save_fiche(session, fiche, {"job_title": "Peintre"}, FACILITATOR, today=TODAY)
    with pytest.raises(ServiceError, match="brouillon"):
        svc.change_status(session, fiche, FicheStatus.RECUE, FACILITATOR)


def test_editing_a_received_fiche_keeps_its_past_start_date_valid(session, world):
    fiche = received_fiche(session, world, TODAY)
    later = TODAY + timedelta(days=60)  # the start date has passed since the fiche was received
    svc.save_fiche(session, fiche, {"job_title": "Maçon·ne VRD confirmé·e"}, FACILITATOR, today=later)
    assert fiche.job_title == "Maçon·ne VRD confirmé·e"


def test_fiche_with_unknown_lot_is_refused(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    with pytest.raises(ServiceError, match="Ce lot n'appartient pas au marché choisi."):
        svc.save_fiche(session, fiche, {"tender_id": world.a.ids["tenders"]["own"],
                                        "lot_id": world.a.ids["lots"]["other"]}, FACILITATOR, today=TODAY)


def test_generate_fiche_docx_french_formatting(session, world):
    fiche = received_fiche(session, world, TODAY, start_on=date(2026, 12, 3))
    svc.generate_documents(session, fiche, today=TODAY, with_pdf=False)
    stored = session.get(StoredFile, fiche.docx_file_id)
    assert (stored.owner_kind, stored.owner_id, stored.name) == ("fiche", fiche.id, f"fiche-de-liaison-{fiche.id}.docx")
    text = docx_text(stored.data)
    for expected in ("Bâtir & Rénover", "732 829 320 00074", "06 12 34 56 78", "03/12/2026", "Maçon·ne VRD",
                     "35\u00a0heures", "1\u202f850,00\u00a0€", "400\u00a0heures", "Mise à disposition par un GEIQ",
                     "PLIE A", "22 novembre 2026", "Permis B", "Aucune"):
        assert expected in text, expected
    assert fiche.template_version_id is None and fiche.template_label == "modèle par défaut"
    assert fiche.pdf_file_id is None


def test_generate_fiche_again_replaces_previous_files(session, world):
    fiche = received_fiche(session, world, TODAY)
    svc.generate_documents(session, fiche, today=TODAY, with_pdf=False)
    first = fiche.docx_file_id
    svc.generate_documents(session, fiche, today=TODAY, with_pdf=False)
    assert fiche.docx_file_id != first and session.get(StoredFile, first) is None


@pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent")
def test_generate_fiche_pdf_with_libreoffice(session, world):
    from pypdf import PdfReader

    fiche = received_fiche(session, world, TODAY)
    svc.generate_documents(session, fiche, today=TODAY)
    pdf = session.get(StoredFile, fiche.pdf_file_id)
    assert pdf.data.startswith(b"%PDF") and pdf.content_type == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Maçon·ne VRD" in text and fiche.pdf_note == ""


def test_open_needs_xlsx_lists_open_fiches_only(session, world):
    received_fiche(session, world, TODAY, job_title="Peintre")
    received_fiche(session, world, TODAY, FicheStatus.DIFFUSEE, job_title="Plaquiste", posts=3)
    done = received_fiche(session, world, TODAY, FicheStatus.DIFFUSEE, job_title="Couvreur")
    svc.change_status(session, done, FicheStatus.ANNULEE, FACILITATOR)
    draft = svc.new_fiche(staff_scope(world))
    svc.save_fiche(session, draft, {"job_title": "Brouillon"}, FACILITATOR, today=TODAY)
    data = svc.open_needs_xlsx(session, organisation_name="PLIE A", facilitator_contact="Camille — c@plie.fr",
                               today=TODAY)
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Peintre" in values and "Plaquiste" in values
    assert "Couvreur" not in values and "Brouillon" not in values
    assert "Camille — c@plie.fr" in values


def test_generate_fiche_docx_refuses_missing_mandatory_fields_and_names_them(session, world):
    fiche = received_fiche(session, world, TODAY)
    fiche.workplace, fiche.contact_phone, fiche.contact_email = "", "", ""
    with pytest.raises(ServiceError) as caught:
        svc.generate_documents(session, fiche, today=TODAY, with_pdf=False)
    assert str(caught.value) == ("La fiche de liaison ne peut pas être produite : indiquez le lieu de travail, "
                                 "un téléphone ou un courriel de contact.")
    assert fiche.docx_file_id is None


def test_submit_dates_the_request_on_the_submission_day_unless_given(session, world):
    fiche = svc.new_fiche(staff_scope(world))
    svc.save_fiche(session, fiche, complete_data(world, TODAY), FACILITATOR, today=TODAY)
    assert fiche.requested_on is None  # a draft is not a request yet
    svc.save_fiche(session, fiche, {}, FACILITATOR, today=TODAY + timedelta(days=2), submit=True)
    assert fiche.requested_on == TODAY + timedelta(days=2)
    given = received_fiche(session, world, TODAY, requested_on=date(2026, 11, 2))
    assert given.requested_on == date(2026, 11, 2)


def test_company_link_cannot_set_the_request_date():
    assert "requested_on" not in svc.COMPANY_FIELDS and "hours_covered" not in svc.COMPANY_FIELDS
    assert {"rome_code", "work_schedule", "applications_close_on", "application_channel"} <= set(svc.COMPANY_FIELDS)


def test_save_fiche_normalises_the_rome_code_and_refuses_a_bad_one_on_submission(session, world):
    fiche = received_fiche(session, world, TODAY, rome_code=" f1703 ")
    assert fiche.rome_code == "F1703"
    with pytest.raises(svc.FicheInvalid) as caught:
        received_fiche(session, world, TODAY, rome_code="maçon")
    assert [problem.field for problem in caught.value.problems] == ["rome_code"]


def test_hours_estimate_of_a_stored_fiche(session, world):
    fiche = received_fiche(session, world, TODAY)  # 2 posts, 35 h, « 6 mois »
    assert svc.hours_estimate(fiche) == Decimal(1820)
    fiche.contract_length = "Durée du chantier"
    assert svc.hours_estimate(fiche) is None
