"""Clause drafting on a tender: compute each lot's hours, keep the calculation, generate the pack."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import Scope
from app.domain.clauses import reference as defaults
from app.domain.clauses.reference import find_labour_share, nearest_labour_shares
from app.domain.clauses.obligation import EU_THRESHOLDS, OBLIGATION_FROM, infer_nature
from app.domain.clauses.pack import ClauseInputError, SocialConditionRefused
from app.domain.clauses.request import parse_clause_input
from app.domain.clauses.hours import HoursInputError, plain_decimal
from app.domain.clauses.lot_input import LotHours, compute_lot_hours
from app.domain.enums import BuyerKind
from app.domain.formats import format_date_fr, format_money
from app.domain.numbers import NumberInputError, parse_decimal_fr
from app.models import ClausePack, Lot, LotCalculation, Organisation, Tender, User
from app.services.clauses.reference import ensure_reference_data, labour_share_for, labour_shares, param_on
from app.services.referential import ServiceError

# The fields each method reads (names of the clause-pack JSON input, see docs/clause-render-input.md).
METHOD_FIELDS = {
    "standard": ("amount", "labour_share", "rate", "hourly_cost"),
    "framework": ("min_amount", "max_amount", "years", "labour_share", "rate", "hourly_cost"),
    "tranche": ("invoiced", "euros_per_hour", "threshold", "count"),
    "cleaning": ("revenue", "months", "transferred_hours_per_month", "rate"),
    "bands": ("amount", "bands"),
}
METHOD_LABELS = {
    "standard": "Standard : montant × part de main-d'œuvre × taux ÷ coût horaire",
    "framework": "Accord-cadre : montants minimum et maximum, par année",
    "tranche": "Une heure par tranche de N € facturés",
    "cleaning": "Propreté (P.A.C.T. Propreté, coefficient 25)",
    "bands": "Barème par tranches de montant",
}
# Details keys of a result that hold the reference values a calculation used.
RESOLVED = {"labour_share": "part_main_oeuvre_pct", "rate": "taux_insertion_pct", "hourly_cost": "cout_horaire_eur"}


@dataclass
class LotOutcome:
    """One lot on the calculator page: what was typed, and the result or the error."""

    lot: Lot
    fields: dict
    result: LotHours | None = None
    error: str = ""
    saved: LotCalculation | None = None
    warnings: list[str] = field(default_factory=list)


def _fr(value) -> str:
    return plain_decimal(value).replace(".", ",")


def references_on(session: Session, organisation_id: int, on: date):
    """Return the labour shares, hourly cost and insertion rate in force on a date."""
    ensure_reference_data(session, organisation_id)
    return (tuple(labour_shares(session)),
            param_on(session, "cout_horaire", on) or defaults.DEFAULT_HOURLY_COST,
            param_on(session, "taux_insertion", on) or defaults.DEFAULT_INSERTION_RATE)


def latest_calculation(session: Session, lot_id: int) -> LotCalculation | None:
    """Return the lot's most recent saved calculation."""
    return session.scalars(select(LotCalculation).where(LotCalculation.lot_id == lot_id)
                           .order_by(LotCalculation.id.desc()).limit(1)).first()


def lot_defaults(session: Session, tender: Tender, lot: Lot, on: date) -> dict:
    """Return the calculator fields of a lot: its last saved inputs, else the reference defaults."""
    saved = latest_calculation(session, lot.id)
    if saved is not None:
        return dict(saved.inputs)
    share = labour_share_for(session, trade=lot.trade, cpv=tender.cpv, on=on)
    _shares, cost, rate = references_on(session, tender.organisation_id, on)
    fields = {"method": "framework" if tender.is_framework else "standard", "amount": _fr(lot.amount),
              "max_amount": _fr(lot.amount), "rate": _fr(rate.value), "hourly_cost": _fr(cost.value)}
    if share is not None:
        fields["labour_share"] = _fr(share.share_pct)
    return fields


def domain_fields(fields: dict, lot: Lot, references) -> dict:
    """Turn the typed fields into compute_lot_hours' input; values equal to a default keep its source."""
    method = fields.get("method") or "standard"
    if method not in METHOD_FIELDS:
        raise HoursInputError("Méthode de calcul inconnue : choisissez-en une dans la liste.")
    block = {"type": method}
    for name in METHOD_FIELDS[method]:
        value = (fields.get(name) or "").strip()
        if value:
            block[name] = value
    shares, cost, rate = references
    share = find_labour_share(trade=lot.trade, cpv=lot.tender.cpv, shares=shares)
    # A pre-filled default left as is is a reference value, not a typed one: let the
    # calculation look it up so the note de calcul names its source.
    for name, reference in (("rate", rate.value), ("hourly_cost", cost.value)):
        if name in block and _same(block[name], reference):
            del block[name]
    if "labour_share" in block and share is not None and _same(block["labour_share"], share.share_pct):
        del block["labour_share"]
    return {"trade": lot.trade, "method": block}


