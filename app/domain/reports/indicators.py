"""The one place that sums hours and counts tenders (DOMAIN.md §11, docs/indicators.md).

``compute_indicators`` reads the people of a scope from its impact rows (one per participant ×
tender, hours of the period); ``compute_figures`` adds the lots (hours required, maximum,
conditional, done, remaining with or without globalisation). Dashboards, bilans, the tableau
d'impact, the operations list, the FSE+ participants and the dossier all print these numbers.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.enums import Criterion, LegalInstrument, Modality, Sex
from app.domain.reports.exits import ExitCategory
from app.domain.reports.common import AGE_BANDS, is_under, label, ratio
from app.domain.reports.impact_row import ImpactRow

NOT_GIVEN = "Non renseigné"
NOT_GIVEN_F = "Non renseignée"  # a tranche d'âge, a modalité
UNQUALIFIED_EXIT = "Sortie sans situation renseignée"

# The short definitions every document prints beside its figures (DOMAIN.md §11, refined).
DEFINITIONS = {
    "hours_done": "Heures réalisées : heures des relevés confirmés, chaque personne × lot × mois comptée une "
                  "seule fois quel que soit le déclarant ; les heures hors des dates de la mise en situation "
                  "ne comptent qu'une fois acceptées.",
    "hours_required": "Heures exigées : heures contractuelles des lots ; pour un accord-cadre celles du montant "
                      "minimum (le maximum est indiqué à côté, jamais additionné) ; un lot à la tranche reste "
                      "« conditionnel » et hors total tant que son seuil n'est pas atteint.",
    "hours_remaining": "Restant à réaliser : somme par lot de max(exigées − réalisées, 0) ; l'excédent d'un lot "
                       "ne compense le retard d'un autre que dans un même marché dont la clause autorise la "
                       "globalisation.",
    "completion": "Taux de réalisation : heures réalisées depuis le démarrage ÷ heures exigées, avec le nombre "
                  "de lots en deçà de leurs heures.",
    "tenders": "Marché clausé : une consultation dont au moins un lot porte une clause ; lot clausé : un lot "
               "qui en porte une. Les lots ne sont jamais comptés comme des marchés.",
    "operations": "Opération : un programme regroupant des marchés ; un marché hors programme est sa propre "
                  "opération.",
    "participants": "Participant : une personne ayant au moins une heure réalisée sur la période ; une personne "
                    "positionnée sans heure n'est pas comptée.",
    "exits": "Sortie : un participant dont toutes les mises en situation du périmètre sont terminées à la fin "
             "de la période ; sa catégorie est celle de la sortie enregistrée, sinon « sans situation "
             "renseignée ».",
    "buyers": "Acheteur accompagné : un acheteur public ayant au moins un marché clausé suivi sur la période.",
    "companies": "Entreprise impliquée : une entreprise titulaire d'un lot clausé suivi ou une structure "
                 "d'insertion ayant au moins une mise en situation sur la période.",
}


def definitions_note(*keys: str) -> list[str]:
    """Return the definitions a document used, in the order asked (all of them without keys)."""
    return [DEFINITIONS[key] for key in (keys or DEFINITIONS)]


def exit_date(ends: Iterable[date | None], as_of: date | None) -> date | None:
    """Return when a person left the scope: the last end once every placement ended by ``as_of``."""
    ends = list(ends)
    if not ends or None in ends:
        return None
    last = max(ends)
    return last if as_of is None or last <= as_of else None


@dataclass(frozen=True)
class Group:
    """One line of a breakdown: distinct participants and their hours of the period."""

    participants: int
    hours: Decimal


@dataclass(frozen=True)
class Indicators:
    """Aggregates over impact rows; participants are distinct people (participant codes)."""

    hours_done: Decimal
    training_hours: Decimal
    participants: int
    participants_brsa: int
    participants_under_26: int
    participants_women: int
    contracts_by_type: Mapping[str, int]
    exits_by_category: Mapping[ExitCategory, int]
    hours_by_clause_type: Mapping[str, Decimal]
    exits_unqualified: int = 0
    siaes: int = 0
    # Breakdowns (label → Group). By sex and age band each participant counts once (sex and
    # age on entry into their first clause, as participants_women and participants_under_26),
    # so the lines add up to the totals; by modality a person counts under every modality
    # they worked in, and only the hours add up.
    by_sex: Mapping[str, Group] = field(default_factory=dict)
    by_age_band: Mapping[str, Group] = field(default_factory=dict)
    by_modality: Mapping[str, Group] = field(default_factory=dict)

    @property
    def exits(self) -> int:
        """Return how many participants left, whatever their exit's category."""
        return sum(self.exits_by_category.values()) + self.exits_unqualified


