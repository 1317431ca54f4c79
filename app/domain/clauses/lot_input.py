"""Compute a lot's hours from its typed fields, filling gaps from the reference data.

Shared by the clause-pack JSON input and, later, the lot form: both give a flat dict (the
``method`` block, when present, wins over the lot's own fields) and want the result, where
each value came from, and the contractual rule of the tranche method.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.formats import format_money
from app.domain.clauses.hours import (
    FrameworkHoursResult,
    HoursInputError,
    HoursResult,
    compute_band_hours,
    compute_cleaning_hours,
    compute_framework_hours,
    compute_standard_hours,
    compute_tranche_hours,
    parse_bands,
)
from app.domain.clauses.result import to_number, to_positive
from app.domain.clauses.reference import (
    DEFAULT_HOURLY_COST,
    DEFAULT_INSERTION_RATE,
    LABOUR_SHARES,
    LabourShare,
    ReferenceValue,
    find_labour_share,
)

METHODS = ("standard", "tranche", "cleaning", "bands", "framework")
ENTERED = "valeur saisie"


@dataclass(frozen=True)
class LotHours:
    """A lot's hours, the sources of the values not typed by the user, and its rule if any."""

    method: str
    result: HoursResult
    framework: FrameworkHoursResult | None = None
    sources: dict[str, str] = field(default_factory=dict)
    rule: str = ""


def compute_lot_hours(fields: dict, tender_cpv: str = "", *,
                      labour_shares: tuple[LabourShare, ...] = LABOUR_SHARES,
                      hourly_cost: ReferenceValue = DEFAULT_HOURLY_COST,
                      insertion_rate: ReferenceValue = DEFAULT_INSERTION_RATE) -> LotHours:
    """Compute one lot's hours; reference values may come from the database instead of defaults."""
    reader = _LotReader(fields, tender_cpv, labour_shares, hourly_cost, insertion_rate)
    result, frame, rule = reader.compute()
    # A stored calculation replays its resolved values with the sources they had then.
    sources = {**reader.sources, **(fields.get("sources") or {})}
    return LotHours(reader.kind, result, frame, sources, rule)


class _LotReader:
    """Read one lot's fields (its ``method`` block first, then the lot) and compute its hours."""

    def __init__(self, lot: dict, tender_cpv: str, labour_shares, hourly_cost, insertion_rate) -> None:
        method = lot.get("method") or {}
        if not isinstance(method, dict):
            raise HoursInputError("« method » doit être un objet, par exemple {\"type\": \"tranche\", …}.")
        self.kind = method.get("type", "standard")
        if self.kind not in METHODS:
            raise HoursInputError(f"méthode « {self.kind} » inconnue "
                                  f"(choix possibles : {', '.join(METHODS)}).")
        self.lot, self.method, self.tender_cpv = lot, method, tender_cpv
        self.labour_shares, self.hourly_cost, self.insertion_rate = labour_shares, hourly_cost, insertion_rate
        self.sources: dict[str, str] = {}  # detail key → where its value came from
        self.rounding = self.get("rounding", "down" if self.kind == "tranche" else "nearest")

    def get(self, name: str, default=None):
        """Return a field from the method block, else from the lot, else ``default``."""
        return self.method.get(name, self.lot.get(name, default))

    def need(self, *names: str, label: str):
        """Return the first field present among ``names`` or raise naming the first one."""
        for name in names:
            if self.get(name) is not None:
                return self.get(name)
        raise HoursInputError(f"{label} : valeur manquante.", names[0])

    def compute(self) -> tuple[HoursResult, FrameworkHoursResult | None, str]:
        """Return (hours, framework detail or None, contractual rule) for the lot's method."""
        return getattr(self, f"_{self.kind}")()

    def _rate(self):
        if self.get("rate") is None:
            self.sources["taux_insertion_pct"] = f"valeur par défaut — {self.insertion_rate.source_label}"
            return self.insertion_rate.value
        self.sources["taux_insertion_pct"] = ENTERED
        return self.get("rate")

    def _standard_parameters(self) -> tuple:
        """Return labour share, rate and hourly cost, from the lot or the reference data."""
        labour_share = self.get("labour_share")
        self.sources["part_main_oeuvre_pct"] = ENTERED
        if labour_share is None:
            share = find_labour_share(trade=self.get("trade"), cpv=self.get("cpv") or self.tender_cpv,
                                      shares=self.labour_shares)
            if share is None:
                raise HoursInputError("part de main-d'œuvre manquante et aucune valeur de référence "
                                      "pour ce métier ou ce code CPV.", "labour_share")
            self.sources["part_main_oeuvre_pct"] = f"{share.label} — {share.source_label}"
            labour_share = share.share_pct
        rate = self._rate()
        hourly_cost = self.get("hourly_cost")
        self.sources["cout_horaire_eur"] = ENTERED
        if hourly_cost is None:
            cost = self.hourly_cost
            hourly_cost = cost.value
            dated = f" au {cost.valid_from:%d/%m/%Y}" if cost.valid_from else ""
            self.sources["cout_horaire_eur"] = f"valeur par défaut{dated} — {cost.source_label}"
        return labour_share, rate, hourly_cost

    def _standard(self):
        amount = self.need("amount", label="montant HT")
        result = compute_standard_hours(amount, *self._standard_parameters(), self.rounding,
                                        self.get("clause_threshold_hours"))
        return result, None, ""

    def _tranche(self):
        count, threshold = self.get("count", "all"), self.get("threshold")
        result = compute_tranche_hours(self.need("invoiced", "amount", label="montant facturé estimé"),
                                       self.need("euros_per_hour", label="montant par heure"),
                                       threshold, count, self.rounding, self.get("clause_threshold_hours"))
        per_hour = format_money(to_number(self.get("euros_per_hour"), "le montant par heure"))
        rule = f"1 heure d'insertion par tranche de {per_hour} HT facturés"
        if threshold is not None:
            limit = format_money(to_number(threshold, "le seuil"))
            rule += (f", dès que le montant facturé atteint {limit} HT" if count == "all"
                     else f", pour la seule part du montant facturé au-delà de {limit} HT")
        return result, None, rule

    def _bands(self):
        bands = self.need("bands", label="barème")
        table = parse_bands(bands) if isinstance(bands, str) else bands
        amount = self.need("amount", label="montant HT")
        return compute_band_hours(amount, table, self.get("clause_threshold_hours")), None, ""

    def _cleaning(self):
        result = compute_cleaning_hours(
            self.need("revenue", "amount", label="chiffre d'affaires HT"),
            self.need("months", label="durée en mois"), self.get("transferred_hours_per_month", 0),
            self._rate(), self.get("coefficient", 25), self.get("floor_hours", 150), self.rounding)
        return result, None, ""

    def _framework(self):
        years = to_positive(self.get("years", 1), "le nombre d'années", allow_zero=False)
        if years != years.to_integral_value():
            raise HoursInputError("Le nombre d'années doit être entier "
                                  f"(valeur reçue : {self.get('years')}).")
        frame = compute_framework_hours(self.get("min_amount"),
                                        self.need("max_amount", label="montant maximum"),
                                        *self._standard_parameters(), years=int(years),
                                        yearly_amounts=self.get("yearly_amounts"), rounding=self.rounding)
        return frame.maximum, frame, ""
