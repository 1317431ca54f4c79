"""Validate the JSON input of a clause pack and compute each lot's hours (docs/clause-render-input.md).

Every problem is collected, not only the first, so the facilitator fixes the file in one go.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import phonenumbers

from app.domain.clauses.texts import INSTRUMENT_ARTICLES
from app.domain.clauses.pack import (
    CRITERION_INSTRUMENTS,
    ClauseInputError,
    ClausePackRequest,
    Facilitator,
    LotClause,
    SocialConditionRefused,
    SubCriterion,
)
from app.domain.enums import LegalInstrument
from app.domain.clauses.hours import HoursInputError
from app.domain.clauses.result import to_positive
from app.domain.clauses.lot_input import compute_lot_hours
from app.domain.clauses.ccag import CCAGS, find_ccag
from app.domain.clauses.obligation import BUYER_CATEGORIES, NATURES, check_social_condition, infer_nature
from app.domain.clauses.reference import PENALTY_PER_DAY_LATE

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# How the JSON input of ``clausier clause render`` answers a refused 2026 check.
CLI_HINT = ("Dans le fichier d'entrée : instrument « execution_et_critere » ou « clause_execution », ou le "
            "motif dans « social_condition_derogation ».")


def _text(data: dict, path: str, problems: list[str], required: bool = True) -> str:
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if node is None or (isinstance(node, str) and not node.strip()):
        if required:
            problems.append(f"« {path} » : champ obligatoire manquant.")
        return ""
    if not isinstance(node, (str, int)) or isinstance(node, bool):
        problems.append(f"« {path} » : texte attendu.")
        return ""
    return str(node).strip()


# Spellings seen in the wild for the same instruments (and the article alone).
INSTRUMENT_ALIASES = {
    "clause_et_critere": LegalInstrument.EXECUTION_ET_CRITERE,
    "marche_reserve_siae": LegalInstrument.RESERVE_SIAE,
    "marche_reserve_ea_esat": LegalInstrument.RESERVE_EA_ESAT,
    **{article.split(",")[0].lower(): LegalInstrument(code)
       for code, article in INSTRUMENT_ARTICLES.items()},
}


def _instrument(value, problems: list[str]) -> LegalInstrument | None:
    wanted = str(value or "").strip().lower()
    for member in LegalInstrument:
        if wanted in (member.value, member.name.lower()):
            return member
    if wanted in INSTRUMENT_ALIASES:
        return INSTRUMENT_ALIASES[wanted]
    choices = ", ".join(member.value for member in LegalInstrument)
    reason = f"valeur « {value} » inconnue" if value else "champ obligatoire manquant"
    problems.append(f"« instrument » : {reason} (choix possibles : {choices}).")
    return None


def _phone(value: str, problems: list[str]) -> str:
    try:
        number = phonenumbers.parse(value, "FR")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        pass
    problems.append(f"« facilitator.phone » : numéro de téléphone invalide « {value} ».")
    return value


def _lots(data: dict, tender_cpv: str, problems: list[str]) -> list[LotClause]:
    raw_lots = data.get("lots")
    if not isinstance(raw_lots, list) or not raw_lots:
        problems.append("« lots » : au moins un lot est attendu (liste d'objets).")
        return []
    lots, seen = [], set()
    for index, lot in enumerate(raw_lots):
        where = f"lots[{index}]"
        if not isinstance(lot, dict):
            problems.append(f"« {where} » : objet attendu.")
            continue
        number = _text(lot, "number", [])
        label = _text(lot, "label", [])
        where += f" (lot {number})" if number else ""
        if not number:
            problems.append(f"« {where}.number » : numéro de lot manquant.")
        elif number in seen:
            problems.append(f"« {where}.number » : numéro de lot en double.")
        seen.add(number)
        if not label:
            problems.append(f"« {where}.label » : intitulé du lot manquant.")
        try:
            hours = compute_lot_hours(lot, tender_cpv)
        except HoursInputError as exc:
            # The file's author reads field names (« labour_share »); a page shows the message alone.
            problems.append(f"« {where} » : {str(exc).rstrip('.')} (champ « {exc.field} »)." if exc.field
                            else f"« {where} » : {exc}")
            continue
        inputs = {k: str(v) for k, v in {**lot, **(lot.get("method") or {})}.items()
                  if not isinstance(v, (dict, list))}
        lots.append(LotClause(number, label, hours.result, inputs, hours.sources, hours.framework,
                              hours.rule))
    return lots


def _money(data: dict, key: str, default, problems: list[str]) -> Decimal:
    value = data.get(key, default)
    if value is None:
        problems.append(f"« {key} » : champ obligatoire manquant.")
        return Decimal(0)
    try:
        return to_positive(value, key)
    except HoursInputError as exc:
        problems.append(f"« {key} » : {exc}")
        return Decimal(0)


def _criterion(data: dict, instrument: LegalInstrument | None, problems: list[str]):
    criterion = data.get("criterion") or {}
    if instrument not in CRITERION_INSTRUMENTS:
        return None, ()
    try:
        weighting = to_positive(criterion.get("weighting"), "la pondération du critère", allow_zero=False)
    except HoursInputError as exc:
        problems.append(f"« criterion.weighting » : {exc}")
        return None, ()
    if weighting > 100:
        problems.append("« criterion.weighting » : la pondération ne peut dépasser 100 %.")
    subs = []
    for index, sub in enumerate(criterion.get("subcriteria") or []):
        try:
            subs.append(SubCriterion(str(sub["label"]), to_positive(sub["weighting"], "la pondération")))
        except (KeyError, TypeError, HoursInputError) as exc:
            problems.append(f"« criterion.subcriteria[{index}] » : libellé et pondération "
                            f"attendus ({exc}).")
    if subs and sum(s.weighting for s in subs) != 100:
        problems.append("« criterion.subcriteria » : les pondérations des sous-critères, exprimées en "
                        "pourcentage du critère, doivent totaliser 100 %.")
    return weighting, tuple(subs)


def _choice(data: dict, path: str, choices, default: str, problems: list[str]) -> str:
    value = _text(data, path, problems, required=False)
    if not value:
        return default
    if value not in choices:
        problems.append(f"« {path} » : valeur « {value} » inconnue (choix possibles : {', '.join(choices)}).")
    return value


def _launch_date(data: dict, problems: list[str]) -> date:
    value = _text(data, "tender.launch_date", problems, required=False)
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"« tender.launch_date » : date invalide « {value} » (attendu : 2026-09-15).")
        return date.today()


def estimated_value(lots) -> Decimal:
    """Return the tender's estimated value: the sum of the lots' amounts (maximum of an accord-cadre)."""
    total = Decimal(0)
    for lot in lots:
        details = lot.result.details
        for key in ("montant_ht_eur", "montant_facture_eur", "chiffre_affaires_eur"):
            if key in details:
                total += Decimal(details[key])
                break
    return total


def parse_clause_input(data) -> ClausePackRequest:
    """Validate the JSON input of ``clausier clause render``: the request, or ClauseInputError listing every problem."""
    if not isinstance(data, dict):
        raise ClauseInputError(["Le fichier doit contenir un objet JSON ({ … })."])
    problems: list[str] = []
    buyer = _text(data, "buyer.name", problems)
    reference = _text(data, "tender.reference", problems)
    tender_object = _text(data, "tender.object", problems)
    cpv = _text(data, "tender.cpv", problems, required=False)
    if cpv and not re.fullmatch(r"\d{8}(-\d)?", cpv):
        problems.append(f"« tender.cpv » : code CPV invalide « {cpv} » (attendu : 45000000-7).")
    instrument = _instrument(data.get("instrument"), problems)
    name = _text(data, "facilitator.name", problems)
    email = _text(data, "facilitator.email", problems)
    if email and not EMAIL.match(email):
        problems.append(f"« facilitator.email » : adresse invalide « {email} ».")
    phone = _text(data, "facilitator.phone", problems)
    phone = _phone(phone, problems) if phone else phone
    organisation = _text(data, "facilitator.organisation", problems, required=False)
    penalty_hour = _money(data, "penalty_per_missing_hour", None, problems)
    penalty_day = _money(data, "penalty_per_day_late", PENALTY_PER_DAY_LATE.value, problems)
    weighting, subcriteria = _criterion(data, instrument, problems)
    lots = _lots(data, cpv, problems)
    derogations = data.get("ccag_derogations") or ()
    if not isinstance(derogations, (list, tuple)) or not all(isinstance(d, str) for d in derogations):
        problems.append("« ccag_derogations » : liste de phrases attendue.")
        derogations = ()
    ccag = str(data.get("ccag") or "CCAG-Travaux 2021")
    if not derogations and find_ccag(ccag) is None:
        names = ", ".join(c.name for c in CCAGS)
        problems.append(f"« ccag » : CCAG « {ccag} » inconnu (choix possibles : {names}) ; ou donnez "
                        "les dérogations dans « ccag_derogations », articles du CCAG compris.")
    globalisation = data.get("globalisation_allowed", False)
    if not isinstance(globalisation, bool):
        problems.append("« globalisation_allowed » : true ou false attendu.")
    options = {}
    for key, low, high in (("action_plan_delay_days", 1, 90), ("reporting_day", 1, 28)):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(f"« {key} » : nombre entier entre {low} et {high} attendu.")
            else:
                options[key] = value
    nature = _choice(data, "tender.nature", NATURES, infer_nature(cpv) if cpv else "services", problems)
    category = _choice(data, "buyer.category", BUYER_CATEGORIES, "collectivite", problems)
    launch = _launch_date(data, problems)
    derogation = _text(data, "social_condition_derogation", problems, required=False)
    if problems:
        raise ClauseInputError(problems)
    check = check_social_condition(instrument=instrument, estimated_value=estimated_value(lots),
                                   nature=nature, buyer_category=category, launch_date=launch,
                                   derogation=derogation)
    if check.refused:
        raise SocialConditionRefused(check.statement, CLI_HINT)
    return ClausePackRequest(
        buyer_name=buyer, tender_reference=reference, tender_object=tender_object, tender_cpv=cpv,
        instrument=instrument, facilitator=Facilitator(name, email, phone, organisation),
        lots=tuple(lots), penalty_per_missing_hour=penalty_hour, penalty_per_day_late=penalty_day,
        globalisation_allowed=globalisation,
        criterion_weighting=weighting, criterion_subcriteria=subcriteria,
        article_number=str(data.get("article_number") or "").strip(),
        ccag=ccag, ccag_derogations=tuple(derogations),
        tender_nature=nature, launch_date=launch, buyer_category=category,
        social_condition_derogation=derogation, social_condition_text=check.statement,
        **options,
    )