def _same(typed: str, value) -> bool:
    try:
        return parse_decimal_fr(typed) == value
    except NumberInputError:
        return False


def _capitalised(message: str) -> str:
    return message[:1].upper() + message[1:]


def _missing_share(lot: Lot, shares) -> str:
    """Say that the lot's trade has no labour share, and propose the nearest trades of the référentiel."""
    if not lot.trade:
        return ("Part de main-d'œuvre manquante : le lot n'indique pas de métier et le code CPV du marché "
                "n'en désigne aucun du référentiel. Choisissez le métier sur la fiche du lot, ou saisissez "
                "la part de main-d'œuvre ci-contre.")
    nearest = nearest_labour_shares(lot.trade, shares)
    proposal = (" Métiers proches : " + " ; ".join(f"{share.label} ({_fr(share.share_pct)} %)" for share in nearest)
                + "." if nearest else "")
    return (f"Part de main-d'œuvre manquante : le métier « {lot.trade} » ne figure pas au référentiel.{proposal} "
            "Choisissez le métier sur la fiche du lot, ou saisissez la part de main-d'œuvre ci-contre.")


def calculate(session: Session, tender: Tender, typed: dict[int, dict], on: date) -> list[LotOutcome]:
    """Compute every lot of a tender from the typed fields (nothing is saved)."""
    references = references_on(session, tender.organisation_id, on)
    shares, cost, rate = references
    outcomes = []
    for lot in tender.lots:
        fields = typed.get(lot.id) or lot_defaults(session, tender, lot, on)
        outcome = LotOutcome(lot, fields)
        try:
            outcome.result = compute_lot_hours(domain_fields(fields, lot, references), tender.cpv,
                                               labour_shares=shares, hourly_cost=cost, insertion_rate=rate)
        except HoursInputError as exc:
            outcome.error = _missing_share(lot, shares) if exc.field == "labour_share" else _capitalised(str(exc))
        outcomes.append(outcome)
    return outcomes


def save_calculations(session: Session, scope: Scope, tender: Tender, outcomes: list[LotOutcome]) -> None:
    """Keep each lot's calculation with the values and sources it used; set the lots' hours."""
    errors = [f"Lot {o.lot.number} : {o.error}" for o in outcomes if o.error]
    if errors:
        raise ServiceError("Rien n'a été enregistré. " + " ".join(errors))
    for outcome in outcomes:
        result = outcome.result.result
        used = {name: outcome.result.result.details[key] for name, key in RESOLVED.items() if key in result.details}
        outcome.saved = LotCalculation(
            organisation_id=scope.organisation_id, lot_id=outcome.lot.id, method=outcome.result.method,
            inputs=dict(outcome.fields), references={"sources": dict(outcome.result.sources), "values": used,
                                                      "rule": outcome.result.rule},
            hours=result.hours, hours_exact=plain_decimal(result.hours_exact), details=dict(result.details),
            warnings=list(result.warnings), created_by_id=scope.user_id)
        session.add(outcome.saved)
        frame = outcome.result.framework
        # An accord-cadre commits to its minimum; the maximum is kept beside it, never summed.
        outcome.lot.hours_required = frame.total_min_hours if frame is not None else result.hours
        outcome.lot.hours_max = frame.total_max_hours if frame is not None else None
        # Hours per invoiced tranche above a trigger threshold are due once it is reached; the lot
        # waits as « conditionnel » until someone says so on the lot's form.
        outcome.lot.is_conditional = outcome.result.method == "tranche" and "seuil_declenchement_eur" in result.details
    session.flush()


@dataclass(frozen=True)
class PackOptions:
    """What the user chose for the clause pack beyond the lots' calculations."""

    instrument: str
    lot_ids: tuple[int, ...]
    facilitator_name: str
    facilitator_email: str
    facilitator_phone: str
    penalty_per_missing_hour: str
    penalty_per_day_late: str
    globalisation_allowed: bool = False
    weighting: str = ""
    subcriteria: tuple[tuple[str, str], ...] = ()
    article_number: str = ""
    with_pdf: bool = False
    tender_nature: str = ""
    buyer_category: str = ""
    launch_date: date | None = None
    social_condition_derogation: str = ""


