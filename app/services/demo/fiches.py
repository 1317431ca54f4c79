"""A few demo fiches de liaison and conventions, so the pages show every status on first run."""

import io
from datetime import date, timedelta
from decimal import Decimal

from pypdf import PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import luhn

from app.access import Scope
from app.domain.liaison.convention import PartyKind
from app.domain.enums import ContractType, Modality, Role
from app.domain.liaison.workflow import ConventionStatus, FicheStatus, PositioningStatus
from app.models import Buyer, Lot, Participant, Siae, Tender, User
from app.services.liaison import conventions, fiche_links, fiches, positionings
from app.services.actors import Actor

JOBS = [
    # job title, modality, contract, weekly hours, monthly gross salary, start in N days
    ("Maçon·ne VRD", Modality.GEIQ, ContractType.PROFESSIONNALISATION, Decimal(35), Decimal("1850.00"), 21),
    ("Agent·e d'entretien des espaces verts", Modality.ETTI, ContractType.MISSION_ETTI, Decimal(35),
     Decimal("1801.80"), 14),
]


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed_demo_fiches(session: Session, organisation_id: int, today: date) -> None:
    """Add two fiches with candidates, one awaiting its company, and two conventions; the caller commits."""
    user = session.scalar(select(User).where(User.organisation_id == organisation_id,
                                             User.role == Role.FACILITATEUR))
    actor = Actor(user.id if user else None, user.full_name if user else "Facilitateur")
    scope = Scope(organisation_id=organisation_id, role=Role.FACILITATEUR, user_id=actor.user_id)
    lots = session.scalars(select(Lot).where(Lot.organisation_id == organisation_id, Lot.company_id.is_not(None))
                           .order_by(Lot.id)).all()
    # The demo company account sees the first fiche: its lot goes first.
    company_id = session.scalar(select(User.company_id).where(User.organisation_id == organisation_id,
                                                              User.role == Role.ENTREPRISE))
    lots.sort(key=lambda lot: lot.company_id != company_id)
    people = session.scalars(select(Participant).where(Participant.organisation_id == organisation_id)
                             .order_by(Participant.id)).all()
    eligible = [p for p in people if positionings.participant_eligibility(p, today, 3).is_eligible]
    for index, (title, modality, contract, weekly, salary, days) in enumerate(JOBS):
        lot = lots[index]
        fiche = fiches.new_fiche(scope, created_by_id=actor.user_id)
        fiches.save_fiche(session, fiche, {
            "company_id": lot.company_id, "lot_id": lot.id, "job_title": title, "posts": 2 - index,
            "start_on": today + timedelta(days=days), "contract_type": contract.value, "contract_length": "6 mois",
            "weekly_hours": weekly, "gross_monthly_salary": salary, "workplace": "Val-de-Lys",
            "modality": modality.value, "contact_phone": "03 20 00 00 00", "company_siret": "",
            "activities": "Travaux sur le chantier avec l'équipe en place", "tutor_name": "Chef d'équipe du site",
        }, actor, today=today, submit=True)
        fiches.change_status(session, fiche, FicheStatus.DIFFUSEE, actor, "Envoyée à France Travail et aux SIAE")
        for person in eligible[index * 2:index * 2 + 2]:
            positioning = positionings.propose_candidate(session, fiche, person.id, actor, today=today)
            positionings.change_positioning(session, positioning, PositioningStatus.PRESENTE, actor)
        if index == 0 and fiche.positionings:
            positionings.change_positioning(session, fiche.positionings[0], PositioningStatus.RETENU, actor)
    # A company that has been sent its link and has not answered yet.
    fiche_links.create_fiche_with_link(session, scope, {"company_id": lots[2].company_id, "lot_id": lots[2].id,
                                                        "days": 14}, actor, today=today)
    _seed_conventions(session, scope, actor, today)


def _seed_conventions(session: Session, scope: Scope, actor: Actor, today: date) -> None:
    org = scope.organisation_id
    buyer = session.scalar(select(Buyer).where(Buyer.organisation_id == org).order_by(Buyer.id))
    siae = session.scalar(select(Siae).where(Siae.organisation_id == org).order_by(Siae.id))
    if not buyer.siret:
        # Collectivities' SIREN start with 2: a believable one, valid for the convention's checks.
        siren = "21590350" + luhn.calc_check_digit("21590350")
        buyer.siret = siren + "0010" + luhn.calc_check_digit(siren + "0010")
    tenders = session.scalars(select(Tender).where(Tender.organisation_id == org, Tender.buyer_id == buyer.id)
                              .order_by(Tender.reference)).all()
    # A convention is only sent with the facilitator's address (validate_convention).
    common = {"facilitator_signatory_name": "Présidence du PLIE", "facilitator_signatory_role": "Président",
              "facilitator_address": "2 place de l'Hôtel de Ville, 59000 Val-de-Lys",
              "object": "La présente convention organise la mise en œuvre de la clause sociale d'insertion.",
              "committee_frequency": "au moins deux fois par an", "data_protection_contact": "dpo@plie.example.fr"}
    signed = conventions.save_convention(session, scope, {
        **common, "party_kind": PartyKind.ACHETEUR.value, "party_id": buyer.id, "reference": f"{today.year}-01",
        "party_signatory_name": "Direction de la commande publique", "party_signatory_role": "Directeur",
        "tender_ids": [t.id for t in tenders[:3]], "starts_on": date(today.year, 1, 1),
        "ends_on": date(today.year + 1, 12, 31)}, actor)
    conventions.change_status(session, signed, ConventionStatus.ENVOYEE, actor, today=today)
    conventions.attach_signed_scan(session, signed, "convention-signee.pdf", _blank_pdf(), actor,
                                   signed_on=date(today.year, 1, 15) if today >= date(today.year, 1, 15) else today,
                                   today=today)
    conventions.save_convention(session, scope, {
        **common, "party_kind": PartyKind.SIAE.value, "party_id": siae.id, "reference": f"{today.year}-02",
        "party_signatory_name": "", "party_signatory_role": "", "tender_ids": [tenders[0].id],
        "starts_on": today, "ends_on": today + timedelta(days=364)}, actor)
