"""Tenders with their lots, and partnership conventions: their columns and the rules their lines share.

A tenders file has one line per lot; the tender's own columns are repeated on each line of its
lots, or written on the first one only (a hand-made workbook often leaves the rest blank).
``group_tender_lines`` checks that the lines of one tender agree and gathers its values.
The buyer, the winning company and a convention's party are read as written (a name or a
SIRET): the stores resolve them against the organisation's records.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.dataimport.kinds import BOOL, DATE, DECIMAL, ENUM, INT, SIRET, TEXT, Field, Kind
from app.domain.dataimport.rows import ERROR, RowResult, shown
from app.domain.enums import ConventionStatus, LegalInstrument, PartyKind, Procedure, SiaeKind, TenderStatus
from app.domain.numbers import NumberInputError, cents_to_euros, euros_to_cents, parse_decimal_fr
from app.domain.sheetmap import cell_text, label_key

# Other tools' spellings, folded as cells are (« Art. L2112-2 » → « art l2112 2 »); Clausier's own
# codes and labels are understood without them. Old code numbers: art. 38 (execution), 36 (reserved),
# 30 (insertion), 53 (award criterion) of the 2016 decree, still in many registers.
PROCEDURE_ALIASES = {
    "ao": "aoo", "ao ouvert": "aoo", "appel d'offres": "aoo", "appel d'offre ouvert": "aoo",
    "aor": "aor", "ao restreint": "aor", "pa": "mapa", "procedure adaptee": "mapa",
    "marche a procedure adaptee": "mapa", "marche adapte": "mapa", "mapa": "mapa",
    "negociee": "negociee", "procedure negociee": "negociee", "pn": "negociee", "marche negocie": "negociee",
    "dialogue competitif": "dialogue", "dc": "dialogue",
}
INSTRUMENT_ALIASES = {
    "clause d'execution": "clause_execution", "clause execution": "clause_execution", "execution": "clause_execution",
    "l2112 2": "clause_execution", "art l2112 2": "clause_execution", "article l2112 2": "clause_execution",
    "art 38": "clause_execution", "article 38": "clause_execution", "clause sociale": "clause_execution",
    "clause d'insertion": "clause_execution", "critere": "critere_attribution",
    "critere d'attribution": "critere_attribution", "l2152 7": "critere_attribution",
    "art l2152 7": "critere_attribution", "art 53": "critere_attribution",
    "execution et critere": "execution_et_critere", "clause et critere": "execution_et_critere",
    "reserve siae": "reserve_siae", "marche reserve siae": "reserve_siae", "marche reserve": "reserve_siae",
    "l2113 13": "reserve_siae", "art l2113 13": "reserve_siae", "art 36": "reserve_siae",
    "reserve ea esat": "reserve_ea_esat", "l2113 12": "reserve_ea_esat", "art l2113 12": "reserve_ea_esat",
    "marche d'insertion": "marche_insertion", "r2123 1": "marche_insertion", "art r2123 1": "marche_insertion",
    "art 30": "marche_insertion", "marche de qualification": "marche_insertion",
}
TENDER_STATUS_ALIASES = {
    "notifie": "attribue", "attribue": "attribue", "en cours": "execution", "en cours d'execution": "execution",
    "execution": "execution", "termine": "clos", "solde": "clos", "cloture": "clos", "clos": "clos",
    "acheve": "clos", "infructueux": "abandonne", "sans suite": "abandonne", "abandon": "abandonne",
    "en consultation": "publie", "publication": "publie", "a venir": "repere", "prevu": "repere",
    "en preparation": "etude",
}
PARTY_ALIASES = {
    "acheteur": "acheteur", "acheteur public": "acheteur", "maitre d'ouvrage": "acheteur", "moa": "acheteur",
    "donneur d'ordre": "acheteur", "collectivite": "acheteur", "bailleur": "acheteur",
    "entreprise": "entreprise", "attributaire": "entreprise", "titulaire": "entreprise", "ent": "entreprise",
    "siae": "siae", "structure d'insertion": "siae", "structure": "siae", "iae": "siae",
    **{member.value.lower(): "siae" for member in SiaeKind},
}
CONVENTION_STATUS_ALIASES = {
    "signee": "signee", "en cours": "signee", "active": "signee", "en vigueur": "signee", "valide": "signee",
    "echue": "echue", "terminee": "echue", "expiree": "echue", "resiliee": "echue", "close": "echue",
    "envoyee": "envoyee", "en signature": "envoyee", "en attente de signature": "envoyee",
    "a signer": "envoyee", "brouillon": "brouillon", "projet": "brouillon", "en preparation": "brouillon",
    "annulee": "annulee", "abandonnee": "annulee",
}

_HOURS_UNIT = re.compile(r"\s*(h|hr|hrs|heure|heures)\.?$", re.IGNORECASE)
_MAX_HOURS = 10_000_000


def read_whole_hours(field_: Field, raw: object) -> tuple[object, str | None]:
    """Return a number of hours a lot requires (« 1 200 h », 1200, « 1 200 heures »), as whole hours."""
    text = raw if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) else \
        _HOURS_UNIT.sub("", cell_text(raw)[:40])
    try:
        hours = parse_decimal_fr(text, label=field_.label)
    except (NumberInputError, ValueError, ArithmeticError):
        hours = None
    if hours is None or not hours.is_finite():
        return None, (f"{field_.label} « {cell_text(raw)[:30]} » : nombre d'heures non compris "
                      "(exemples : 1200, 1 200 h).")
    if hours != hours.to_integral_value() or not 0 <= hours <= _MAX_HOURS:
        return None, f"{field_.label} « {cell_text(raw)[:30]} » : indiquez un nombre entier d'heures, positif."
    return int(hours), None


# The tender's columns; a lot's columns follow. Roles are the Tender's columns, except the buyer
# (its name or SIRET as written) and the amount (euros, stored in cents). A new tender needs its
# buyer and object (NEW_TENDER_NEEDS), on one of its lines: a stored one is found by reference alone.
TENDER_FIELDS = (
    Field("reference", "Référence du marché", TEXT, True, (
        "reference", "ref", "ref marche", "n du marche", "numero du marche", "n marche", "numero de marche",
        "reference marche", "identifiant du marche", "num marche"), 80),
    Field("buyer", "Acheteur", TEXT, False, (
        "acheteur", "nom de l'acheteur", "maitre d'ouvrage", "donneur d'ordre", "pouvoir adjudicateur",
        "siret acheteur", "siret de l'acheteur", "moa")),
    Field("object", "Objet du marché", TEXT, False, (
        "objet", "objet du marche", "intitule du marche", "intitule", "libelle du marche", "objet marche"), 500),
    Field("cpv", "Code CPV", TEXT, False, ("cpv", "code cpv"), 12),
    Field("procedure", "Procédure", ENUM, False, ("procedure", "type de procedure", "procedure de passation",
                                                  "mode de passation"),
          enum=Procedure, aliases=PROCEDURE_ALIASES),
    Field("legal_instrument", "Instrument juridique", ENUM, False, (
        "instrument", "instrument juridique", "type de clause", "dispositif", "clause", "fondement juridique",
        "outil juridique"), enum=LegalInstrument, aliases=INSTRUMENT_ALIASES),
    Field("amount", "Montant du marché (€ HT)", DECIMAL, False, (
        "montant", "montant du marche", "montant ht", "montant du marche ht", "montant total", "montant global",
        "montant marche")),
    Field("is_framework", "Accord-cadre", BOOL, False, ("accord cadre", "ac", "est un accord cadre")),
    Field("notified_on", "Date de notification", DATE, False, ("notification", "date notification", "date notif",
                                                               "notifie le", "date de notif")),
    Field("starts_on", "Date de début", DATE, False, ("debut", "date debut", "date de debut", "debut d'execution",
                                                      "date de commencement", "demarrage")),
    Field("ends_on", "Date de fin", DATE, False, ("fin", "date fin", "date de fin", "fin d'execution",
                                                  "date d'achevement", "echeance")),
    Field("status", "Statut du marché", ENUM, False, ("statut", "etat", "etat du marche", "situation",
                                                      "statut marche"),
          enum=TenderStatus, aliases=TENDER_STATUS_ALIASES),
    Field("abandon_reason", "Motif d'abandon", TEXT, False, ("motif d'abandon", "raison de l'abandon"), 300),
)
LOT_FIELDS = (
    Field("lot_number", "N° de lot", INT, False, ("lot", "n lot", "n de lot", "numero de lot", "numero du lot",
                                                  "no lot", "num lot"), default=1),
    Field("lot_label", "Intitulé du lot", TEXT, False, ("intitule du lot", "objet du lot", "libelle du lot",
                                                        "designation du lot", "lot intitule", "libelle lot"), 300),
    Field("trade", "Corps d'état", TEXT, False, ("corps d'etat", "corps de metier", "metier", "specialite",
                                                 "lot technique"), 120),
    Field("lot_amount", "Montant du lot (€ HT)", DECIMAL, False, ("montant du lot", "montant lot",
                                                                   "montant du lot ht", "montant lot ht")),
    Field("hours_required", "Heures d'insertion exigées", read_whole_hours, False, (
        "heures", "heures d'insertion", "heures exigees", "nombre d'heures", "volume d'heures",
        "heures d'insertion exigees", "heures minimum", "nb heures", "heures a realiser", "objectif d'heures")),
    Field("hours_max", "Heures au maximum", read_whole_hours, False, (
        "heures max", "heures maximum", "heures au maximum", "heures maxi", "nb heures max")),
    Field("is_conditional", "Tranche conditionnelle", BOOL, False, ("conditionnel", "tranche conditionnelle",
                                                                     "lot conditionnel")),
    Field("company_siret", "SIRET de l'attributaire", SIRET, False, (
        "siret", "siret attributaire", "siret titulaire", "siret du titulaire", "siret de l'entreprise",
        "siret entreprise", "attributaire siret", "n siret titulaire")),
)
NEW_TENDER_NEEDS = ("buyer", "object")
TENDER_ROLES = frozenset(item.role for item in TENDER_FIELDS)
LOT_ROLES = frozenset(item.role for item in LOT_FIELDS)
AMOUNT_ROLES = ("amount", "lot_amount")

TENDERS = Kind("tenders", "Marchés et lots", TENDER_FIELDS + LOT_FIELDS, ("reference", "lot_number"))

CONVENTIONS = Kind("conventions", "Conventions de partenariat", (
    Field("reference", "Référence de la convention", TEXT, True, (
        "reference", "ref", "numero", "n convention", "numero de la convention", "reference convention"), 40),
    Field("party_kind", "Type de partenaire", ENUM, True, ("type de partenaire", "type", "partie",
                                                          "type partenaire", "categorie de partenaire"),
          enum=PartyKind, aliases=PARTY_ALIASES),
    Field("party", "Partenaire", TEXT, True, ("partenaire", "siret du partenaire", "siret partenaire",
                                              "signataire structure", "cocontractant", "nom du partenaire")),
    Field("object", "Objet", TEXT, False, ("objet", "objet de la convention", "intitule"), 3000),
    Field("starts_on", "Date de début", DATE, True, ("debut", "date debut", "date de debut", "date d'effet",
                                                     "du")),
    Field("ends_on", "Date de fin", DATE, True, ("fin", "date fin", "date de fin", "echeance", "au",
                                                 "date d'echeance")),
    Field("status", "Statut", ENUM, False, ("statut", "etat", "situation"), enum=ConventionStatus,
          aliases=CONVENTION_STATUS_ALIASES),
    Field("party_signatory_name", "Signataire du partenaire", TEXT, False, (
        "signataire", "signataires", "signataire partenaire", "represente par")),
    Field("party_signatory_role", "Qualité du signataire", TEXT, False, ("qualite", "fonction du signataire",
                                                                         "qualite du signataire")),
    Field("facilitator_signatory_name", "Signataire pour la structure", TEXT, False, (
        "signataire plie", "signataire facilitateur", "signataire pour la structure")),
    Field("facilitator_signatory_role", "Qualité du signataire de la structure", TEXT, False, (
        "qualite signataire plie", "fonction signataire facilitateur")),
    Field("is_fse_funded", "Financement FSE+", BOOL, False, ("fse", "fse+", "financement fse", "cofinancement fse",
                                                             "finance fse")),
    Field("fse_operation", "Opération FSE+", TEXT, False, ("operation fse", "n operation fse",
                                                           "operation fse+", "numero operation fse"), 200),
    Field("tenders", "Marchés couverts", TEXT, False, ("marches", "marches couverts", "references des marches",
                                                      "perimetre", "marches concernes"), 2000),
), ("reference",))


def split_references(text: object) -> list[str]:
    """Return the references a cell lists (separated by ; or ,), each once, in the file's order."""
    seen: dict[str, str] = {}
    for part in re.split(r"[;,\n]", cell_text(text)):
        if part.strip():
            seen.setdefault(label_key(part), part.strip())
    return list(seen.values())


