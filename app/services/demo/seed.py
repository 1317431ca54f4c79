"""Build a believable demo territory: a PLIE, its buyers, tenders, structures and participants."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from stdnum import luhn

from app.domain.enums import (
    BuyerKind,
    ContractType,
    Criterion,
    HourSource,
    LegalInstrument,
    Modality,
    OrganisationKind,
    Role,
    Sex,
    SiaeKind,
    TenderStatus,
)
from app.domain.clauses.hours import compute_standard_hours
from app.domain.numbers import euros_to_cents
from app.domain.clauses.reference import DEFAULT_HOURLY_COST, DEFAULT_INSERTION_RATE, find_labour_share, fold_text
from app.models import (
    Buyer,
    Company,
    HourRecord,
    Lot,
    Operation,
    Organisation,
    Participant,
    ParticipantCriterion,
    Placement,
    Siae,
    Tender,
)
from app.services.demo import data
from app.access import Scope
from app.domain.api.tokens import TokenScope
from app.services.accounts import create_user
from app.services.api.tokens import create_token
from app.services.demo.fiches import seed_demo_fiches
from app.services.demo.followup import seed_followup_demo
from app.services.demo.fse_records import seed_fse_records_demo
from app.services.demo.activities import seed_activity_demo
from app.services.demo.fse_operations import seed_demo_operations

DEMO_ORGANISATION = "PLIE du Val-de-Lys"
DEMO_PASSWORD = "demo-clausier-2026"
# Published in the README like the password, so the API's curl example works on the demo.
DEMO_API_TOKENS = {
    "organisation": "clsr_demo-val-de-lys-organisation-2026",
    "siae": "clsr_demo-val-de-lys-etti-2026",
}
DEMO_ACCOUNTS = {
    Role.ADMIN: "admin@demo.clausier.fr",
    Role.FACILITATEUR: "facilitateur@demo.clausier.fr",
    Role.GESTIONNAIRE: "gestionnaire@demo.clausier.fr",
    Role.SIAE: "siae@demo.clausier.fr",
    Role.ENTREPRISE: "entreprise@demo.clausier.fr",
}
SCALES = {
    # tenders, participants, months of history, how many months a placement lasts at most
    "small": (len(data.TENDERS), 60, 12, 12),
    "large": (90, 2000, 12, 8),
}


@dataclass(frozen=True)
class DemoSummary:
    """What seed_demo built, for the command to print."""

    organisation_id: int
    tenders: int
    lots: int
    participants: int
    placements: int
    hour_records: int
    hours: int


def demo_exists(session: Session) -> bool:
    """Tell whether the demo organisation is already in the database."""
    return session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION)) is not None


def make_siret(rng: random.Random) -> str:
    """Return a random SIRET whose SIREN and SIRET keys are valid (Luhn)."""
    siren = str(rng.randint(30_000_000, 99_999_999))
    siren += luhn.calc_check_digit(siren)
    nic = f"{rng.randint(1, 999):04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def month_starts(today: date, count: int) -> list[date]:
    """Return the first days of the ``count`` months up to and including today's."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def demo_lot_hours(amount: int, trade: str) -> int:
    """Size a demo lot with the standard method and the default reference values."""
    share = find_labour_share(trade=trade)
    return compute_standard_hours(amount, share.share_pct, DEFAULT_INSERTION_RATE.value,
                                  DEFAULT_HOURLY_COST.value).hours