def compute_indicators(rows: Iterable[ImpactRow]) -> Indicators:
    """Aggregate impact rows (one per participant × tender) into report indicators.

    People without an hour in the period are positioned, not participants: they are left out.
    """
    by_person: dict[str, list[ImpactRow]] = defaultdict(list)
    for row in rows:
        by_person[row.participant_code].append(row)
    by_person = {code: person_rows for code, person_rows in by_person.items()
                 if any(r.hours_done > 0 for r in person_rows)}
    rows = [row for person_rows in by_person.values() for row in person_rows]

    brsa = under_26 = women = unqualified = 0
    exits: Counter[ExitCategory] = Counter()
    # Sex and age are read on each person's first clause, by every figure that counts them.
    firsts = {code: min(person_rows, key=lambda r: r.entry_on) for code, person_rows in by_person.items()}
    for code, person_rows in by_person.items():
        first = firsts[code]
        # A person counts as young when under 26 on entry into their first clause.
        under_26 += is_under(first.age_at_entry)
        brsa += any(Criterion.BRSA in r.criteria for r in person_rows)
        women += first.sex is Sex.FEMME
        # A person exits once, when every row (tender) of the scope is closed: the latest
        # exit is the one the FSE+ sheet asks about.
        if all(r.exit_on is not None for r in person_rows):
            last = max(person_rows, key=lambda r: (r.exit_on, r.exit_category is not None, r.entry_on))
            if last.exit_category is None:
                unqualified += 1
            else:
                exits[last.exit_category] += 1

    hours_by_type: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        hours_by_type[label(row.clause_type) or NOT_GIVEN] += row.hours_done

    contracts = Counter(label(row.contract_type) or NOT_GIVEN for row in rows)
    by_sex, by_age, by_modality = _breakdowns(by_person, firsts)
    return Indicators(
        hours_done=sum((r.hours_done for r in rows), Decimal(0)),
        training_hours=sum((r.training_hours for r in rows), Decimal(0)),
        participants=len(by_person),
        participants_brsa=brsa,
        participants_under_26=under_26,
        participants_women=women,
        contracts_by_type=dict(sorted(contracts.items())),
        exits_by_category={category: exits[category] for category in ExitCategory},
        hours_by_clause_type=dict(sorted(hours_by_type.items())),
        exits_unqualified=unqualified,
        siaes=len({row.siae_siret for row in rows if row.siae_siret}),
        by_sex=by_sex,
        by_age_band=by_age,
        by_modality=by_modality,
    )


SEX_ORDER = tuple(sex.label for sex in Sex) + (NOT_GIVEN,)
AGE_ORDER = tuple(band for _, band in AGE_BANDS) + (NOT_GIVEN_F,)
MODALITY_ORDER = tuple(modality.label for modality in Modality) + (NOT_GIVEN_F,)


def _groups(people: Mapping[str, set[str]], hours: Mapping[str, Decimal], order: Sequence[str]) -> dict[str, Group]:
    return {name: Group(len(people[name]), hours[name]) for name in order if name in people}


def _breakdowns(by_person: Mapping[str, list[ImpactRow]], firsts: Mapping[str, ImpactRow]
                ) -> tuple[dict, dict, dict]:
    """Return the participants and hours by sex, by age band on entry and by modality."""
    people: dict[str, dict[str, set[str]]] = {"sex": defaultdict(set), "age": defaultdict(set),
                                              "modality": defaultdict(set)}
    hours: dict[str, dict[str, Decimal]] = {"sex": defaultdict(Decimal), "age": defaultdict(Decimal),
                                            "modality": defaultdict(Decimal)}
    for code, person_rows in by_person.items():
        first = firsts[code]
        total = sum((r.hours_done for r in person_rows), Decimal(0))
        for dimension, name in (("sex", label(first.sex) or NOT_GIVEN), ("age", first.age_band or NOT_GIVEN_F)):
            people[dimension][name].add(code)
            hours[dimension][name] += total
        for row in person_rows:
            if row.hours_done > 0:
                name = label(row.modality) or NOT_GIVEN_F
                people["modality"][name].add(code)
                hours["modality"][name] += row.hours_done
    return (_groups(people["sex"], hours["sex"], SEX_ORDER), _groups(people["age"], hours["age"], AGE_ORDER),
            _groups(people["modality"], hours["modality"], MODALITY_ORDER))


