"""Statistics by territory and sector: the lots of a scope grouped by commune, EPCI, CPV division and trade.

Every line sums the lots' own figures (``LotFigure.due`` and ``LotFigure.done``, the ones
``Figures.hours_required`` and ``Figures.hours_done_to_date`` add up), so each breakdown adds up
to the dashboard's totals. A tender sits in one commune, one EPCI and one CPV division; its lots
may be of different trades, so by trade a tender counts under each trade of its lots.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.documents.xlsx import HOURS_FORMAT, INTEGER_FORMAT
from app.domain.documents.xlsx_stream import StreamBook
from app.domain.formats import format_date_fr
from app.domain.reports.indicators import NOT_GIVEN, LotFigure

# The divisions of the CPV (its first two digits) that clauses sociales meet most, with their
# French names as the CPV 2008 nomenclature gives them.
CPV_DIVISIONS = {
    "03": "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes",
    "15": "Produits alimentaires, boissons, tabac et produits connexes",
    "18": "Vêtements, articles chaussants, bagages et accessoires",
    "30": "Machines de bureau et matériel informatique",
    "34": "Équipements de transport et produits auxiliaires pour le transport",
    "39": "Meubles, aménagements, appareils électroménagers et produits de nettoyage",
    "44": "Structures et matériaux de construction ; produits auxiliaires pour la construction",
    "45": "Travaux de construction",
    "48": "Logiciels et systèmes d'information",
    "50": "Services de réparation et d'entretien",
    "55": "Services d'hôtellerie, de restauration et de commerce au détail",
    "60": "Services de transport (à l'exclusion du transport des déchets)",
    "63": "Services de transport complémentaires et auxiliaires ; services d'agences de voyages",
    "64": "Services des postes et télécommunications",
    "70": "Services immobiliers",
    "71": "Services d'architecture, de construction, d'ingénierie et d'inspection",
    "72": "Services de technologies de l'information, conseil, développement de logiciels, internet et appui",
    "77": "Services agricoles, sylvicoles, horticoles, aquacoles et apicoles",
    "79": "Services aux entreprises : droit, marketing, conseil, recrutement, impression et sécurité",
    "80": "Services d'enseignement et de formation",
    "85": "Services de santé et services sociaux",
    "90": "Services relatifs aux eaux usées, aux déchets, au nettoyage et à l'environnement",
    "92": "Services récréatifs, culturels et sportifs",
    "98": "Autres services communautaires, sociaux et personnels",
}

DIMENSIONS = (("city", "Par commune", "Commune"), ("epci", "Par EPCI", "EPCI"),
              ("cpv", "Par division CPV", "Division CPV"), ("trade", "Par métier", "Métier"))
TRADE_NOTE = ("Par métier, un marché compte sous chacun des métiers de ses lots : la colonne des marchés ne "
              "s'additionne pas.")


def cpv_division(cpv: str) -> str:
    """Return « 45 — Travaux de construction » for a CPV code, « Non renseigné » without a valid one."""
    digits = "".join(ch for ch in (cpv or "") if ch.isdigit())[:2]
    if len(digits) < 2:
        return NOT_GIVEN
    return f"{digits} — {CPV_DIVISIONS[digits]}" if digits in CPV_DIVISIONS else f"Division {digits}"


@dataclass(frozen=True)
class BreakdownLine:
    """One commune, EPCI, division or trade: its lots' hours due and done, its lots and tenders."""

    label: str
    hours_required: Decimal
    hours_done: Decimal
    lots: int
    tenders: int


@dataclass(frozen=True)
class Breakdowns:
    """A scope's lots by commune, EPCI, CPV division and trade."""

    by_city: tuple[BreakdownLine, ...]
    by_epci: tuple[BreakdownLine, ...]
    by_cpv: tuple[BreakdownLine, ...]
    by_trade: tuple[BreakdownLine, ...]

    def dimension(self, key: str) -> tuple[BreakdownLine, ...]:
        """Return the lines of ``key`` (city, epci, cpv, trade)."""
        return getattr(self, f"by_{key}")


KEYS: dict[str, Callable[[LotFigure], str]] = {
    "city": lambda lot: lot.site_city.strip() or NOT_GIVEN,
    "epci": lambda lot: lot.site_epci.strip() or NOT_GIVEN,
    "cpv": lambda lot: cpv_division(lot.cpv),
    "trade": lambda lot: lot.trade.strip() or NOT_GIVEN,
}


def group_lots(lots: Iterable[LotFigure], key: Callable[[LotFigure], str]) -> tuple[BreakdownLine, ...]:
    """Group lots by ``key``: the largest hours due first, « Non renseigné » last."""
    due: dict[str, Decimal] = defaultdict(Decimal)
    done: dict[str, Decimal] = defaultdict(Decimal)
    lot_ids: dict[str, set[int]] = defaultdict(set)
    tender_ids: dict[str, set[int]] = defaultdict(set)
    for lot in lots:
        name = key(lot)
        due[name] += lot.due
        done[name] += lot.done
        lot_ids[name].add(lot.lot_id)
        tender_ids[name].add(lot.tender_id)
    order = sorted(due, key=lambda name: (name == NOT_GIVEN, -due[name], name))
    return tuple(BreakdownLine(name, due[name], done[name], len(lot_ids[name]), len(tender_ids[name]))
                 for name in order)


def compute_breakdowns(lots: Iterable[LotFigure]) -> Breakdowns:
    """Return the lots of a scope by commune, EPCI, CPV division and trade."""
    lots = tuple(lots)
    return Breakdowns(**{f"by_{key}": group_lots(lots, KEYS[key]) for key, _, _ in DIMENSIONS})


HEADERS = ("Heures exigées", "Heures réalisées depuis le démarrage", "Lots clausés", "Marchés clausés")
FORMATS = (HOURS_FORMAT, HOURS_FORMAT, INTEGER_FORMAT, INTEGER_FORMAT)


def build_breakdowns_xlsx(sections: Sequence[tuple[str, Breakdowns]], *, title: str, generated_on: date) -> bytes:
    """Return one sheet per dimension; ``sections`` are (territory, breakdowns), each with its own lines."""
    book = StreamBook()
    for key, sheet_title, column in DIMENSIONS:
        ws = book.sheet(sheet_title)
        notes = [f"Édité le {format_date_fr(generated_on)}"] + ([TRADE_NOTE] if key == "trade" else [])
        ws.title(f"{title} — {sheet_title.lower()}", notes)
        ws.header(["Territoire", column, *HEADERS])
        for territory, breakdowns in sections:
            for line in breakdowns.dimension(key):
                ws.write([territory, line.label, line.hours_required, line.hours_done, line.lots, line.tenders],
                         [None, None, *FORMATS])
        ws.size_columns()
    return book.finish()
