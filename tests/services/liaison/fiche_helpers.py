"""Builders shared by the fiche, convention and template tests (organisation A of tests/world.py)."""

import io
from datetime import date, timedelta
from decimal import Decimal

from docx import Document
from pypdf import PdfWriter

from app.access import Scope
from app.domain.enums import ContractType, Criterion, Modality, Role
from app.domain.liaison.workflow import FicheStatus
from app.models import Participant, ParticipantCriterion
from app.services.actors import Actor
from app.services.liaison.fiches import change_status, new_fiche, save_fiche

FACILITATOR = Actor(None, "Camille Facilitatrice")
SIRET = "73282932000074"


def staff_scope(world, org: str = "a") -> Scope:
    rows = getattr(world, org)
    return Scope(organisation_id=rows.organisation_id, role=Role.FACILITATEUR)


def complete_data(world, today: date, **overrides) -> dict:
    """Return the form data of a fiche that may be submitted."""
    data = {
        "company_id": world.a.ids["companies"]["own"], "tender_id": world.a.ids["tenders"]["own"],
        "lot_id": world.a.ids["lots"]["own"],
        "company_name": "Bâtir & Rénover", "company_siret": "732 829 320 00074",
        "company_address": "12 rue des Docks, 59140 Dunkerque", "contact_name": "Sophie Lefebvre",
        "contact_phone": "0612345678", "contact_email": "s.lefebvre@batir.example.fr",
        "job_title": "Maçon·ne VRD", "posts": 2, "start_on": today + timedelta(days=20),
        "activities": "Coffrage\nFerraillage", "skills": "Lecture de plans", "experience": "Débutant accepté",
        "training": "", "driving_licence": "Permis B", "habilitation": "", "outdoor_work": True,
        "other_requirements": "", "contract_type": ContractType.CDD.value, "contract_length": "6 mois",
        "weekly_hours": Decimal(35), "gross_monthly_salary": Decimal("1850.00"),
        "workplace": "Chantier Gambetta, Dunkerque", "hours_covered": Decimal(400),
        "modality": Modality.GEIQ.value, "tutor_name": "Karim Benali", "tutor_role": "Chef d'équipe",
    }
    data.update(overrides)
    return data


def received_fiche(session, world, today: date, status: FicheStatus = FicheStatus.RECUE, **overrides):
    """Create a submitted fiche of organisation A and move it to ``status``."""
    fiche = new_fiche(staff_scope(world))
    save_fiche(session, fiche, complete_data(world, today, **overrides), FACILITATOR, today=today, submit=True)
    path = [FicheStatus.DIFFUSEE, FicheStatus.CANDIDATS_POSITIONNES, FicheStatus.POURVUE]
    for step in path[:path.index(status) + 1] if status in path else []:
        change_status(session, fiche, step, FACILITATOR)
    return fiche


def add_participant(session, world, code: str, proofs: dict[Criterion, date | None]) -> Participant:
    """Add a participant of organisation A with dated proofs."""
    own = {"organisation_id": world.a.organisation_id}
    person = Participant(**own, code=code, last_name=f"Nom-{code}", first_name="Alex", birth_on=date(1990, 1, 2))
    for criterion, proof_on in proofs.items():
        person.criteria.append(ParticipantCriterion(**own, criterion=criterion, proof_on=proof_on))
    session.add(person)
    session.flush()
    return person


def docx_with(*paragraphs: str) -> bytes:
    """Return a DOCX whose body holds ``paragraphs`` (one run each)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """Return a valid one-page PDF, as a scanner would produce."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
