"""The clause pack: legal instruments, the request a facilitator fills, and the template contexts.

``build_*_context`` return plain dicts (snake_case keys, figures already formatted the French
way) for the four DOCX templates of ``templates_docs/``; ``render_clause_pack`` renders them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.clauses import texts
from app.domain.clauses.ccag import find_ccag, standard_derogations, unsourced_articles
from app.domain.clauses.reference import UNSOURCED
from app.domain.clauses.instruments import SECTIONS
from app.domain.documents.rendering import TEMPLATES_DIR, render_docx
from app.domain.enums import LegalInstrument
from app.domain.formats import format_date_fr, format_hours, format_money, format_number
from app.domain.clauses.hours import FrameworkHoursResult, HoursResult, fte


CRITERION_INSTRUMENTS = frozenset({LegalInstrument.CRITERE_ATTRIBUTION,
                                   LegalInstrument.EXECUTION_ET_CRITERE})
RESERVED_INSTRUMENTS = frozenset({LegalInstrument.RESERVE_SIAE, LegalInstrument.RESERVE_EA_ESAT})


def legal_basis(instrument: LegalInstrument) -> str:
    """Return « article L2112-2 du Code de la commande publique » for an instrument."""
    article = texts.INSTRUMENT_ARTICLES[instrument]
    return f"{'articles' if ' et ' in article else 'article'} {article} {texts.CCP}"


class ClauseInputError(ValueError):
    """The clause pack input is invalid; ``problems`` lists every French message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Données d'entrée invalides :\n" + "\n".join(f"- {p}" for p in self.problems))


class SocialConditionRefused(ClauseInputError):
    """A criterion-only pack above the EU threshold with no derogation; ``statement`` says why."""

    def __init__(self, statement: str, hint: str) -> None:
        self.statement = statement
        super().__init__([f"{statement} {hint}"])


@dataclass(frozen=True)
class Facilitator:
    """The person who runs the clause for the buyer (PLIE, Maison de l'emploi…)."""

    name: str
    email: str
    phone: str
    organisation: str = ""


@dataclass(frozen=True)
class SubCriterion:
    """A sub-criterion of the insertion criterion, weighted in percent of the criterion."""

    label: str
    weighting: Decimal


@dataclass(frozen=True)
class LotClause:
    """One lot with its computed hours, the inputs as typed and where each value came from."""

    number: str
    label: str
    result: HoursResult
    inputs: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    framework: FrameworkHoursResult | None = None
    rule: str = ""  # contractual rule when the hours follow invoicing (tranche method)


@dataclass(frozen=True)
class ClausePackRequest:
    """Everything needed to write the clause pack of one tender."""

    buyer_name: str
    tender_reference: str
    tender_object: str
    tender_cpv: str
    instrument: LegalInstrument
    facilitator: Facilitator
    lots: tuple[LotClause, ...]
    penalty_per_missing_hour: Decimal
    penalty_per_day_late: Decimal
    globalisation_allowed: bool = False
    criterion_weighting: Decimal | None = None
    criterion_subcriteria: tuple[SubCriterion, ...] = ()
    article_number: str = ""
    ccag: str = "CCAG-Travaux 2021"
    action_plan_delay_days: int = 15
    reporting_day: int = 10
    ccag_derogations: tuple[str, ...] = ()
    generated_on: date | None = None
    tender_nature: str = "travaux"
    launch_date: date | None = None
    buyer_category: str = "collectivite"
    social_condition_derogation: str = ""
    social_condition_text: str = ""  # the 2026 obligation check, worded for the note de calcul


def _years(frame: FrameworkHoursResult | None) -> int:
    return max(len(frame.years), 1) if frame else 1


def _lot_fte(lot: LotClause) -> Decimal:
    """Full-time equivalent of a year of the lot: an accord-cadre's maximum spread over its years."""
    return fte(Decimal(lot.result.hours) / _years(lot.framework))


def _lot_range(lot: LotClause) -> tuple[int, int]:
    """Return the lot's (lowest, highest) hours: an accord-cadre's minimum and maximum."""
    frame = lot.framework
    low = (frame.minimum.hours if frame.minimum else 0) if frame else lot.result.hours
    return low, lot.result.hours


