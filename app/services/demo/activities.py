"""Demo activity log and partners: the directory a PLIE works with, a year of contacts, visits,
comités and mises en relation, the demo fiches sent to partners and who sent their candidates.

Called at the end of seed_demo, after the fiches and the FSE+ operation exist; the caller commits.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.enums import Role
from app.domain.liaison.workflow import FicheStatus
from app.domain.reports.activities import ActivityKind as K
from app.domain.reports.activities import PartnerKind
from app.models import Buyer, Company, Fiche, FseOperation, Participant, Partner, Siae, Tender, User
from app.services.actors import Actor
from app.services.demo.fiches import _blank_pdf
from app.services.liaison import partners as directory
from app.services.reports.activity_log import save_activity

PARTNERS = [
    # name, kind, contact, city
    ("France Travail Val-de-Lys", PartnerKind.FRANCE_TRAVAIL, "Conseillère entreprises", "Val-de-Lys"),
    ("Mission locale du Val-de-Lys", PartnerKind.MISSION_LOCALE, "Référent emploi", "Val-de-Lys"),
    ("Cap emploi Nord", PartnerKind.CAP_EMPLOI, "Chargé de relations entreprises", "Lille"),
    ("CIP référente du PLIE — antenne des Prés-du-Hem", PartnerKind.CIP_REFERENT, "Conseillère en insertion",
     "Val-de-Lys"),
]
# Company headcounts: two TPE, the others larger (the TPE target counts fewer than 10 employees).
HEADCOUNTS = (7, 45, 4, 120, 18, 260)
# (kind, title, days ago, quantity, links: c=company, b=buyer, s=siae, t=tender, p=participant, f=partner, minutes)
ENTRIES = [
    (K.STEERING_COMMITTEE, "Comité de pilotage annuel des clauses", 340, 1, "b", True),
    (K.CONTACT, "Présentation de la clause au nouveau titulaire", 330, 1, "c", False),
    (K.VISIT, "Visite de l'entreprise et des postes proposés", 320, 1, "c", False),
    (K.SITE_VISIT, "Visite de chantier — lot gros œuvre", 305, 1, "ct", True),
    (K.OFFER_COLLECTED, "Offres recueillies lors de la visite", 300, 3, "c", False),
    (K.POSTS_TRANSMITTED, "Postes transmis à France Travail", 298, 3, "cf", False),
    (K.MATCHING, "Mises en relation sur les postes de manœuvre", 290, 4, "c", False),
    (K.CLAUSE_COMMISSION, "Commission clauses du donneur d'ordre", 280, 1, "b", True),
    (K.CONTACT, "Relance sur les heures du trimestre", 270, 1, "c", False),
    (K.SMALL_COMPANY_SUPPORT, "Aide au recrutement d'une TPE (fiche de poste)", 260, 1, "c", False),
    (K.JOB_EVENT, "Forum emploi BTP de l'agglomération", 250, 1, "f", False),
    (K.INTERVIEW, "Entretiens de recrutement au forum", 250, 6, "c", False),
    (K.EMPLOYER_CHECK, "Contrôle des relevés d'heures de la SIAE", 240, 1, "s", True),
    (K.PREPARATION, "Préparation à la prise de poste", 232, 2, "p", False),
    (K.MEETING, "Réunion de lancement du marché", 220, 1, "bt", True),
    (K.VISIT, "Visite de l'atelier de l'entreprise", 205, 1, "c", False),
    (K.OFFER_DIFFUSED, "Offres diffusées aux partenaires", 200, 2, "f", False),
    (K.EMPLOYMENT_FOLLOW_UP, "Point à un mois avec le tuteur", 195, 1, "cp", False),
    (K.PARTNERSHIP, "Signature de la charte entreprise inclusive", 185, 1, "c", False),
    (K.SITE_VISIT, "Visite de chantier — voirie et réseaux", 170, 1, "ct", True),
    (K.CONTACT, "Appel de la direction des travaux", 160, 1, "b", False),
    (K.MATCHING, "Mises en relation — agents d'entretien", 150, 3, "cf", False),
    (K.INTERVIEW, "Entretiens d'embauche en agence", 145, 2, "c", False),
    (K.EMPLOYER_CHECK, "Contrôle de l'exécution de la clause", 135, 1, "ct", True),
    (K.VISIT, "Visite d'entreprise avec la Mission locale", 120, 1, "cf", False),
    (K.POSTS_TRANSMITTED, "Postes transmis à la Mission locale", 110, 2, "cf", False),
    (K.SMALL_COMPANY_SUPPORT, "Accompagnement d'une TPE au recrutement", 100, 1, "c", False),
    (K.STEERING_COMMITTEE, "Comité de suivi semestriel", 90, 1, "b", True),
    (K.CONTACT, "Présentation de la clause à un sous-traitant", 80, 1, "c", False),
    (K.OFFER_COLLECTED, "Offre recueillie par téléphone", 70, 1, "c", False),
    (K.PREPARATION, "Préparation d'entretien (simulation)", 62, 3, "p", False),
    (K.SITE_VISIT, "Visite de chantier — second œuvre", 55, 1, "ct", False),
    (K.JOB_EVENT, "Job dating des métiers de la propreté", 45, 1, "f", False),
    (K.INTERVIEW, "Entretiens au job dating", 45, 5, "c", False),
    (K.MEETING, "Réunion de chantier avec le maître d'œuvre", 35, 1, "bt", False),
    (K.VISIT, "Visite du nouveau titulaire", 28, 1, "c", False),
    (K.EMPLOYMENT_FOLLOW_UP, "Point à trois mois avec l'employeur", 20, 1, "cp", False),
    (K.MATCHING, "Mises en relation sur le lot espaces verts", 12, 2, "c", False),
    (K.CONTACT, "Échange sur les besoins de fin d'année", 6, 1, "c", False),
    (K.CLAUSE_COMMISSION, "Commission clauses — bilan de l'année", 3, 1, "b", False),
]


def seed_activity_demo(session: Session, organisation_id: int, today: date) -> None:
    """Add the partners, a year of activity log and the demo fiches' recipients and prescribers."""
    rng = random.Random(14)
    own = {"organisation_id": organisation_id}
    scope = Scope(organisation_id=organisation_id, role=Role.FACILITATEUR)
    user = session.scalar(select(User).where(User.organisation_id == organisation_id,
                                             User.role == Role.FACILITATEUR))
    actor = Actor(user.id if user else None, user.full_name if user and user.full_name else "Facilitateur")
    siae = session.scalar(select(Siae).where(Siae.organisation_id == organisation_id).order_by(Siae.id))
    partners = [Partner(**own, name=name, kind=kind, contact_name=contact, city=city,
                        email=f"contact-{index}@partenaire.example.fr") for index, (name, kind, contact, city)
                in enumerate(PARTNERS, start=1)]
    partners.append(Partner(**own, name=siae.name, kind=PartnerKind.SIAE, siae_id=siae.id, city=siae.city))
    session.add_all(partners)
    companies = session.scalars(select(Company).where(Company.organisation_id == organisation_id)
                                .order_by(Company.id)).all()
    for company, headcount in zip(companies, HEADCOUNTS):
        company.headcount = headcount
    session.flush()
    buyers = session.scalars(select(Buyer.id).where(Buyer.organisation_id == organisation_id)).all()
    tenders = session.scalars(select(Tender.id).where(Tender.organisation_id == organisation_id)).all()
    people = session.scalars(select(Participant.id).where(Participant.organisation_id == organisation_id)).all()
    siaes = session.scalars(select(Siae.id).where(Siae.organisation_id == organisation_id)).all()
    operation = session.scalar(select(FseOperation.id).where(FseOperation.organisation_id == organisation_id))
    for kind, title, days, quantity, links, minutes in ENTRIES:
        on = today - timedelta(days=days)
        data = {"kind": kind.value, "occurred_on": on, "title": title, "quantity": quantity, "note": "",
                "company_id": rng.choice(companies).id if "c" in links else None,
                "buyer_id": rng.choice(buyers) if "b" in links else None,
                "siae_id": rng.choice(siaes) if "s" in links else None,
                "tender_id": rng.choice(tenders) if "t" in links else None,
                "participant_id": rng.choice(people) if "p" in links and people else None,
                "partner_id": rng.choice(partners).id if "f" in links else None,
                # Entries of the operation's year belong to it; older ones to no operation.
                "fse_operation_id": operation if on.year == today.year else None}
        save_activity(session, scope, data, author=actor, today=today,
                      minutes=("compte-rendu.pdf", _blank_pdf()) if minutes else None)
    _diffuse_demo_fiches(session, organisation_id, partners, actor, today)


DIFFUSED = (FicheStatus.DIFFUSEE, FicheStatus.CANDIDATS_POSITIONNES, FicheStatus.POURVUE)


def _diffuse_demo_fiches(session: Session, organisation_id: int, partners: list[Partner], actor: Actor,
                         today: date) -> None:
    fiches = session.scalars(select(Fiche).where(Fiche.organisation_id == organisation_id,
                                                 Fiche.status.in_(DIFFUSED)).order_by(Fiche.id)).all()
    for index, fiche in enumerate(fiches):
        # France Travail and the Mission locale get every fiche; the SIAE partner the second one.
        chosen = [partners[0].id, partners[1].id] + ([partners[4].id] if index else [])
        directory.diffuse_fiche(session, fiche, chosen, today, actor, today)
        for number, positioning in enumerate(fiche.positionings):
            directory.set_prescriber(session, positioning, partners[number % 2].id)