def seed_demo(session: Session, *, scale: str = "small", today: date | None = None) -> DemoSummary:
    """Create the demo organisation with its data and one account per role; the caller commits."""
    n_tenders, n_participants, n_months, max_length = SCALES[scale]
    today = today or date.today()
    rng = random.Random(2026)
    months = month_starts(today, n_months)
    org = Organisation(name=DEMO_ORGANISATION, kind=OrganisationKind.PLIE,
                       territory="Agglomération de Val-de-Lys (Nord)")
    session.add(org)
    session.flush()
    own = {"organisation_id": org.id}

    buyers = [Buyer(**own, name=name, kind=BuyerKind(kind), city=city, name_article=article)
              for name, kind, city, article in data.BUYERS]
    companies = [Company(**own, name=name, siret=make_siret(rng), postcode=rng.choice(data.POSTCODES),
                         city="Val-de-Lys", contact_name=f"{rng.choice(data.FIRST_NAMES_M)} {rng.choice(data.LAST_NAMES)}",
                         contact_email=f"contact@{fold_text(name.split()[0]).replace(' ', '-')}.example.fr")
                 for name, _trade in data.COMPANIES]
    siaes = [Siae(**own, name=name, kind=SiaeKind(kind), siret=make_siret(rng), postcode=rng.choice(data.POSTCODES),
                  city="Val-de-Lys") for name, kind in data.SIAES]
    operation = Operation(**own, name="Renouvellement urbain du quartier des Prés-du-Hem", buyer=buyers[0],
                          starts_on=date(today.year - 1, 1, 1), ends_on=date(today.year + 2, 12, 31), is_fse_funded=True)
    session.add_all([*buyers, *companies, *siaes, operation])
    session.flush()

    lots = _seed_tenders(session, own, rng, n_tenders, buyers, companies, operation, months)
    _seed_pipeline(session, own, buyers, today)
    participants = _seed_participants(session, own, rng, n_participants, today)
    placements, records, minutes = _seed_placements(session, own, rng, participants, lots, siaes, months, max_length, today)
    _seed_accounts(session, org.id, siaes[1], companies[0])
    _seed_api_tokens(session, org.id, siaes[1], today)
    seed_demo_fiches(session, org.id, today)
    seed_followup_demo(session, org.id, today=today)
    seed_fse_records_demo(session, org.id, today=today)
    seed_activity_demo(session, org.id, today)
    seed_demo_operations(session, org.id, today)
    return DemoSummary(org.id, n_tenders, len(lots), len(participants), placements, records, minutes // 60)


def _seed_tenders(session, own, rng, n_tenders, buyers, companies, operation, months) -> list[Lot]:
    lots = []
    for index in range(n_tenders):
        reference, obj, buyer_index, cpv, instrument, lot_specs = data.TENDERS[index % len(data.TENDERS)]
        site_city, site_epci = data.TENDER_SITES.get(reference, ("", ""))
        if index >= len(data.TENDERS):
            reference = f"{reference}-{index // len(data.TENDERS) + 1:02d}"
        starts_on = months[rng.randint(0, 3)]
        tender = Tender(**own, buyer_id=buyers[buyer_index].id, reference=reference, object=obj, cpv=cpv,
                        legal_instrument=LegalInstrument(instrument), site_city=site_city, site_epci=site_epci,
                        operation_id=operation.id if buyer_index == 0 else None,
                        amount_cents=euros_to_cents(sum(spec[2] for spec in lot_specs)),
                        notified_on=starts_on - timedelta(days=30), starts_on=starts_on,
                        ends_on=date(starts_on.year + 2, starts_on.month, 1) - timedelta(days=1))
        for number, (label, trade, amount, company_index) in enumerate(lot_specs, start=1):
            tender.lots.append(Lot(**own, number=number, label=label, trade=trade, amount_cents=euros_to_cents(amount),
                                   hours_required=demo_lot_hours(amount, trade), company_id=companies[company_index].id))
        session.add(tender)
        lots.extend(tender.lots)
    session.flush()
    return lots


def _seed_pipeline(session, own, buyers, today) -> None:
    """Add the tenders a facilitator is still working on with buyers (the Repérage page)."""
    for reference, obj, buyer_index, cpv, amount, status, days, note, next_step in data.PIPELINE:
        published = today + timedelta(days=days)
        session.add(Tender(**own, buyer_id=buyers[buyer_index].id, reference=reference, object=obj, cpv=cpv,
                           legal_instrument=LegalInstrument.CLAUSE_EXECUTION, amount_cents=euros_to_cents(amount),
                           status=TenderStatus(status), planned_publication_on=published,
                           planned_award_on=published + timedelta(days=90),
                           planned_works_on=published + timedelta(days=150), note=note, next_step=next_step))
    session.flush()


def _seed_participants(session, own, rng, count, today) -> list[Participant]:
    people = []
    for index in range(count):
        sex = rng.choice([Sex.FEMME, Sex.HOMME, Sex.HOMME])
        first = rng.choice(data.FIRST_NAMES_F if sex == Sex.FEMME else data.FIRST_NAMES_M)
        age = rng.choice([19, 22, 24, 25, 29, 34, 38, 43, 47, 51, 55, 58])
        birth_on = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        person = Participant(**own, code=f"P-{index + 1:05d}", last_name=rng.choice(data.LAST_NAMES), first_name=first,
                             birth_on=birth_on, sex=sex, postcode=rng.choice(data.POSTCODES), is_qpv=rng.random() < 0.45,
                             qualification_level=rng.choice(["infra3", "infra3", "3", "4", "5"]),
                             is_plie_followed=rng.random() < 0.7,
                             phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                             if rng.random() < 0.9 else "")
        if person.is_plie_followed:
            person.plie_entry_on = today - timedelta(days=rng.randint(60, 700))
        for criterion in _criteria_for(rng, age, person):
            person.criteria.append(ParticipantCriterion(**own, criterion=criterion,
                                                        proof_on=today - timedelta(days=rng.randint(5, 200))))
        people.append(person)
    session.add_all(people)
    session.flush()
    return people


def _criteria_for(rng, age: int, person: Participant) -> set[Criterion]:
    criteria = {rng.choice([Criterion.BRSA, Criterion.BRSA, Criterion.DELD, Criterion.DETLD, Criterion.ASS])}
    if age < 26:
        criteria.add(Criterion.JEUNE)
    if age >= 50:
        criteria.add(Criterion.SENIOR)
    if rng.random() < 0.12:
        criteria.add(Criterion.RQTH)
    if person.is_plie_followed:
        criteria.add(Criterion.PLIE)
    if person.is_qpv:
        criteria.add(Criterion.QPV)
    return criteria


MODALITIES = [
    (Modality.EMBAUCHE_DIRECTE, None, ContractType.CDD),
    (Modality.EMBAUCHE_DIRECTE, None, ContractType.CDI),
    (Modality.ETTI, "ETTI", ContractType.MISSION_ETTI),
    (Modality.ETTI, "ETTI", ContractType.MISSION_ETTI),
    (Modality.AI, "AI", ContractType.CDD_USAGE),
    (Modality.GEIQ, "GEIQ", ContractType.PROFESSIONNALISATION),
    (Modality.SOUS_TRAITANCE, "EI", ContractType.CDDI),
]


def _seed_placements(session, own, rng, participants, lots, siaes, months, max_length, today):
    by_kind = {siae.kind.value: siae for siae in siaes}
    placement_rows, hour_rows = [], []
    # Busier lots (more hours required) get more people, as they do on real sites.
    weights = [max(lot.hours_required, 50) for lot in lots]
    for person in participants:
        lot = rng.choices(lots, weights=weights)[0]
        modality, siae_kind, contract = rng.choice(MODALITIES)
        if lot.tender.legal_instrument == LegalInstrument.RESERVE_SIAE:
            modality, siae_kind, contract = Modality.SOUS_TRAITANCE, "ACI", ContractType.CDDI
        first = rng.randint(0, len(months) - 1)
        length = rng.randint(1, max_length)
        starts_on = months[first] + timedelta(days=rng.randint(0, 9))
        last = min(first + length - 1, len(months) - 1)
        ends_on = None if last == len(months) - 1 else _month_end(months[last])
        placement = Placement(**own, participant_id=person.id, lot_id=lot.id, company_id=lot.company_id,
                              siae_id=by_kind[siae_kind].id if siae_kind else None, modality=modality,
                              contract_type=contract, starts_on=starts_on, ends_on=ends_on)
        placement_rows.append((placement, months[first:last + 1]))
    session.add_all([placement for placement, _ in placement_rows])
    session.flush()
    total_minutes = 0
    for placement, worked in placement_rows:
        monthly = rng.choice([26, 35, 52, 70, 91, 105])
        for month_on in worked:
            share = 0.5 if month_on.month == today.month and month_on.year == today.year else 1.0
            minutes = int(monthly * share * rng.uniform(0.8, 1.1)) * 60 + rng.choice([0, 0, 30])
            training = rng.choice([0, 0, 0, 7 * 60])
            hour_rows.append({**own, "placement_id": placement.id, "month_on": month_on, "minutes": minutes,
                              "training_minutes": training, "source": HourSource.DEMO, "source_ref": "démo"})
            total_minutes += minutes
    hour_rows, total_minutes = _pace_lots(placement_rows, hour_rows)
    # Core insert in batches: the large scale writes ~12 000 rows.
    for start in range(0, len(hour_rows), 2000):
        session.execute(insert(HourRecord), hour_rows[start:start + 2000])
    return len(placement_rows), len(hour_rows), total_minutes


# A full-time month (35 h a week): the demo never shows a person working more than that.
MAX_DEMO_MONTH_MINUTES = 151 * 60


def _pace_lots(placement_rows, hour_rows) -> tuple[list[dict], int]:
    """Scale each lot's hours to a believable share of its requirement: most lots 60–110 %, a few late.

    The share is drawn from a generator seeded by the lot's reference, so the main sequence
    (and every other demo figure) does not move.
    """
    lot_of = {placement.id: placement.lot for placement, _ in placement_rows}
    raw: dict[int, int] = {}
    for row in hour_rows:
        lot = lot_of[row["placement_id"]]
        raw[lot.id] = raw.get(lot.id, 0) + row["minutes"]
    factors = {}
    for lot in {lot.id: lot for lot in lot_of.values()}.values():
        pace = random.Random(f"{lot.tender.reference}-{lot.number}")
        share = pace.uniform(0.25, 0.55) if pace.random() < 0.15 else pace.uniform(0.7, 1.12)
        factors[lot.id] = lot.hours_required * 60 * share / raw[lot.id] if raw.get(lot.id) else 1
    total = 0
    for row in hour_rows:
        minutes = int(row["minutes"] * factors[lot_of[row["placement_id"]].id]) // 30 * 30
        row["minutes"] = min(max(minutes, 60), MAX_DEMO_MONTH_MINUTES)
        total += row["minutes"]
    return hour_rows, total


def _month_end(month_on: date) -> date:
    following = date(month_on.year + (month_on.month == 12), month_on.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _seed_api_tokens(session, organisation_id: int, siae: Siae, today: date) -> None:
    scope = Scope(organisation_id)
    expires_on = today + timedelta(days=365)
    create_token(session, scope, name="Démo : BI du PLIE", scopes=list(TokenScope), expires_on=expires_on,
                 today=today, secret=DEMO_API_TOKENS["organisation"])
    create_token(session, scope, name="Démo : logiciel de paie de l'ETTI",
                 scopes=[TokenScope.READ_TENDERS, TokenScope.WRITE_HOURS], expires_on=expires_on,
                 structure_key=f"siae:{siae.id}", today=today, secret=DEMO_API_TOKENS["siae"])


def _seed_accounts(session, organisation_id: int, siae: Siae, company: Company) -> None:
    names = {Role.ADMIN: "Claire Admin", Role.FACILITATEUR: "Karim Facilitateur", Role.GESTIONNAIRE: "Sophie Gestionnaire",
             Role.SIAE: f"Accueil {siae.name}", Role.ENTREPRISE: f"RH {company.name}"}
    for role, email in DEMO_ACCOUNTS.items():
        create_user(session, organisation_id=organisation_id, email=email, password=DEMO_PASSWORD, role=role,
                    full_name=names[role], siae_id=siae.id if role == Role.SIAE else None,
                    company_id=company.id if role == Role.ENTREPRISE else None)
