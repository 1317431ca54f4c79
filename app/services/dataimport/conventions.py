"""Partnership conventions from a file, one line each: matched by reference, as the form saves them.

The party is found among the organisation's buyers, companies or SIAE (by SIRET, or by name)
and its name, SIRET and address are copied as the form copies them; the covered tenders must
exist. A convention is created with the status the file gives (past conventions arrive signed
or ended); a stored one changes only while it is a draft, and its status only on its page,
where sending and signing have their own checks.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.dataimport import CREATE, UPDATE, RowResult, natural_key
from app.domain.dataimport.tenders import CONVENTIONS, split_references
from app.domain.enums import ConventionStatus, PartyKind
from app.domain.sheetmap import label_key
from app.models import Buyer, Company, Convention, Siae, Tender
from app.services.actors import actor_for
from app.services.dataimport.lookup import Directory
from app.services.dataimport.stores import Index, Store, note_changes, refuse, register
from app.services.liaison.conventions import EDITABLE, check_dates, is_fse_funded, record_status, set_party
from app.services.referential import ServiceError

_PARTIES = {PartyKind.ACHETEUR: (Buyer, "buyer_id", "l'acheteur", "acheteurs"),
            PartyKind.ENTREPRISE: (Company, "company_id", "l'entreprise", "entreprises"),
            PartyKind.SIAE: (Siae, "siae_id", "la SIAE", "SIAE")}
# Text columns copied as read; the party, dates, status, tenders and FSE+ flag have their own rules.
_TEXTS = ("object", "party_signatory_name", "party_signatory_role", "facilitator_signatory_name",
          "facilitator_signatory_role", "fse_operation")


@dataclass
class Resolved:
    """What one line points at: its party's row and the tenders it covers."""

    party: object
    tenders: list[Tender]


class ConventionStore(Store):
    """Conventions, one line each."""

    kind = CONVENTIONS

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        org = scope.organisation_id
        found = Index()
        for party_kind, (model, _column, singular, plural) in _PARTIES.items():
            found.extra[party_kind] = Directory.load(session, org, model, singular, plural)
        found.extra["tenders"] = {label_key(tender.reference): tender for tender in session.scalars(
            select(Tender).where(Tender.organisation_id == org).options(selectinload(Tender.operation)))}
        for convention in _conventions(session, org):
            key = natural_key({"reference": convention.reference}, self.kind)
            if key is not None:
                found.records.setdefault(key, convention)
        found.extra["resolved"] = {}
        return found

    def match(self, result: RowResult, index: Index) -> None:
        values = result.values
        party, problem = index.extra[values["party_kind"]].find(values["party"])
        if problem:
            refuse(result, f"Partenaire : {problem}")
        references = split_references(values.get("tenders"))
        tenders = [index.extra["tenders"].get(label_key(reference)) for reference in references]
        if missing := [reference for reference, tender in zip(references, tenders, strict=True) if tender is None]:
            listed = ", ".join(f"« {reference} »" for reference in missing)
            refuse(result, f"Marchés couverts : {listed} "
                           + ("introuvable" if len(missing) == 1 else "introuvables")
                           + " parmi vos marchés ; importez d'abord les marchés, ou corrigez la référence.")
        try:
            check_dates(values["starts_on"], values["ends_on"])
        except ServiceError as exc:
            refuse(result, f"{exc} (début le {values['starts_on']:%d/%m/%Y}, fin le {values['ends_on']:%d/%m/%Y})")
        if result.reasons:
            return
        if "is_fse_funded" in values:  # a covered operation funded by the FSE+ makes the mention due
            values["is_fse_funded"] = is_fse_funded(values["is_fse_funded"], tenders, ())
        index.extra["resolved"][result.row] = Resolved(party, tenders)
        stored = index.records.get(natural_key(values, self.kind))
        if stored is not None:
            self._compare(result, stored, party, tenders)

    def _compare(self, result: RowResult, stored: Convention, party, tenders: list[Tender]) -> None:
        values = result.values
        _model, column, _singular, _plural = _PARTIES[stored.party_kind]
        same_party = values["party_kind"] is stored.party_kind and getattr(stored, column) == party.id
        same_tenders = {tender.id for tender in tenders} == {tender.id for tender in stored.tenders}
        current = {role: getattr(stored, role) for role in (*_TEXTS, "party_kind", "starts_on", "ends_on",
                                                            "status", "is_fse_funded")}
        current.update(reference=values["reference"],
                       party=values["party"] if same_party else (stored.party_siret or stored.party_name),
                       tenders=values.get("tenders") if same_tenders else _references(stored))
        note_changes(result, self.kind, current, stored.id)
        if result.action != UPDATE:
            return
        if "party_kind" in result.changes:
            refuse(result, f"Convention « {stored.reference} » : le type de partenaire d'une convention enregistrée "
                           "ne change pas ; créez une nouvelle convention.")
        elif "status" in result.changes:
            refuse(result, f"Convention « {stored.reference} » : « {stored.status.label} » dans Clausier, "
                           f"« {values['status'].label} » dans le fichier ; changez son statut depuis sa page "
                           "(l'envoi et la signature y ont leurs vérifications).")
        elif stored.status not in EDITABLE:
            refuse(result, f"Convention « {stored.reference} » : elle est « {stored.status.label} » et ne se modifie "
                           "plus ; repassez-la en brouillon pour la modifier.")

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        actor = actor_for(session, scope)
        for result in results:
            if result.action not in (CREATE, UPDATE):
                continue
            found: Resolved = index.extra["resolved"][result.row]
            values = result.values
            if result.action == CREATE:
                convention = Convention(organisation_id=scope.organisation_id, party_kind=values["party_kind"],
                                        status=ConventionStatus.BROUILLON, created_by_id=actor.user_id,
                                        starts_on=values["starts_on"], ends_on=values["ends_on"])
                changed = {role: value for role, value in values.items() if role not in ("status", "party_kind")}
            else:
                convention = session.get(Convention, result.match_id)
                changed = {role: new for role, (_old, new) in result.changes.items()}
            for role, value in changed.items():
                if role in (*_TEXTS, "reference", "starts_on", "ends_on"):
                    setattr(convention, role, value)
            if "party" in changed:
                set_party(convention, convention.party_kind, found.party)
            if "tenders" in changed or result.action == CREATE:
                convention.tenders = found.tenders
            if "is_fse_funded" in changed or result.action == CREATE:
                convention.is_fse_funded = is_fse_funded(values.get("is_fse_funded"), found.tenders, ())
            if result.action == CREATE:
                session.add(convention)
                status = values.get("status", ConventionStatus.BROUILLON)
                record_status(session, convention, status, actor, "Convention importée", initial=True)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        for convention in _conventions(session, scope.organisation_id):
            _model, column, _singular, _plural = _PARTIES[convention.party_kind]
            party = getattr(convention, column.removesuffix("_id"))
            yield {**{role: getattr(convention, role) for role in (*_TEXTS, "reference", "party_kind", "starts_on",
                                                                     "ends_on", "status", "is_fse_funded")},
                   "party": (party.siret or party.name) if party else (convention.party_siret or convention.party_name),
                   "tenders": _references(convention)}


def _references(convention: Convention) -> str:
    return "; ".join(tender.reference for tender in convention.tenders)


def _conventions(session: Session, organisation_id: int) -> list[Convention]:
    return session.scalars(select(Convention).where(Convention.organisation_id == organisation_id).options(
        selectinload(Convention.tenders), selectinload(Convention.buyer), selectinload(Convention.company),
        selectinload(Convention.siae)).order_by(Convention.reference, Convention.id)).all()


register([ConventionStore()])