@dataclass(frozen=True, kw_only=True)
class LotFigure:
    """One lot carrying a clause: hours due, its maximum, hours done from the start to the period's end."""

    lot_id: int
    tender_id: int
    operation_id: int | None
    buyer_id: int
    company_id: int | None
    required: Decimal
    done: Decimal
    maximum: Decimal | None = None
    is_conditional: bool = False
    is_globalised: bool = False
    clause_type: LegalInstrument | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    # Hours done each month ("2026-03" → hours), from the start to the period's end.
    monthly: Mapping[str, Decimal] = field(default_factory=dict)
    # What lists and pages print beside the figures.
    buyer: str = ""
    tender_reference: str = ""
    tender_object: str = ""
    lot_number: int = 0
    lot_label: str = ""
    company: str = ""
    cpv: str = ""
    # Where the work is done and what trade (statistics by territory and sector, breakdowns.py).
    site_city: str = ""
    site_epci: str = ""
    trade: str = ""

    @property
    def done_by_year(self) -> dict[int, Decimal]:
        """Return the hours done per calendar year."""
        years: dict[int, Decimal] = defaultdict(Decimal)
        for key, hours in self.monthly.items():
            years[int(key[:4])] += hours
        return dict(sorted(years.items()))

    @property
    def due(self) -> Decimal:
        """Return the hours the lot owes now: none while its tranche threshold is not reached."""
        return Decimal(0) if self.is_conditional else self.required

    @property
    def remaining(self) -> Decimal:
        """Return the hours still to do on this lot alone (never negative)."""
        return max(self.due - self.done, Decimal(0))

    @property
    def pct(self) -> Decimal:
        """Return done ÷ due."""
        return ratio(self.done, self.due)

    def required_by_year(self) -> dict[int, Decimal]:
        """Split the hours due over the contract's calendar years, in proportion to its days.

        Whole hours; the last year takes the rounding rest so the years add up to the total.
        """
        if self.starts_on is None or self.ends_on is None or self.ends_on < self.starts_on:
            return {}
        total_days = (self.ends_on - self.starts_on).days + 1
        years = range(self.starts_on.year, self.ends_on.year + 1)
        split, given = {}, Decimal(0)
        for year in years:
            first, last = max(self.starts_on, date(year, 1, 1)), min(self.ends_on, date(year, 12, 31))
            share = (self.due * ((last - first).days + 1) / total_days).to_integral_value()
            split[year] = share if year != years[-1] else self.due - given
            given += share
        return split


def hours_remaining(lots: Iterable[LotFigure]) -> Decimal:
    """Return Σ max(due − done, 0), netting a surplus only between globalised lots of one tender."""
    pools: dict[tuple, list[Decimal]] = {}
    for lot in lots:
        key = ("tender", lot.tender_id) if lot.is_globalised else ("lot", lot.lot_id)
        pool = pools.setdefault(key, [Decimal(0), Decimal(0)])
        pool[0] += lot.due
        # Hours on a conditional lot count as done; they offset nothing while it owes nothing.
        pool[1] += lot.done if not lot.is_conditional else Decimal(0)
    return sum((max(due - done, Decimal(0)) for due, done in pools.values()), Decimal(0))


