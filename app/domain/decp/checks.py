"""The four checks of a DECP contract against the law and against what Clausier follows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.decp.model import (
    CLAUSE_SOCIALE,
    CONCESSION,
    CONCESSION_RESERVEE,
    MARCHE_RESERVE,
    PAS_DE_CONSIDERATION,
    DecpContract,
    DecpWarning,
)
from app.domain.decp.reference import (
    BUYER_CENTRAL,
    BUYER_OTHER,
    BUYER_UTILITIES,
    CENTRAL_SUPPLIES,
    CONCESSIONS,
    EU_THRESHOLDS,
    OTHER_SUPPLIES,
    SOCIAL_CONDITION_OBLIGATION,
    UTILITIES_SUPPLIES,
    WORKS,
    EuThreshold,
    ObligationDate,
    threshold_for,
)
from app.domain.formats import format_date_fr

THRESHOLD_WITHOUT_SOCIAL_CONDITION = "threshold_without_social_condition"
CLAUSABLE_NOT_FOLLOWED = "clausable_not_followed"
DECLARED_CLAUSE_UNKNOWN = "declared_clause_unknown"
CLAUSE_NOT_DECLARED = "clause_not_declared"
FLAG_LABELS = {
    THRESHOLD_WITHOUT_SOCIAL_CONDITION: "Au-dessus du seuil européen sans condition sociale",
    CLAUSABLE_NOT_FOLLOWED: "Clausable mais non suivi",
    DECLARED_CLAUSE_UNKNOWN: "Clause sociale déclarée, inconnue de Clausier",
    CLAUSE_NOT_DECLARED: "Clause suivie mais non déclarée dans la DECP",
}
# What satisfies the 2026 obligation: a condition of execution, or a reserved contract. A criterion does not.
SOCIAL_CONDITIONS = frozenset({CLAUSE_SOCIALE, MARCHE_RESERVE, CONCESSION_RESERVEE})


@dataclass(frozen=True)
class ClausableRule:
    """A CPV prefix and the amount from which a contract of it can carry a clause."""

    cpv_prefix: str
    min_amount: Decimal
    label: str = ""
    source: str | None = None


@dataclass(frozen=True)
class KnownTender:
    """What Clausier knows of a DECP contract: the tender that follows it and its clause."""

    tender_id: int | None
    has_clause: bool
    publish_value: str = CLAUSE_SOCIALE


@dataclass(frozen=True)
class DecpFlag:
    """A contract to look at: the check's code, the contract's key and a French explanation."""

    code: str
    contract: str
    message: str

    @property
    def label(self) -> str:
        """Return the check's short French name."""
        return FLAG_LABELS[self.code]


def threshold_category(contract: DecpContract, buyer_category: str = BUYER_OTHER) -> str:
    """Return the EU threshold category of a contract bought by a buyer of ``buyer_category``."""
    if contract.kind == CONCESSION:
        return CONCESSIONS
    if contract.is_works:
        return WORKS
    if buyer_category == BUYER_UTILITIES or "défense" in contract.nature.lower():
        return UTILITIES_SUPPLIES
    return CENTRAL_SUPPLIES if buyer_category == BUYER_CENTRAL else OTHER_SUPPLIES


def find_rule(cpv: str, rules: Iterable[ClausableRule]) -> ClausableRule | None:
    """Return the rule with the longest CPV prefix matching ``cpv``."""
    matching = [rule for rule in rules if cpv and cpv.startswith(rule.cpv_prefix)]
    return max(matching, key=lambda rule: len(rule.cpv_prefix)) if matching else None


