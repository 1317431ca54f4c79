"""Builders for the follow-up tests: a site of lots, people and monthly hours in organisation A."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import event

from app.access import Scope
from app.db import db
from app.domain.enums import ContractType, Criterion, HourSource, LegalInstrument, Modality, Role, Sex, SiaeKind
from app.models import (
    Buyer,
    Company,
    HourRecord,
    Lot,
    Participant,
    ParticipantCriterion,
    Placement,
    Siae,
    Tender,
)

TODAY = date(2026, 11, 22)
SIRETS = iter(f"{n:014d}" for n in range(90_000_000_000_000, 90_000_000_100_000))


def staff_scope(world, role: Role = Role.FACILITATEUR) -> Scope:
    return Scope(organisation_id=world.a.organisation_id, role=role)


@dataclass
class Site:
    """Ids of what make_site built."""

    buyer_id: int
    company_id: int
    siae_id: int
    tender_id: int
    lot_ids: list[int] = field(default_factory=list)
    participant_ids: list[int] = field(default_factory=list)
    placement_ids: list[int] = field(default_factory=list)
    minutes: int = 0


def make_site(session, world, *, lots: int = 2, people: int = 3, months: tuple[date, ...] = (
        date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)), minutes: int = 35 * 60, tag: str = "SITE",
              first_names: tuple[str, ...] = ("Amélie",), last_names: tuple[str, ...] = ("Martin",),
              tender_dates=(date(2026, 1, 1), date(2027, 12, 31)), hours_required: int = 1000) -> Site:
    """Build a buyer, a tender with lots, people placed on them and monthly hours; flush only."""
    own = {"organisation_id": world.a.organisation_id}
    buyer = Buyer(**own, name=f"Ville {tag}")
    company = Company(**own, name=f"Bâtiment {tag}", siret=next(SIRETS))
    siae = Siae(**own, name=f"ETTI {tag}", kind=SiaeKind.ETTI, siret=next(SIRETS))
    session.add_all([buyer, company, siae])
    session.flush()
    tender = Tender(**own, buyer_id=buyer.id, reference=f"T-{tag}", object=f"Travaux {tag}", cpv="45000000-7",
                    legal_instrument=LegalInstrument.CLAUSE_EXECUTION, starts_on=tender_dates[0],
                    ends_on=tender_dates[1])
    for number in range(1, lots + 1):
        tender.lots.append(Lot(**own, number=number, label=f"Lot {number} {tag}", hours_required=hours_required,
                               company_id=company.id))
    session.add(tender)
    session.flush()
    site = Site(buyer.id, company.id, siae.id, tender.id, [lot.id for lot in tender.lots])
    for index in range(people):
        person = Participant(**own, code=f"{tag}-{index:04d}", last_name=last_names[index % len(last_names)],
                             first_name=first_names[index % len(first_names)], sex=Sex.FEMME if index % 2 else Sex.HOMME,
                             birth_on=date(2003, 6, 1) if index % 3 == 0 else date(1980, 6, 1), postcode="59140",
                             phone="0612345678" if index % 4 else "")
        person.criteria.append(ParticipantCriterion(**own, criterion=Criterion.BRSA if index % 2 == 0
                                                    else Criterion.DELD))
        session.add(person)
        session.flush()
        lot_id = site.lot_ids[index % len(site.lot_ids)]
        placement = Placement(**own, participant_id=person.id, lot_id=lot_id, company_id=company.id,
                              siae_id=siae.id if index % 2 else None,
                              modality=Modality.ETTI if index % 2 else Modality.EMBAUCHE_DIRECTE,
                              contract_type=ContractType.MISSION_ETTI if index % 2 else ContractType.CDD,
                              starts_on=months[0])
        session.add(placement)
        session.flush()
        for month_on in months:
            session.add(HourRecord(**own, placement_id=placement.id, month_on=month_on, minutes=minutes,
                                   training_minutes=60, source=HourSource.SAISIE))
            site.minutes += minutes
        site.participant_ids.append(person.id)
        site.placement_ids.append(placement.id)
    session.flush()
    return site


class QueryCounter:
    """Count the SQL statements sent to the engine while the context is open."""

    def __init__(self) -> None:
        self.count = 0

    def _count(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> "QueryCounter":
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self._count)
