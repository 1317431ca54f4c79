"""Compute the tableau d'impact indicators; dashboards and the XLSX read the same numbers."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import Criterion, Sex
from app.domain.reports.exits import ExitCategory
from app.domain.reports.common import is_under, label
from app.domain.reports.impact_row import ImpactRow

NOT_GIVEN = "Non renseigné"


@dataclass(frozen=True)
class Indicators:
    """Aggregates over impact rows; participants are distinct people (participant codes)."""

    hours_done: Decimal
    training_hours: Decimal
    participants: int
    participants_brsa: int
    participants_under_26: int
    participants_women: int
    tenders: int
    lots: int
    contracts_by_type: Mapping[str, int]
    exits_by_category: Mapping[ExitCategory, int]
    tenders_by_clause_type: Mapping[str, int]
    hours_by_clause_type: Mapping[str, Decimal]


def compute_indicators(rows: Iterable[ImpactRow]) -> Indicators:
    """Aggregate impact rows (one per participant × tender) into report indicators."""
    rows = list(rows)
    by_person: dict[str, list[ImpactRow]] = defaultdict(list)
    for row in rows:
        by_person[row.participant_code].append(row)

    brsa = under_26 = women = 0
    exits: Counter[ExitCategory] = Counter()
    for person_rows in by_person.values():
        first = min(person_rows, key=lambda r: r.entry_on)
        # A person counts as young when under 26 on entry into their first clause.
        under_26 += is_under(first.age_at_entry)
        brsa += any(Criterion.BRSA in r.criteria for r in person_rows)
        women += first.sex is Sex.FEMME
        exited = [r for r in person_rows if r.exit_category is not None]
        if exited:
            # A person exits once: the latest exit is the one the FSE+ sheet asks about.
            last = max(exited, key=lambda r: (r.exit_on is not None, r.exit_on, r.entry_on))
            exits[last.exit_category] += 1

    tenders_by_type: dict[str, set[tuple[str, str]]] = defaultdict(set)
    hours_by_type: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        clause_type = label(row.clause_type) or NOT_GIVEN
        tenders_by_type[clause_type].add((row.buyer, row.tender_reference))
        hours_by_type[clause_type] += row.hours_done

    contracts = Counter(label(row.contract_type) or NOT_GIVEN for row in rows)
    return Indicators(
        hours_done=sum((r.hours_done for r in rows), Decimal(0)),
        training_hours=sum((r.training_hours for r in rows), Decimal(0)),
        participants=len(by_person),
        participants_brsa=brsa,
        participants_under_26=under_26,
        participants_women=women,
        tenders=len({(r.buyer, r.tender_reference) for r in rows}),
        lots=len({(r.buyer, r.tender_reference, r.lot) for r in rows}),
        contracts_by_type=dict(sorted(contracts.items())),
        exits_by_category={category: exits[category] for category in ExitCategory},
        tenders_by_clause_type={k: len(v) for k, v in sorted(tenders_by_type.items())},
        hours_by_clause_type=dict(sorted(hours_by_type.items())),
    )


def indicator_lines(indicators: Indicators) -> list[tuple[str, str, int | Decimal]]:
    """Return (section, label, value) lines in the order sheets and dashboards show them."""
    lines: list[tuple[str, str, int | Decimal]] = [
        ("Heures", "Heures d'insertion réalisées", indicators.hours_done),
        ("Heures", "Heures de formation", indicators.training_hours),
        ("Participants", "Participants (personnes distinctes)", indicators.participants),
        ("Participants", "dont bénéficiaires du RSA", indicators.participants_brsa),
        ("Participants", "dont moins de 26 ans à l'entrée", indicators.participants_under_26),
        ("Participants", "dont femmes", indicators.participants_women),
        ("Marchés", "Marchés clausés", indicators.tenders),
        ("Marchés", "Lots clausés", indicators.lots),
    ]
    lines += [("Contrats par type", k, v) for k, v in indicators.contracts_by_type.items()]
    lines += [
        ("Sorties par catégorie", k.label, v) for k, v in indicators.exits_by_category.items()
    ]
    lines += [
        ("Marchés par type de clause", k, v) for k, v in indicators.tenders_by_clause_type.items()
    ]
    lines += [
        ("Heures par type de clause", k, v) for k, v in indicators.hours_by_clause_type.items()
    ]
    return lines