def _lot_context(lot: LotClause) -> dict:
    result, frame = lot.result, lot.framework
    hours = format_hours(result.hours)
    if frame is not None:
        low = frame.minimum.hours if frame.minimum else 0
        hours = f"de {format_hours(low)} (montant minimum) à {format_hours(result.hours)} (montant maximum)"
    elif lot.rule:
        hours = f"{hours} (estimation)"
    details = result.details
    amount_key = next((k for k in ("montant_ht_eur", "montant_facture_eur", "chiffre_affaires_eur")
                       if k in details), None)
    amount = texts.format_detail(amount_key, details[amount_key]) if amount_key else "—"
    if frame is not None:
        low_amount = frame.minimum.details["montant_ht_eur"] if frame.minimum else "0"
        amount = f"{texts.format_detail('x_eur', low_amount)} à {amount}"
    return {
        "number": lot.number,
        "label": lot.label,
        "method_label": texts.METHOD_LABELS["framework" if frame else result.method],
        "amount": amount,
        "hours": hours,
        "hours_value": result.hours,
        "hours_exact": texts.format_detail("x_h", details["heures_exactes_h"]),
        "fte": texts.format_detail("etp", str(_lot_fte(lot))) + (" par an" if frame else ""),
        "rule": lot.rule,
        "rounding": details.get("arrondi", ""),
        "formula": details.get("formule", ""),
        "steps": [{"label": texts.DETAIL_LABELS.get(key, key.replace("_", " ").capitalize()),
                   "value": texts.format_detail(key, value)}
                  for key, value in details.items() if key not in texts.RESULT_KEYS],
        "sources": [{"label": texts.DETAIL_LABELS.get(key, key),
                     "value": texts.format_detail(key, details.get(key, lot.inputs.get(key, ""))),
                     "source": source} for key, source in lot.sources.items()],
        "warnings": list(result.warnings) + (list(frame.warnings) if frame else []),
        "years": [{"year": str(year.year),
                   "minimum": format_hours(year.minimum.hours) if year.minimum else "sans minimum",
                   "maximum": format_hours(year.maximum.hours),
                   "amount": format_money(Decimal(year.maximum.details["montant_ht_eur"])),
                   "min_amount": (format_money(Decimal(year.minimum.details["montant_ht_eur"]))
                                  if year.minimum else "sans minimum")}
                  for year in (frame.years if frame else ())],
    }


