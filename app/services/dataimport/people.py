"""Participants and placements: a person found by Clausier's code or by name and birth date.

Everything a plan compares is loaded once per plan (``index``): the organisation's people,
tenders, lots, companies, SIAE and placements, so a file of 10 000 lines costs the same few
queries as a file of ten. An import adds and re-dates criteria, never removes one (a file that
leaves a criterion out says nothing about it); anonymised people are never matched by name nor
exported, and their identity cannot be brought back by an import.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, UPDATE, RowResult, written
from app.domain.dataimport.people import (
    PARTICIPANTS,
    PLACEMENTS,
    Person,
    Proofs,
    close_names,
    criteria_cells,
    criteria_of,
    merge_criteria,
    name_key,
    person_key,
    suggestion,
)
from app.domain.sheetmap import header_key, label_key
from app.models import Company, Lot, Participant, ParticipantCriterion, Placement, Siae, Tender
from app.services.dataimport.stores import Index, Store, note_changes, refuse, register, settle_changes
from app.services.referential import participant_codes, set_criteria

# The participant's own columns an import writes (the criteria go through set_criteria).
PERSON_COLUMNS = ("last_name", "first_name", "birth_on", "sex", "postcode", "is_qpv", "qualification_level",
                  "is_plie_followed", "plie_entry_on", "phone", "email")


class People:
    """The organisation's people as matching looks them up: by code, by folded identity, by birth date, by name."""

    def __init__(self, persons: list[Person], anonymised: set[int]) -> None:
        self.by_code = {person.code.strip().casefold(): person for person in persons}
        self.by_key: dict[tuple[str, str, str], Person] = {}
        self.by_birth: dict[date, list[Person]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list[Person]] = defaultdict(list)
        self.anonymised = anonymised
        for person in persons:
            if person.id in anonymised:
                continue  # no name left to match
            self.by_key.setdefault(person.key, person)
            if person.birth_on:
                self.by_birth[person.birth_on].append(person)
            self.by_name[person.key[:2]].append(person)

    def coded(self, code: str) -> Person | None:
        """Return the person of a Clausier code, if stored."""
        return self.by_code.get(code.strip().casefold())

    def named(self, full_name: str, birth_on: date | None) -> list[Person]:
        """Return the stored people a « Nom Prénom » cell may name: every split of its words, either order."""
        words = header_key(full_name).split()
        found = {}
        for cut in range(1, len(words)):
            for last, first in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
                person = self.by_key.get(person_key(" ".join(last), " ".join(first), birth_on))
                if person is not None:
                    found[person.id] = person
        return list(found.values())

    def close_to(self, last_name: str, first_name: str, birth_on: date | None) -> list[Person]:
        """Return stored people who may be this one without matching exactly (at most three)."""
        key = person_key(last_name, first_name, birth_on)
        same_name = [person for person in self.by_name.get(key[:2], ()) if person.key != key]
        if birth_on is None:
            found = same_name
        else:
            found = [person for person in same_name if person.birth_on is None]
            found += [person for person in self.by_birth.get(birth_on, ())
                      if person.key != key and close_names((last_name, first_name), (person.last_name,
                                                                                     person.first_name))]
        return list({person.id: person for person in found}.values())[:3]


def _person(record) -> Person:
    return Person(record.id, record.code, record.last_name, record.first_name, record.birth_on, record.sex)


def _named(values: dict[str, object]) -> str:
    born = values.get("birth_on")
    return (f"{str(values.get('last_name', '')).upper()} {values.get('first_name', '')}"
            + (f", né(e) le {born:%d/%m/%Y}" if born else ", sans date de naissance"))


