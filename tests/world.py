"""A small two-organisation world for access and page tests.

Organisation A holds everything a test needs, twice: rows tied to SIAE A1 / company A1
(``own`` for structure users) and rows tied to other structures (``HORS-STRUCTURE``).
Organisation B mirrors it with names marked ``ORG-B`` that must never leak to A.
"""

from dataclasses import dataclass, field
from datetime import date

from app.domain.enums import ContractType, Criterion, HourSource, Modality, OrganisationKind, Role, SiaeKind
from app.models import (
    Buyer,
    Company,
    HourRecord,
    Lot,
    Organisation,
    Participant,
    ParticipantCriterion,
    Placement,
    Siae,
    Tender,
)
from app.services.accounts import create_user

PASSWORD = "mot-de-passe-de-test-2026"
SIRETS = iter(["73282932000074", "55203253400646", "44306184100047", "35600000000048",
               "40483304800022", "38012986646850", "78467169500087", "32929920700018"])


@dataclass
class OrgRows:
    """Ids of one organisation's rows, by kind: 'own' (structure 1) and 'other' (structure 2)."""

    organisation_id: int = 0
    users: dict[Role, str] = field(default_factory=dict)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)


def _org(session, label: str, marker: str) -> OrgRows:
    org = Organisation(name=f"PLIE {label}", kind=OrganisationKind.PLIE, territory=f"Territoire {label}")
    session.add(org)
    session.flush()
    own = {"organisation_id": org.id}
    rows = OrgRows(organisation_id=org.id)
    made = {}
    for key, tag in (("own", f"{marker}"), ("other", f"{marker} HORS-STRUCTURE")):
        buyer = Buyer(**own, name=f"Acheteur {tag}")
        company = Company(**own, name=f"Entreprise {tag}", siret=next(SIRETS))
        siae = Siae(**own, name=f"SIAE {tag}", kind=SiaeKind.ETTI, siret=next(SIRETS))
        session.add_all([buyer, company, siae])
        session.flush()
        tender = Tender(**own, buyer_id=buyer.id, reference=f"REF {tag}", object=f"Travaux {tag}")
        lot = Lot(**own, number=1, label=f"Lot {tag}", hours_required=500, company_id=company.id)
        tender.lots.append(lot)
        person = Participant(**own, code=f"P-{key}", last_name=f"Durand {tag}", first_name="Camille",
                             birth_on=date(1990, 5, 17))
        person.criteria.append(ParticipantCriterion(**own, criterion=Criterion.BRSA, proof_on=date(2026, 10, 1)))
        session.add_all([tender, person])
        session.flush()
        placement = Placement(**own, participant_id=person.id, lot_id=lot.id, company_id=company.id, siae_id=siae.id,
                              modality=Modality.ETTI, contract_type=ContractType.MISSION_ETTI,
                              starts_on=date(2026, 1, 5))
        session.add(placement)
        session.flush()
        session.add(HourRecord(**own, placement_id=placement.id, month_on=date(2026, 2, 1), minutes=70 * 60,
                               source=HourSource.SAISIE))
        made[key] = {"buyers": buyer.id, "companies": company.id, "siaes": siae.id, "tenders": tender.id,
                     "lots": lot.id, "participants": person.id, "placements": placement.id}
    rows.ids = {kind: {key: made[key][kind] for key in made} for kind in made["own"]}
    for role in Role:
        email = f"{role.value}@plie-{label.lower()}.fr"
        create_user(session, organisation_id=org.id, email=email, password=PASSWORD, role=role,
                    full_name=f"{role.label} {label}",
                    siae_id=made["own"]["siaes"] if role == Role.SIAE else None,
                    company_id=made["own"]["companies"] if role == Role.ENTREPRISE else None)
        rows.users[role] = email
    return rows


@dataclass
class World:
    """Two organisations, A (the user's) and B (another one)."""

    a: OrgRows
    b: OrgRows


def build_world(session) -> World:
    """Create organisations A and B; the caller commits."""
    return World(a=_org(session, "A", "ORG-A"), b=_org(session, "B", "ORG-B"))