def build_clause_context(request: ClausePackRequest) -> dict:
    """Return the context of the CCAP article, shared by every document of the pack."""
    instrument = request.instrument
    has_criterion = instrument in CRITERION_INSTRUMENTS
    numbers = [lot.number for lot in request.lots]
    weighting = texts.format_pct_value(request.criterion_weighting) if request.criterion_weighting else ""
    low = sum(_lot_range(lot)[0] for lot in request.lots)
    total = sum(_lot_range(lot)[1] for lot in request.lots)
    has_framework = any(lot.framework for lot in request.lots)
    # Hours that follow invoicing are an estimate, not a firm minimum.
    estimated = any(lot.rule for lot in request.lots)
    prefix = f"{request.article_number}." if request.article_number else ""
    fac = request.facilitator
    contact = ", ".join(filter(None, [fac.name, fac.organisation, fac.phone, fac.email]))
    derogations, recap = _derogations(request, prefix)
    sections = SECTIONS[instrument]
    total_hours = (f"de {format_hours(low)} à {format_hours(total)}" if low != total
                   else format_hours(total))
    return {
        "document_date": format_date_fr(request.generated_on or date.today(), "long"),
        "buyer_name": request.buyer_name,
        "tender_reference": request.tender_reference,
        "tender_object": request.tender_object,
        "tender_cpv": request.tender_cpv or "non renseigné",
        "instrument_code": instrument.value,
        "instrument_label": texts.INSTRUMENT_TITLES[instrument],
        "instrument_article": texts.INSTRUMENT_ARTICLES[instrument],
        "legal_basis": legal_basis(instrument),
        "has_criterion": has_criterion,
        "is_reserved": instrument in RESERVED_INSTRUMENTS,
        "criterion_weighting": weighting,
        "criterion_subcriteria": [{"label": s.label, "weighting": texts.format_pct_value(s.weighting)}
                                  for s in request.criterion_subcriteria],
        "article_title": " – ".join(filter(None, [
            f"Article {request.article_number}" if request.article_number else "",
            "Clause sociale d'insertion"])),
        "section_prefix": prefix,
        "ccap_article_ref": (f"l'article {request.article_number} du CCAP" if request.article_number
                             else "l'article « Clause sociale d'insertion » du CCAP"),
        "object_text": texts.OBJECT_TEXTS[instrument.value].format(
            ccp=texts.CCP, weighting=weighting, lots=texts.lots_phrase(numbers), here="du présent article"),
        "hours_intro_text": texts.HOURS_INTRO_TEXTS[instrument.value],
        "lots": [_lot_context(lot) for lot in request.lots],
        "lots_count": len(request.lots),
        "total_hours": total_hours,
        "total_fte": f"{format_number(sum(_lot_fte(lot) for lot in request.lots), 2)}\u00a0ETP"
                     + (" par an" if has_framework else ""),
        "total_is_estimate": estimated or has_framework,
        "total_sentence": _total_sentence(low, total, estimated, has_framework),
        "has_framework": has_framework,
        "has_estimate": estimated,
        "globalisation_allowed": request.globalisation_allowed,
        "globalisation_text": (
            "Lorsque le titulaire est attributaire de plusieurs lots, les heures peuvent être "
            "globalisées : l'engagement porte sur la somme des heures des lots attribués, réalisées "
            "sur l'un ou l'autre de ces lots, après accord de l'acheteur donné sur avis du facilitateur."
            if request.globalisation_allowed else
            "Les heures sont dues lot par lot ; elles ne peuvent pas être reportées d'un lot sur "
            "un autre."),
        "publics_intro": sections.publics_intro,
        "eligible_publics": [{"label": p.label, "proof": p.proof} for p in sections.publics],
        "eligibility_text": sections.eligibility_text,
        "modalities_intro": sections.modalities_intro,
        "modalities": [{"label": m.label, "counting_rule": m.proof} for m in sections.modalities],
        "counting_text": sections.counting_text,
        "control_text": sections.control_text.format(reporting_day=request.reporting_day),
        "facilitator_name": fac.name,
        "facilitator_email": fac.email,
        "facilitator_phone": fac.phone,
        "facilitator_organisation": fac.organisation or "—",
        "facilitator_contact": contact,
        "action_plan_delay_days": str(request.action_plan_delay_days),
        "reporting_day": str(request.reporting_day),
        "penalty_per_missing_hour": format_money(request.penalty_per_missing_hour),
        "penalty_per_day_late": format_money(request.penalty_per_day_late),
        "ccag_reference": request.ccag,
        "ccag_derogations": derogations,
        "ccag_recap": recap,
    }


def _total_sentence(low: int, high: int, estimated: bool, framework: bool) -> str:
    if framework:
        return (f"Le volume d'heures d'insertion est compris entre {format_hours(low)} et "
                f"{format_hours(high)} pour l'ensemble des lots, selon les commandes émises au titre "
                "des accords-cadres (détail par lot ci-dessous).")
    if estimated:
        return (f"Le volume d'heures d'insertion est estimé à {format_hours(high)} pour l'ensemble des "
                "lots ; pour les lots dont les heures suivent le montant facturé, le volume dû résulte "
                "de la règle indiquée pour chacun (détail ci-dessous).")
    return f"Le volume minimal est de {format_hours(high)} pour l'ensemble des lots."


def _derogations(request: ClausePackRequest, prefix: str) -> tuple[list[str], list[str]]:
    """Return the derogation sentences and the recap lines for the CCAP's last article."""
    if request.ccag_derogations:
        return list(request.ccag_derogations), list(request.ccag_derogations)
    ccag = find_ccag(request.ccag)
    derogations = standard_derogations(ccag, prefix)
    recap = [f"Article {d.ccap_point} du CCAP (clause sociale d'insertion) : déroge à l'article "
             f"{d.ccag_article.number} du {ccag.name} ({d.ccag_article.subject})" for d in derogations]
    return [d.text for d in derogations], recap