class ParticipantStore(Store):
    """Participants: one line a person, their criteria and proof dates added to what is stored."""

    kind = PARTICIPANTS

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        records = session.scalars(select(Participant).where(Participant.organisation_id == scope.organisation_id)
                                  .options(selectinload(Participant.criteria)).order_by(Participant.id)).all()
        people = People([_person(record) for record in records],
                        {record.id for record in records if record.anonymised_at is not None})
        return Index(extra={"people": people, "records": {record.id: record for record in records},
                            "codes": {record.code for record in records}, "proofs": {}, "claimed": {},
                            "planned": {}})

    def match(self, result: RowResult, index: Index) -> None:
        found, values = index.extra, result.values
        wanted, problems = criteria_of(values)
        people: People = found["people"]
        key = person_key(values["last_name"], values["first_name"], values.get("birth_on"))
        person = people.by_key.get(key)
        if code := values.get("participant_code"):
            coded = people.coded(code)
            if coded is None:
                problems.append(f"Code Clausier « {code} » inconnu dans votre organisation : corrigez-le, ou videz "
                                "la cellule pour créer la personne.")
            elif coded.id in people.anonymised:
                problems.append(f"{coded.code} a été anonymisé(e) (conservation de 2 ans dépassée) : son identité ne "
                                "peut pas être réimportée.")
            elif person is not None and person.id != coded.id:
                problems.append(f"Le code {code} désigne {coded.described()}, mais le nom et la date de naissance "
                                f"désignent {person.described()} : corrigez l'un ou l'autre.")
            person = coded
        for problem in problems:
            refuse(result, problem)
        if result.action == ERROR:
            return
        if person is None:
            self._create(result, index, key, wanted)
            return
        first = found["claimed"].setdefault(person.id, result.row)
        if first != result.row:
            refuse(result, f"En double dans le fichier : la ligne {first} désigne déjà {person.described()}.")
            return
        self._compare(result, found["records"][person.id], wanted, found)

    def _create(self, result: RowResult, index: Index, key: tuple[str, str, str], wanted: Proofs) -> None:
        first = index.extra["planned"].setdefault(key, result.row)
        if first != result.row:
            refuse(result, f"En double dans le fichier : la ligne {first} désigne la même personne "
                           f"({_named(result.values)}).")
            return
        index.extra["proofs"][result.row] = wanted
        values = result.values
        result.reasons = [suggestion(person) for person in
                          index.extra["people"].close_to(values["last_name"], values["first_name"],
                                                         values.get("birth_on"))]

    def _compare(self, result: RowResult, record: Participant, wanted: Proofs, found: dict) -> None:
        current = {role: getattr(record, role) for role in PERSON_COLUMNS}
        for role in ("last_name", "first_name"):
            if name_key(current[role]) == name_key(result.values[role]):
                current.pop(role)  # « DUPONT » for « Dupont », « Helene » for « Hélène »: the stored spelling stays
        note_changes(result, self.kind, current, record.id)
        stored = {item.criterion: item.proof_on for item in record.criteria}
        merged = merge_criteria(stored, wanted)
        found["proofs"][result.row] = merged
        if merged != stored:
            field_ = self.kind.field("criteria")
            result.changes["criteria"] = (written(field_, tuple(stored.items())),
                                          written(field_, tuple(merged.items())))
            settle_changes(result, self.kind)

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        found = index.extra
        created = [result for result in results if result.action == CREATE]
        # Codes follow the form's rule (the count, then the first free one), computed once for the file.
        codes = participant_codes(len(found["records"]), found["codes"], len(created))
        # Written in bulk: a migration creates thousands of people. A new person's criteria are the
        # file's, each with its proof date (set_criteria's rule for someone who has none yet).
        if created:
            session.execute(insert(Participant), [
                {"organisation_id": scope.organisation_id, "code": code,
                 **{role: value for role, value in result.values.items() if role in PERSON_COLUMNS}}
                for result, code in zip(created, codes, strict=True)])
            ids = dict(session.execute(select(Participant.code, Participant.id).where(
                Participant.organisation_id == scope.organisation_id, Participant.code.in_(codes))).all())
            criteria = [{"organisation_id": scope.organisation_id, "participant_id": ids[code], "criterion": criterion,
                         "proof_on": proof_on}
                        for result, code in zip(created, codes, strict=True)
                        for criterion, proof_on in found["proofs"][result.row].items()]
            if criteria:
                session.execute(insert(ParticipantCriterion), criteria)
        for result in results:
            if result.action != UPDATE:
                continue
            record = found["records"][result.match_id]
            for role, (_old, new) in result.changes.items():
                if role in PERSON_COLUMNS:
                    setattr(record, role, new)
            if "criteria" in result.changes:
                set_criteria(scope, record, found["proofs"][result.row], keep_others=True)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        query = (select(Participant).where(Participant.organisation_id == scope.organisation_id,
                                           Participant.anonymised_at.is_(None))
                 .options(selectinload(Participant.criteria))
                 .order_by(Participant.last_name, Participant.first_name, Participant.birth_on, Participant.id))
        for record in session.scalars(query):
            values: dict[str, object] = {role: getattr(record, role) for role in PERSON_COLUMNS}
            values["participant_code"] = record.code
            values["criteria"], values["proof_on"] = criteria_cells({item.criterion: item.proof_on
                                                                     for item in record.criteria})
            yield values


def people_index(session: Session, organisation_id: int) -> People:
    """Return the organisation's people, found by code or by name and birth date (placements, hours)."""
    rows = session.execute(select(Participant.id, Participant.code, Participant.last_name, Participant.first_name,
                                  Participant.birth_on, Participant.sex, Participant.anonymised_at)
                           .where(Participant.organisation_id == organisation_id).order_by(Participant.id)).all()
    return People([Person(*row[:6]) for row in rows], {row.id for row in rows if row.anonymised_at})