@dataclass(frozen=True)
class Figures:
    """Every figure of a scope and period: the lots it covers and the people of its impact rows."""

    lots: Sequence[LotFigure]
    people: Indicators

    @property
    def hours_required(self) -> Decimal:
        """Return the hours due on the lots (accord-cadre minimum, conditional lots left out)."""
        return sum((lot.due for lot in self.lots), Decimal(0))

    @property
    def hours_max(self) -> Decimal:
        """Return the accords-cadres' maximum hours, shown beside the requirement, never added to it."""
        return sum((lot.maximum for lot in self.lots if lot.maximum is not None), Decimal(0))

    @property
    def conditional_lots(self) -> int:
        """Return how many per-tranche lots wait for their threshold."""
        return sum(lot.is_conditional for lot in self.lots)

    @property
    def conditional_hours(self) -> Decimal:
        """Return the hours the conditional lots will owe once their threshold is reached."""
        return sum((lot.required for lot in self.lots if lot.is_conditional), Decimal(0))

    @property
    def hours_done_to_date(self) -> Decimal:
        """Return the hours done on the lots from their start to the period's end."""
        return sum((lot.done for lot in self.lots), Decimal(0))

    @property
    def hours_done(self) -> Decimal:
        """Return the hours done in the period."""
        return self.people.hours_done

    @property
    def hours_remaining(self) -> Decimal:
        """Return the hours still to do (no netting across lots unless globalised)."""
        return hours_remaining(self.lots)

    @property
    def completion(self) -> Decimal:
        """Return hours done to date ÷ hours required."""
        return ratio(sum((lot.done for lot in self.lots if not lot.is_conditional), Decimal(0)),
                     self.hours_required)

    @property
    def lots_short(self) -> int:
        """Return how many lots have done fewer hours than they owe."""
        return sum(lot.remaining > 0 for lot in self.lots)

    @property
    def tenders(self) -> int:
        """Return the marchés clausés: distinct tenders with at least one lot carrying a clause."""
        return len({lot.tender_id for lot in self.lots})

    @property
    def lots_count(self) -> int:
        """Return the lots clausés."""
        return len(self.lots)

    @property
    def operations(self) -> int:
        """Return the opérations: programmes, and tenders outside any programme."""
        return len({("op", lot.operation_id) if lot.operation_id is not None else ("tender", lot.tender_id)
                    for lot in self.lots})

    @property
    def buyers(self) -> int:
        """Return the buyers accompanied (acheteurs accompagnés)."""
        return len({lot.buyer_id for lot in self.lots})

    @property
    def companies(self) -> int:
        """Return the entreprises impliquées: lot holders and SIAE with a participant of the period."""
        return len({lot.company_id for lot in self.lots if lot.company_id is not None}) + self.people.siaes

    @property
    def monthly(self) -> dict[str, Decimal]:
        """Return the hours done on the lots each month ("2026-03" → hours)."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for lot in self.lots:
            for key, hours in lot.monthly.items():
                totals[key] += hours
        return dict(sorted(totals.items()))

    @property
    def tenders_by_clause_type(self) -> dict[str, int]:
        """Return the marchés clausés per clause type."""
        found: dict[str, set[int]] = defaultdict(set)
        for lot in self.lots:
            found[label(lot.clause_type) or NOT_GIVEN].add(lot.tender_id)
        return {name: len(ids) for name, ids in sorted(found.items())}


def compute_figures(lots: Iterable[LotFigure], rows: Iterable[ImpactRow]) -> Figures:
    """Return the figures of a scope from its lots and its impact rows."""
    return Figures(tuple(lots), compute_indicators(rows))


def indicator_lines(figures: Figures) -> list[tuple[str, str, int | Decimal]]:
    """Return (section, label, value) lines in the order sheets and dashboards show them."""
    indicators = figures.people
    lines: list[tuple[str, str, int | Decimal]] = [
        ("Heures", "Heures d'insertion réalisées sur la période", indicators.hours_done),
        ("Heures", "Heures de formation", indicators.training_hours),
        ("Heures", "Heures exigées (lots suivis)", figures.hours_required),
        ("Heures", "Heures maximum des accords-cadres (non additionnées)", figures.hours_max),
        ("Heures", "Heures réalisées depuis le démarrage des lots", figures.hours_done_to_date),
        ("Heures", "Heures restant à réaliser", figures.hours_remaining),
        ("Heures", "Lots en deçà de leurs heures", figures.lots_short),
        ("Heures", "Lots conditionnels (seuil non atteint)", figures.conditional_lots),
        ("Participants", "Participants (personnes distinctes)", indicators.participants),
        ("Participants", "dont bénéficiaires du RSA", indicators.participants_brsa),
        ("Participants", "dont moins de 26 ans à l'entrée", indicators.participants_under_26),
        ("Participants", "dont femmes", indicators.participants_women),
        ("Marchés", "Marchés clausés", figures.tenders),
        ("Marchés", "Lots clausés", figures.lots_count),
        ("Marchés", "Opérations", figures.operations),
        ("Marchés", "Acheteurs accompagnés", figures.buyers),
        ("Marchés", "Entreprises et structures impliquées", figures.companies),
    ]
    lines += [("Contrats par type", k, v) for k, v in indicators.contracts_by_type.items()]
    lines += [("Sorties", "Sorties (toutes catégories)", indicators.exits)]
    lines += [
        ("Sorties par catégorie", k.label, v) for k, v in indicators.exits_by_category.items()
    ]
    lines += [("Sorties par catégorie", UNQUALIFIED_EXIT, indicators.exits_unqualified)]
    lines += [
        ("Marchés par type de clause", k, v) for k, v in figures.tenders_by_clause_type.items()
    ]
    lines += [
        ("Heures par type de clause", k, v) for k, v in indicators.hours_by_clause_type.items()
    ]
    return lines