def build_rc_context(request: ClausePackRequest) -> dict:
    """Return the context of the RC / AAPC mention."""
    context = build_clause_context(request)
    instrument = request.instrument
    object_text = texts.OBJECT_TEXTS[instrument.value].format(
        ccp=texts.CCP, weighting=context["criterion_weighting"], here=f"de {context['ccap_article_ref']}",
        lots=texts.lots_phrase([lot.number for lot in request.lots]))
    if instrument in RESERVED_INSTRUMENTS:
        rc = (f"{object_text} Les candidats joignent à leur candidature tout document "
              "justifiant de cette qualité (conventionnement ou agrément en cours de validité).")
        reserved = texts.lots_phrase([lot.number for lot in request.lots])
        aapc = f"Marché réservé ({context['legal_basis']}) : {reserved}."
    elif instrument is LegalInstrument.CRITERE_ATTRIBUTION:
        rc = object_text
        aapc = (f"Critère d'attribution relatif à l'insertion ({context['legal_basis']}), "
                f"pondération {context['criterion_weighting']}.")
    else:
        rc = (f"Le marché comporte une action d'insertion ({context['legal_basis']}), décrite à "
              f"{context['ccap_article_ref']}. {context['total_sentence']}")
        aapc = (f"{context['instrument_label']} ({context['legal_basis']}) : {context['total_hours']} "
                "d'insertion" + (" (estimation)." if context["total_is_estimate"] else " au minimum."))
    return {**context, "rc_text": rc, "aapc_text": aapc}


def build_ae_context(request: ClausePackRequest) -> dict:
    """Return the context of the acte d'engagement annex the candidate signs."""
    context = build_clause_context(request)
    return {**context, "commitment_text": texts.COMMITMENT_TEXTS[request.instrument.value]}


def build_note_context(request: ClausePackRequest) -> dict:
    """Return the context of the note de calcul (inputs, sources, exact and rounded results)."""
    context = build_clause_context(request)
    return {**context, "fte_hours": format_number(1607),
            "social_condition_text": request.social_condition_text}


_DEFAULT_DATED = re.compile(r"^valeur par défaut au (\d{2})/(\d{2})/(\d{4})")


def attention_points(request: ClausePackRequest) -> list[str]:
    """Return what the facilitator should check before sending the pack; never printed in it."""
    points = [f"Lot {lot.number} : {warning}" for lot in request.lots
              for warning in lot.result.warnings + (lot.framework.warnings if lot.framework else ())]
    points += [f"Lot {lot.number} : {texts.DETAIL_LABELS.get(key, key)} non sourcé, à valider."
               for lot in request.lots for key, source in lot.sources.items() if UNSOURCED in source]
    today = request.generated_on or date.today()
    for lot in request.lots:
        for key, source in lot.sources.items():
            dated = _DEFAULT_DATED.search(source)
            if dated and (today - date(*map(int, reversed(dated.groups())))).days > 365:
                points.append(f"Lot {lot.number} : {texts.DETAIL_LABELS.get(key, key)} par défaut daté du "
                              f"{'/'.join(dated.groups())}, plus d'un an avant la note : saisissez la référence "
                              "retenue par la structure (SMIC en vigueur).")
    ccag = find_ccag(request.ccag)
    if ccag and not request.ccag_derogations:
        cited = unsourced_articles(standard_derogations(ccag, ""))
        if cited:
            points.append(f"Numéros d'articles du {ccag.name} cités dans les dérogations "
                          f"({', '.join(cited)}) : à vérifier sur le CCAG publié.")
    return points


CLAUSE_PACK_DOCUMENTS = {
    "ccap_article": build_clause_context,
    "rc_mention": build_rc_context,
    "ae_annex": build_ae_context,
    "note_calcul": build_note_context,
}


def render_clause_pack(request: ClausePackRequest, templates_dir: Path = TEMPLATES_DIR) -> dict[str, bytes]:
    """Render the four documents of the pack; return ``{"ccap_article.docx": bytes, …}``."""
    return {f"{name}.docx": render_docx(Path(templates_dir) / f"{name}.docx", build(request))
            for name, build in CLAUSE_PACK_DOCUMENTS.items()}