def lots_index(session: Session, organisation_id: int) -> tuple[dict, dict]:
    """Return the tenders by folded reference and their lots by number: (lot id, awarded company id)."""
    tenders: dict[str, list[int]] = defaultdict(list)
    for tender_id, reference in session.execute(select(Tender.id, Tender.reference)
                                                .where(Tender.organisation_id == organisation_id).order_by(Tender.id)):
        tenders[label_key(reference)].append(tender_id)
    lots: dict[int, dict[int, tuple[int, int | None]]] = defaultdict(dict)
    for lot_id, tender_id, number, company_id in session.execute(
            select(Lot.id, Lot.tender_id, Lot.number, Lot.company_id).where(Lot.organisation_id == organisation_id)):
        lots[tender_id][number] = (lot_id, company_id)
    return tenders, lots


class PlacementStore(Store):
    """Placements: a person on a tender's lot from a start date, with an employer, a modality and a contract."""

    kind = PLACEMENTS

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        ours = scope.organisation_id
        people = people_index(session, ours)
        tenders, lots = lots_index(session, ours)
        companies = dict(session.execute(select(Company.siret, Company.id).where(Company.organisation_id == ours)).all())
        siaes = dict(session.execute(select(Siae.siret, Siae.id).where(Siae.organisation_id == ours)).all())
        placements = {(item.participant_id, item.lot_id, item.starts_on): item for item in session.scalars(
            select(Placement).where(Placement.organisation_id == ours).order_by(Placement.id))}
        return Index(extra={"people": people, "tenders": tenders, "lots": lots, "companies": companies,
                            "siaes": siaes, "placements": placements, "resolved": {}, "claimed": {},
                            "company_sirets": {id_: siret for siret, id_ in companies.items()},
                            "siae_sirets": {id_: siret for siret, id_ in siaes.items()}})

    def match(self, result: RowResult, index: Index) -> None:
        found, values = index.extra, result.values
        problems: list[str] = []
        person = placed_person(values, found["people"], problems)
        lot = lot_of(values, found, problems)
        company_id = siae_id = None
        if siret := values.get("company_siret"):
            company_id = found["companies"].get(siret)
            if company_id is None:
                problems.append(f"SIRET de l'employeur {siret} inconnu dans vos entreprises : importez d'abord les "
                                "entreprises, ou corrigez le SIRET.")
        elif lot is not None:
            company_id = lot[1]  # the company the lot was awarded to
        if siret := values.get("siae_siret"):
            siae_id = found["siaes"].get(siret)
            if siae_id is None:
                problems.append(f"SIRET de la SIAE {siret} inconnu dans vos structures d'insertion : importez-les "
                                "d'abord, ou corrigez le SIRET.")
        if lot is not None and company_id is None and siae_id is None and not problems:
            problems.append("Employeur manquant : le lot n'a pas d'entreprise attributaire, indiquez le SIRET de "
                            "l'employeur ou de la SIAE.")
        ends, starts = values.get("ends_on"), values["starts_on"]
        if ends is not None and ends < starts:
            problems.append(f"La date de fin ({ends:%d/%m/%Y}) précède la date de début ({starts:%d/%m/%Y}).")
        for problem in problems:
            refuse(result, problem)
        if result.action == ERROR or person is None or lot is None:
            return
        key = (person.id, lot[0], starts)
        first = found["claimed"].setdefault(key, result.row)
        if first != result.row:
            refuse(result, f"En double dans le fichier : la ligne {first} est la même mise en situation "
                           "(même personne, même lot, même date de début).")
            return
        found["resolved"][result.row] = {"participant_id": person.id, "lot_id": lot[0], "company_id": company_id,
                                         "siae_id": siae_id}
        stored = found["placements"].get(key)
        if stored is not None:
            current = {"company_siret": found["company_sirets"].get(stored.company_id),
                       "siae_siret": found["siae_sirets"].get(stored.siae_id), "modality": stored.modality,
                       "contract_type": stored.contract_type, "ends_on": stored.ends_on}
            note_changes(result, self.kind, current, stored.id)

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        found = index.extra
        by_id = {placement.id: placement for placement in found["placements"].values()}
        created = [{"organisation_id": scope.organisation_id, **found["resolved"][result.row],
                    "modality": result.values["modality"], "contract_type": result.values["contract_type"],
                    "starts_on": result.values["starts_on"], "ends_on": result.values.get("ends_on")}
                   for result in results if result.action == CREATE]
        if created:
            session.execute(insert(Placement), created)
        for result in results:
            ids = found["resolved"].get(result.row)
            if result.action == UPDATE:
                placement = by_id[result.match_id]
                for role, (_old, new) in result.changes.items():
                    if role in ("company_siret", "siae_siret"):
                        column = role.replace("siret", "id")
                        setattr(placement, column, ids[column])
                    else:
                        setattr(placement, role, new)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        query = (select(Placement, Participant.code, Participant.last_name, Participant.first_name,
                        Participant.birth_on, Tender.reference, Lot.number, Company.siret, Siae.siret)
                 .join(Participant, Placement.participant_id == Participant.id)
                 .join(Lot, Placement.lot_id == Lot.id).join(Tender, Lot.tender_id == Tender.id)
                 .outerjoin(Company, Placement.company_id == Company.id)
                 .outerjoin(Siae, Placement.siae_id == Siae.id)
                 .where(Placement.organisation_id == scope.organisation_id)
                 .order_by(Tender.reference, Lot.number, Participant.last_name, Participant.first_name,
                           Placement.starts_on, Placement.id))
        for placement, code, last, first, born, reference, number, company, siae in session.execute(query):
            yield {"participant_code": code, "last_name": last, "first_name": first, "birth_on": born,
                   "tender_reference": reference, "lot_number": number, "company_siret": company or "",
                   "siae_siret": siae or "", "modality": placement.modality, "contract_type": placement.contract_type,
                   "starts_on": placement.starts_on, "ends_on": placement.ends_on}