def check_contract(contract: DecpContract, *, known: KnownTender | None = None, buyer_category: str = BUYER_OTHER,
                   rules: Iterable[ClausableRule] = (), thresholds: tuple[EuThreshold, ...] = EU_THRESHOLDS,
                   obligation: ObligationDate = SOCIAL_CONDITION_OBLIGATION) -> list[DecpFlag]:
    """Return the flags of one contract (DOMAIN.md §3 and §10)."""
    flags = []
    social = set(contract.social or ())
    declared = _declared(contract)
    notified = contract.notified_on
    if contract.amount is not None and notified is not None and notified >= obligation.day:
        threshold = threshold_for(threshold_category(contract, buyer_category), notified, thresholds)
        if threshold is not None and contract.amount >= threshold.amount and not social & SOCIAL_CONDITIONS:
            flags.append(DecpFlag(THRESHOLD_WITHOUT_SOCIAL_CONDITION, contract.key, (
                f"{_name(contract)} notifié le {format_date_fr(notified)}, {_money(contract.amount)} HT, "
                f"au moins le seuil européen ({threshold.label} : {_money(threshold.amount)} HT), "
                f"et {declared} : depuis le {format_date_fr(obligation.day)}, une condition d'exécution sociale "
                "est obligatoire. À vérifier : la DECP donne la date de notification, pas celle du lancement "
                "de la consultation, et une dérogation peut s'appliquer.")))
    rule = find_rule(contract.cpv, rules)
    if (known is None and rule is not None and contract.amount is not None and contract.amount >= rule.min_amount
            and not social & SOCIAL_CONDITIONS):
        flags.append(DecpFlag(CLAUSABLE_NOT_FOLLOWED, contract.key, (
            f"{_name(contract)} (CPV {contract.cpv}, {_money(contract.amount)} HT) pouvait porter une clause "
            f"({rule.label or 'CPV ' + rule.cpv_prefix} : à partir de {_money(rule.min_amount)} HT) "
            "et n'est pas suivi dans Clausier.")))
    if CLAUSE_SOCIALE in social and (known is None or not known.has_clause):
        where = "n'est pas suivi dans Clausier" if known is None else "est suivi dans Clausier sans clause"
        flags.append(DecpFlag(DECLARED_CLAUSE_UNKNOWN, contract.key, (
            f"{_name(contract)} déclare « Clause sociale » dans la DECP mais {where} : "
            "à vérifier avec l'acheteur.")))
    if known is not None and known.has_clause and social == {PAS_DE_CONSIDERATION}:
        flags.append(DecpFlag(CLAUSE_NOT_DECLARED, contract.key, (
            f"{_name(contract)} porte une clause suivie dans Clausier, mais la DECP dit « Pas de considération "
            f"sociale » : l'acheteur devrait publier « {known.publish_value} ».")))
    return flags


def check_contracts(contracts: Iterable[DecpContract], *, known: Mapping[str, KnownTender] | None = None,
                    buyer_categories: Mapping[str, str] | None = None, rules: Iterable[ClausableRule] = (),
                    thresholds: tuple[EuThreshold, ...] = EU_THRESHOLDS,
                    obligation: ObligationDate = SOCIAL_CONDITION_OBLIGATION) -> list[DecpFlag]:
    """Return the flags of every contract, in file order."""
    known = known or {}
    buyer_categories = buyer_categories or {}
    rules = tuple(rules)
    return [flag for contract in contracts for flag in check_contract(
        contract, known=known.get(contract.key), buyer_category=buyer_categories.get(contract.buyer_siret, BUYER_OTHER),
        rules=rules, thresholds=thresholds, obligation=obligation)]


def date_warnings(contracts: Iterable[DecpContract], today: date) -> list[DecpWarning]:
    """Warn about notification dates after ``today`` (a typing error in the buyer's data)."""
    return [DecpWarning("future_notification",
                        f"Marché {c.id} de l'acheteur {c.buyer_siret} : notifié le {format_date_fr(c.notified_on)}, "
                        f"après le {format_date_fr(today)}.", c.record)
            for c in contracts if c.notified_on is not None and c.notified_on > today]


def _money(amount: Decimal) -> str:
    """Return ``1 234,56 €`` exactly as Babel's format_money does (U+202F, U+00A0), without its cost.

    Babel resolves the locale on every call; a report of 100 000 contracts would spend most of its
    time there (bench/bench_decp.py). tests/domain/decp/test_checks.py pins the two to each other.
    """
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def _name(contract: DecpContract) -> str:
    noun = "La concession" if contract.kind == CONCESSION else "Le marché"
    return f"{noun} {contract.id} de l'acheteur {contract.buyer_siret}"


def _declared(contract: DecpContract) -> str:
    if contract.social is None:
        return "ses considérations sociales ne sont pas publiées"
    if not contract.social or contract.social == (PAS_DE_CONSIDERATION,):
        return "sans considération sociale déclarée"
    return "seulement « " + " », « ".join(contract.social) + " » " + ("déclarées" if len(contract.social) > 1 else "déclarée") + ", ni « Clause sociale » ni « Marché réservé »"
