"""The dated legal values the checks rely on: EU thresholds and the 2026 social-condition date.

From DOMAIN.md §3. A threshold applies to contracts notified between its ``valid_from`` and
``valid_until``; the EU revises them every two years, so a new pair of years is a new row here,
never an edit of the old one (past contracts keep the threshold of their time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

EU_THRESHOLDS_SOURCE = "Règlements délégués (UE) 2025/2150 à 2025/2152 ; avis JO du 26/12/2025"
OBLIGATION_SOURCE = "Loi n° 2021-1104 du 22 août 2021 (Climat et Résilience), art. 35"

# Threshold categories: what the contract buys and who buys it (DOMAIN.md §3).
CENTRAL_SUPPLIES = "central_supplies"
OTHER_SUPPLIES = "other_supplies"
UTILITIES_SUPPLIES = "utilities_supplies"
WORKS = "works"
CONCESSIONS = "concessions"

# Buyer categories the caller derives from its own buyer records (DECP does not say).
BUYER_CENTRAL = "central"
BUYER_OTHER = "other"
BUYER_UTILITIES = "utilities"


@dataclass(frozen=True)
class EuThreshold:
    """An EU threshold in euros excl. VAT for one category, over a period of notification dates."""

    category: str
    label: str
    amount: Decimal
    valid_from: date
    valid_until: date | None
    source: str = EU_THRESHOLDS_SOURCE

    def applies_on(self, day: date) -> bool:
        """Tell whether the threshold is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class ObligationDate:
    """The first launch date from which the social execution condition is mandatory."""

    day: date
    label: str
    source: str
    note: str = ""


def _threshold(category: str, label: str, amount: int) -> EuThreshold:
    return EuThreshold(category, label, Decimal(amount), date(2026, 1, 1), date(2027, 12, 31))


EU_THRESHOLDS: tuple[EuThreshold, ...] = (
    _threshold(CENTRAL_SUPPLIES, "fournitures et services, État", 140_000),
    _threshold(OTHER_SUPPLIES, "fournitures et services, autres acheteurs (collectivités comprises)", 216_000),
    _threshold(UTILITIES_SUPPLIES, "fournitures et services, entités adjudicatrices et défense", 432_000),
    _threshold(WORKS, "travaux", 5_404_000),
    _threshold(CONCESSIONS, "concessions", 5_404_000),
)

# The law gives five years from its promulgation (22 August 2021) at the latest; DOMAIN.md §3 reads
# it as consultations launched from 22 August 2026 (some sources say the 21st). The later date is
# kept so that a contract is never flagged for a day the obligation may not cover.
SOCIAL_CONDITION_OBLIGATION = ObligationDate(
    date(2026, 8, 22), "Condition d'exécution sociale obligatoire au-dessus des seuils européens",
    OBLIGATION_SOURCE, note="Date limite d'entrée en vigueur ; dérogations à vérifier sur Légifrance.",
)


def threshold_for(category: str, day: date,
                  thresholds: tuple[EuThreshold, ...] = EU_THRESHOLDS) -> EuThreshold | None:
    """Return the threshold of ``category`` in force on ``day``, else the latest one before it."""
    candidates = [t for t in thresholds if t.category == category and t.valid_from <= day]
    in_force = [t for t in candidates if t.applies_on(day)]
    pool = in_force or candidates
    return max(pool, key=lambda t: t.valid_from) if pool else None