def pack_request(session: Session, tender: Tender, options: PackOptions) -> dict:
    """Build the clause-pack input (the CLI's JSON schema) from the tender and saved calculations."""
    organisation = session.get(Organisation, tender.organisation_id)
    lots = []
    missing = []
    for lot in tender.lots:
        if lot.id not in options.lot_ids:
            continue
        saved = latest_calculation(session, lot.id)
        if saved is None:
            missing.append(str(lot.number))
            continue
        block = {"type": saved.method, **{k: v for k, v in saved.inputs.items()
                                          if k in METHOD_FIELDS.get(saved.method, ()) and v}}
        block.update({name: value for name, value in saved.references.get("values", {}).items()
                      if name in METHOD_FIELDS.get(saved.method, ())})
        lots.append({"number": str(lot.number), "label": lot.label, "trade": lot.trade, "method": block,
                     "sources": saved.references.get("sources", {})})
    if missing:
        raise ServiceError(f"Calculez et enregistrez d'abord les heures du ou des lots {', '.join(missing)}.")
    if not lots:
        raise ServiceError("Choisissez au moins un lot.", "lot_ids")
    data = {
        "buyer": {"name": tender.buyer.name},
        "tender": {"reference": tender.reference, "object": tender.object, "cpv": tender.cpv},
        "instrument": options.instrument,
        "facilitator": {"name": options.facilitator_name, "email": options.facilitator_email,
                        "phone": options.facilitator_phone, "organisation": organisation.name},
        "penalty_per_missing_hour": options.penalty_per_missing_hour,
        "penalty_per_day_late": options.penalty_per_day_late,
        "globalisation_allowed": options.globalisation_allowed,
        "lots": lots,
    }
    if options.weighting:
        data["criterion"] = {"weighting": options.weighting,
                             "subcriteria": [{"label": label, "weighting": weight} for label, weight in options.subcriteria]}
    if options.article_number:
        data["article_number"] = options.article_number
    if options.tender_nature:
        data["tender"]["nature"] = options.tender_nature
    if options.buyer_category:
        data["buyer"]["category"] = options.buyer_category
    if options.launch_date:
        data["tender"]["launch_date"] = options.launch_date.isoformat()
    if options.social_condition_derogation.strip():
        data["social_condition_derogation"] = options.social_condition_derogation.strip()
    return data


def request_clause_pack(session: Session, scope: Scope, tender: Tender, options: PackOptions) -> ClausePack:
    """Check the pack's input now (French problems) and record the pack; the caller starts the job."""
    data = pack_request(session, tender, options)
    try:
        parse_clause_input(data)
    except SocialConditionRefused as exc:
        raise ServiceError(f"{exc.statement} Le motif se saisit dans le champ « Motif de dérogation » ; la note "
                           "de calcul le reprendra.", "social_condition_derogation") from None
    except ClauseInputError as exc:
        raise ServiceError(" ".join(exc.problems)) from None
    pack = ClausePack(organisation_id=scope.organisation_id, tender_id=tender.id, instrument=options.instrument,
                      request={**data, "with_pdf": options.with_pdf}, created_by_id=scope.user_id)
    # The clause written for the DCE decides whether the tender's lots pool their hours.
    tender.globalisation_allowed = options.globalisation_allowed
    session.add(pack)
    session.flush()
    return pack


# Which EU threshold applies to a buyer: the State's central bodies have the lowest one for supplies
# and services, network operators (entités adjudicatrices) the highest.
BUYER_CATEGORY_BY_KIND = {BuyerKind.ETAT: "etat", BuyerKind.ENTREPRISE_PUBLIQUE: "entite_adjudicatrice"}


def social_condition_defaults(tender: Tender, today: date) -> dict:
    """Return the pack form's defaults for the 2026 check: nature from the CPV, buyer category, launch date."""
    return {"tender_nature": infer_nature(tender.cpv) if tender.cpv else "services",
            "buyer_category": BUYER_CATEGORY_BY_KIND.get(tender.buyer.kind, "collectivite"),
            "launch_date": tender.planned_publication_on or today}


def social_condition_hint(today: date) -> str:
    """Return one sentence on the 2026 obligation and the EU thresholds in force ``today``."""
    current = [t for t in EU_THRESHOLDS if t.valid_from <= today <= t.valid_until]
    works = next((t for t in current if t.nature == "travaux"), None)
    services = sorted(t.amount for t in current if t.nature != "travaux")
    if works is None or not services:
        return ("Au-dessus des seuils européens, une condition d'exécution sociale est obligatoire : vérifiez "
                "les seuils en vigueur.")
    return (f"Pour une consultation lancée depuis le {format_date_fr(OBLIGATION_FROM, 'long')}, un marché "
            f"dont le montant estimé atteint le seuil européen (travaux : {format_money(works.amount)} HT ; "
            f"fournitures et services : de {format_money(services[0])} à {format_money(services[-1])} HT "
            "selon l'acheteur) comporte une condition d'exécution sociale, sauf dérogation motivée par "
            "l'acheteur. Un critère d'attribution seul ne suffit pas.")


def facilitator_defaults(session: Session, scope: Scope, on: date) -> dict:
    """Return the pack form's defaults: the signed-in facilitator and the dated penalties."""
    user = session.get(User, scope.user_id)
    ensure_reference_data(session, scope.organisation_id)
    penalty = param_on(session, "penalite_heure", on) or defaults.PENALTY_PER_MISSING_HOUR
    late = param_on(session, "penalite_jour_retard", on) or defaults.PENALTY_PER_DAY_LATE
    return {"facilitator_name": user.full_name if user else "", "facilitator_email": user.email if user else "",
            "penalty_per_missing_hour": _fr(penalty.value), "penalty_per_day_late": _fr(late.value)}