def placed_person(values: dict[str, object], people: People, problems: list[str]) -> Person | None:
    """Return the person a line names (code, or name and birth date), or say why not (placements, hours)."""
    last, first, born = values.get("last_name"), values.get("first_name"), values.get("birth_on")
    named = people.by_key.get(person_key(last, first, born)) if last and first else None
    if code := values.get("participant_code"):
        person = people.coded(code)
        if person is None:
            problems.append(f"Personne inconnue : code Clausier « {code} » absent de vos participants ; importez "
                            "d'abord les participants, ou corrigez le code.")
        elif named is not None and named.id != person.id:
            problems.append(f"Le code {code} désigne {person.described()}, mais le nom et la date de naissance "
                            f"désignent {named.described()} : corrigez l'un ou l'autre.")
            return None
        return person
    if not (last and first) and (full_name := values.get("full_name")):
        return _person_by_full_name(str(full_name), born, people, problems)
    if not (last and first):
        problems.append("Personne non indiquée : donnez le code Clausier, ou le nom, le prénom et la date de naissance.")
        return None
    if named is None:
        close = people.close_to(last, first, born)
        hint = f" ({'; '.join(suggestion(person) for person in close)})" if close else ""
        problems.append(f"Personne inconnue ({_named(values)}) : importez d'abord les participants{hint}.")
    return named


def _person_by_full_name(full_name: str, born: date | None, people: People, problems: list[str]) -> Person | None:
    found = people.named(full_name, born)
    if len(found) == 1:
        return found[0]
    when = f", né(e) le {born:%d/%m/%Y}" if born else ""
    if found:
        listed = "; ".join(person.described() for person in found[:3])
        problems.append(f"« {full_name}{when} » peut désigner plusieurs participants ({listed}) : séparez le nom et "
                        "le prénom en deux colonnes, ou donnez le code Clausier.")
        return None
    words = full_name.split()
    close = people.close_to(words[0], " ".join(words[1:]), born) if len(words) > 1 else []
    hint = f" ({'; '.join(suggestion(person) for person in close)})" if close else ""
    problems.append(f"Personne inconnue (« {full_name} »{when}) : importez d'abord les participants{hint}.")
    return None


def lot_of(values: dict[str, object], found: dict, problems: list[str]) -> tuple[int, int | None] | None:
    """Return (lot id, awarded company id) of the line's tender and lot number, or say why not."""
    reference = values["tender_reference"]
    tenders = found["tenders"].get(label_key(reference), [])
    if len(tenders) != 1:
        problems.append(f"Marché « {reference} » inconnu : importez d'abord les marchés, ou corrigez la référence."
                        if not tenders else
                        f"Plusieurs marchés portent la référence « {reference} » : rendez-la unique dans Clausier.")
        return None
    lots = found["lots"].get(tenders[0], {})
    number = values.get("lot_number")
    listed = ", ".join(str(n) for n in sorted(lots)) or "aucun"
    if number is None:
        if len(lots) == 1:
            return next(iter(lots.values()))
        problems.append(f"Marché « {reference} » : indiquez le n° de lot (lots : {listed})."
                        if lots else f"Marché « {reference} » sans lot : créez d'abord ses lots.")
        return None
    if number not in lots:
        problems.append(f"Marché « {reference} » sans lot n° {number} (lots : {listed}).")
        return None
    return lots[number]


register([ParticipantStore(), PlacementStore()])
