"""Builders for the consolidation tests: partner PLIE of the Pas-de-Calais with their own tenders and people.

People get distinctive names, e-mails, phones and birth dates so a test can look for them in every
byte a consolidating body receives.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import ContractType, Criterion, HourSource, LegalInstrument, Modality, OrganisationKind, Sex
from app.domain.enums import SiaeKind
from app.models import (
    Buyer,
    Company,
    ConsolidationAgreement,
    HourRecord,
    Lot,
    Organisation,
    Participant,
    ParticipantCriterion,
    Placement,
    Siae,
    Tender,
)

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
SIRETS = iter(f"{n:014d}" for n in range(91_000_000_000_000, 91_000_000_100_000))


@dataclass(frozen=True)
class Person:
    """Someone placed on a lot, with what must never leave their organisation."""

    last_name: str
    first_name: str
    birth_on: date
    email: str
    phone: str
    sex: Sex = Sex.FEMME
    is_brsa: bool = False


@dataclass
class Partner:
    """Ids of a partner organisation and of the people it follows."""

    organisation_id: int
    people: list[Person] = field(default_factory=list)


# (reference, object, CPV, commune, EPCI, [(lot label, trade, hours required)])
LENS_TENDERS = (
    ("2026-014", "Réhabilitation de 48 logements cité 12", "45453000-7", "Liévin",
     "Communauté d'agglomération de Lens-Liévin",
     [("Gros œuvre", "Maçon", 700), ("Peinture", "Peintre en bâtiment", 350)]),
    ("2026-031", "Entretien des espaces verts du parc des Cytises", "77310000-6", "Lens",
     "Communauté d'agglomération de Lens-Liévin", [("Lot unique", "Ouvrier paysagiste", 420)]),
)
BETHUNE_TENDERS = (
    ("BBL-2026-07", "Construction du groupe scolaire Jules Ferry", "45214200-2", "Béthune",
     "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
     [("Gros œuvre", "Maçon", 900), ("Menuiseries", "Menuisier", 300)]),
    ("BBL-2026-11", "Nettoyage des bâtiments communaux", "90910000-9", "", "", [("Lot unique", "", 250)]),
)


def make_partner(session, name: str, territory: str, tenders, people: list[Person], *, tag: str,
                 month_hours: int = 35) -> Partner:
    """Create an organisation with awarded tenders, lots, placed people and three months of hours; flush only."""
    org = Organisation(name=name, kind=OrganisationKind.PLIE, territory=territory)
    session.add(org)
    session.flush()
    own = {"organisation_id": org.id}
    buyer = Buyer(**own, name=f"Ville de {territory}")
    company = Company(**own, name=f"Bâtiment du {territory}", siret=next(SIRETS))
    siae = Siae(**own, name=f"ETTI {territory}", kind=SiaeKind.ETTI, siret=next(SIRETS))
    session.add_all([buyer, company, siae])
    session.flush()
    lots = []
    for reference, obj, cpv, city, epci, lot_specs in tenders:
        tender = Tender(**own, buyer_id=buyer.id, reference=reference, object=obj, cpv=cpv, site_city=city,
                        site_epci=epci, legal_instrument=LegalInstrument.CLAUSE_EXECUTION,
                        starts_on=date(2026, 1, 5), ends_on=date(2027, 6, 30))
        for number, (label, trade, hours) in enumerate(lot_specs, start=1):
            tender.lots.append(Lot(**own, number=number, label=label, trade=trade, hours_required=hours,
                                   company_id=company.id))
        session.add(tender)
        session.flush()
        lots.extend(tender.lots)
    for index, person in enumerate(people):
        row = Participant(**own, code=f"{tag}-{index + 1:03d}", last_name=person.last_name,
                          first_name=person.first_name, birth_on=person.birth_on, sex=person.sex,
                          email=person.email, phone=person.phone, postcode="62300")
        if person.is_brsa:
            row.criteria.append(ParticipantCriterion(**own, criterion=Criterion.BRSA, proof_on=date(2026, 2, 1)))
        session.add(row)
        session.flush()
        placement = Placement(**own, participant_id=row.id, lot_id=lots[index % len(lots)].id,
                              company_id=company.id, siae_id=siae.id, modality=Modality.ETTI,
                              contract_type=ContractType.MISSION_ETTI, starts_on=date(2026, 3, 2),
                              ends_on=date(2026, 5, 29) if index == 0 else None)
        session.add(placement)
        session.flush()
        for month in (3, 4, 5):
            session.add(HourRecord(**own, placement_id=placement.id, month_on=date(2026, month, 1),
                                   minutes=(month_hours + index) * 60, source=HourSource.SAISIE))
    session.flush()
    return Partner(org.id, list(people))


def lens(session) -> Partner:
    """The PLIE of Lens-Liévin: three people, one of them under 26 and one on RSA."""
    return make_partner(session, "PLIE de Lens-Liévin", "Lens-Liévin", LENS_TENDERS, [
        Person("Wojciechowska", "Bérengère", date(1984, 2, 29), "berengere.wojcie@exemple-mail.fr", "0611223344",
               is_brsa=True),
        Person("Ouahbi-Delattre", "Yanis", date(2003, 7, 14), "yanis.od@exemple-mail.fr", "0722334455",
               sex=Sex.HOMME),
        Person("Kowalczykiewicz", "Ludivine", date(1979, 11, 3), "l.kowal@exemple-mail.fr", "0633445566"),
    ], tag="LL")


def bethune(session) -> Partner:
    """The PLIE of Béthune-Bruay: two people, whose codes are those Lens also uses (each numbers its own)."""
    return make_partner(session, "PLIE de Béthune-Bruay", "Béthune-Bruay", BETHUNE_TENDERS, [
        Person("Szczepaniakowa", "Maëlys", date(2001, 9, 9), "maelys.szcz@exemple-mail.fr", "0644556677",
               is_brsa=True),
        Person("Vandenbusschez", "Théophane", date(1968, 4, 21), "theo.vdb@exemple-mail.fr", "0755667788",
               sex=Sex.HOMME),
    ], tag="LL")


def agreement(session, body_id: int, partner_id: int, *, agreed: bool = True, ended: bool = False
              ) -> ConsolidationAgreement:
    """Record an agreement between a body and a partner, as their administrators would have left it."""
    row = ConsolidationAgreement(consolidating_id=body_id, partner_id=partner_id,
                                 requested_at=datetime(2026, 9, 1, 9, 30),
                                 agreed_at=datetime(2026, 9, 3, 14, 0) if agreed else None,
                                 ended_at=datetime(2026, 10, 15, 11, 0) if ended else None)
    session.add(row)
    session.flush()
    return row