@dataclass
class TenderLines:
    """The lines of one tender in the file: the first, and the tender's values gathered from all."""

    first: RowResult
    values: dict[str, object] = field(default_factory=dict)
    rows: list[RowResult] = field(default_factory=list)


def tender_key(values: dict[str, object]) -> str:
    """Return the folded reference that identifies a tender within the organisation."""
    return label_key(values.get("reference"))


def group_tender_lines(results: list[RowResult]) -> dict[str, TenderLines]:
    """Gather the lines of each tender; a line that contradicts its tender's first lines becomes an error.

    Amounts are brought to the cent, as stored, so that « 1 234,5 » and 1234.50 compare equal.
    """
    tenders: dict[str, TenderLines] = {}
    for result in results:
        if result.action == ERROR or "reference" not in result.values:
            continue
        _to_cents(result)
        if result.action == ERROR:
            continue
        lines = tenders.setdefault(tender_key(result.values), TenderLines(result))
        clashes = [role for role in TENDER_ROLES & result.values.keys() & lines.values.keys()
                   if _compared(role, lines.values[role]) != _compared(role, result.values[role])]
        if clashes:
            field_ = TENDERS.field(sorted(clashes)[0])
            result.action = ERROR
            result.reasons.append(
                f"Les lignes du marché « {cell_text(result.values['reference'])} » ne s'accordent pas : "
                f"{field_.label} « {cell_text(shown(result.values[field_.role]))} » ici, "
                f"« {cell_text(shown(lines.values[field_.role]))} » à la ligne {lines.first.row}. "
                "Corrigez le fichier pour que chaque ligne du marché dise la même chose.")
            continue
        for role in TENDER_ROLES & result.values.keys():
            lines.values.setdefault(role, result.values[role])
        lines.rows.append(result)
    return tenders


def _compared(role: str, value: object) -> object:
    return label_key(value) if role == "buyer" else shown(value)


_MAX_EUROS = Decimal(10) ** 12
_MAX_LOT = 9999


def _to_cents(result: RowResult) -> None:
    for role in AMOUNT_ROLES:
        if role in result.values:
            label, amount = TENDERS.field(role).label, result.values[role]
            if not 0 <= amount <= _MAX_EUROS:
                result.action = ERROR
                result.reasons.append(f"{label} « {cell_text(amount)[:30]} » : indiquez un montant positif, "
                                      "en euros hors taxes.")
                continue
            result.values[role] = cents_to_euros(euros_to_cents(amount))
    if not 1 <= result.values.get("lot_number", 1) <= _MAX_LOT:
        result.action = ERROR
        result.reasons.append(f"N° de lot « {result.values['lot_number']} » : un numéro de lot va de 1 à {_MAX_LOT}.")


def has_lot_columns(values: dict[str, object]) -> bool:
    """Tell whether a line says something of a lot beyond its number (else it may be the tender alone)."""
    return any(role in values for role in LOT_ROLES - {"lot_number"}) or values.get("lot_number", 1) != 1
