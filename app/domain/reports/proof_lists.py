"""The lists an FSE+ dossier carries as proof: operations followed, buyers accompanied, actions
held with their proof, and the clause of every tender in scope.

Groups are made from the lots of the indicators module (``Figures``), so a list's totals are the
dashboard's: hours required and remaining by the lots' own rules, hours done in the period from
the lots' monthly hours.
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.enums import LabelledEnum
from app.domain.documents.xlsx import HOURS_FORMAT, PCT_FORMAT
from app.domain.documents.xlsx_stream import StreamBook
from app.domain.reports.common import ratio
from app.domain.reports.indicators import Figures, LotFigure, definitions_note, hours_remaining


class OperationDocumentKind(LabelledEnum):
    """What a document uploaded to an FSE+ operation proves."""

    SIGNED_SHEET = "signed_sheet", "Fiche opération signée"
    CONTRACT_DOCUMENT = "contract_document", "Pièce contractuelle signée (AE, CCAP, acte d'engagement)"
    MINUTES = "minutes", "Compte rendu"
    OTHER = "other", "Autre pièce justificative"


@dataclass(frozen=True)
class GroupLine:
    """One operation or one buyer: its tenders, lots and hours."""

    name: str
    detail: str
    tenders: int
    lots: int
    required: Decimal
    done_in_period: Decimal
    done_to_date: Decimal
    remaining: Decimal

    @property
    def completion(self) -> Decimal:
        """Return hours done to date ÷ hours required (conditional lots owe nothing yet)."""
        return ratio(self.done_to_date, self.required)


def _in_period(lot: LotFigure, first: str, last: str) -> Decimal:
    return sum((hours for key, hours in lot.monthly.items() if first <= key <= last), Decimal(0))


def _lines(figures: Figures, starts_on: date, ends_on: date, key: Callable[[LotFigure], Hashable],
           name: Callable[[LotFigure], str], detail: Callable[[list[LotFigure]], str]) -> list[GroupLine]:
    first, last = f"{starts_on:%Y-%m}", f"{ends_on:%Y-%m}"
    groups: dict[Hashable, list[LotFigure]] = {}
    for lot in figures.lots:
        groups.setdefault(key(lot), []).append(lot)
    lines = [GroupLine(
        name=name(lots[0]), detail=detail(lots), tenders=len({lot.tender_id for lot in lots}), lots=len(lots),
        required=sum((lot.due for lot in lots), Decimal(0)),
        done_in_period=sum((_in_period(lot, first, last) for lot in lots), Decimal(0)),
        done_to_date=sum((lot.done for lot in lots if not lot.is_conditional), Decimal(0)),
        remaining=hours_remaining(lots)) for lots in groups.values()]
    return sorted(lines, key=lambda line: (line.name.casefold(), line.detail))


def _joined(values) -> str:
    return ", ".join(sorted({value for value in values if value}))


def followed_operations(figures: Figures, programme_names: Mapping[int, str], starts_on: date,
                        ends_on: date) -> list[GroupLine]:
    """Return the operations followed: each programme, and each tender outside any programme."""
    def key(lot: LotFigure):
        return ("op", lot.operation_id) if lot.operation_id is not None else ("tender", lot.tender_id)

    def name(lot: LotFigure) -> str:
        if lot.operation_id is not None:
            return programme_names.get(lot.operation_id, f"Opération n° {lot.operation_id}")
        return f"{lot.tender_reference} — {lot.tender_object}"

    return _lines(figures, starts_on, ends_on, key, name, lambda lots: _joined(lot.buyer for lot in lots))


def accompanied_buyers(figures: Figures, starts_on: date, ends_on: date) -> list[GroupLine]:
    """Return the buyers accompanied, with their tenders' references."""
    return _lines(figures, starts_on, ends_on, lambda lot: lot.buyer_id, lambda lot: lot.buyer,
                  lambda lots: _joined(lot.tender_reference for lot in lots))


GROUP_FORMATS = (None, None, None, None, HOURS_FORMAT, HOURS_FORMAT, HOURS_FORMAT, HOURS_FORMAT, PCT_FORMAT)


def build_groups_xlsx(lines: Sequence[GroupLine], *, title: str, subtitle: str, headers: tuple[str, str],
                      sheet: str) -> bytes:
    """Return a list of operations or buyers with a totals line and the definitions used."""
    book = StreamBook()
    ws = book.sheet(sheet)
    ws.title(title, [subtitle, *definitions_note("operations", "buyers", "hours_done", "hours_remaining")])
    ws.header((*headers, "Marchés clausés", "Lots clausés", "Heures exigées", "Heures réalisées sur la période",
               "Heures réalisées depuis le démarrage", "Restant à réaliser", "Taux de réalisation"))
    for line in lines:
        ws.write((line.name, line.detail, line.tenders, line.lots, line.required, line.done_in_period,
                  line.done_to_date, line.remaining, line.completion), GROUP_FORMATS)
    required = sum((line.required for line in lines), Decimal(0))
    done = sum((line.done_to_date for line in lines), Decimal(0))
    ws.write(("Total", "", sum(line.tenders for line in lines), sum(line.lots for line in lines), required,
              sum((line.done_in_period for line in lines), Decimal(0)), done,
              sum((line.remaining for line in lines), Decimal(0)), ratio(done, required)), GROUP_FORMATS, bold=True)
    ws.size_columns()
    return book.finish()


@dataclass(frozen=True)
class ActionLine:
    """An action of the period and the piece that proves it (émargement or compte rendu)."""

    on: date
    kind: str
    title: str
    with_whom: str
    proof: str


def build_actions_xlsx(lines: Sequence[ActionLine], *, title: str, subtitle: str) -> bytes:
    """Return the list of actions held, each with the dossier piece that proves it."""
    book = StreamBook()
    ws = book.sheet("Actions")
    ws.title(title, [subtitle])
    ws.header(("Date", "Type d'action", "Intitulé", "Avec", "Pièce justificative dans le dossier"))
    for line in lines:
        ws.write((line.on, line.kind, line.title, line.with_whom, line.proof or "Aucune pièce déposée"))
    ws.size_columns()
    return book.finish()


@dataclass(frozen=True)
class ClauseLine:
    """A tender in scope and the clause documents that prove its clause."""

    buyer: str
    reference: str
    object: str
    pieces: tuple[str, ...]


def build_clauses_xlsx(lines: Sequence[ClauseLine], *, title: str, subtitle: str) -> bytes:
    """Return the tenders in scope with the clause documents joined, or what is missing."""
    book = StreamBook()
    ws = book.sheet("Clauses")
    ws.title(title, [subtitle, "Une clause rédigée hors de Clausier se prouve par le CCAP, le RC ou l'acte "
                               "d'engagement signés, déposés sur la page de l'opération."])
    ws.header(("Donneur d'ordre", "Référence", "Objet du marché", "Pièces de la clause dans le dossier"))
    for line in lines:
        ws.write((line.buyer, line.reference, line.object,
                  " ; ".join(line.pieces) or "Aucune clause générée dans Clausier ni pièce signée déposée"))
    ws.size_columns()
    return book.finish()
