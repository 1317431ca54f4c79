"""« Marchés à venir »: the pipeline's not-yet-awarded tenders as a workbook anyone can open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.documents.typography import plural
from app.domain.documents.xlsx import (
    autosize_columns,
    new_workbook,
    workbook_bytes,
    write_header,
    write_rows,
    write_title,
)

HEADERS = ("Acheteur", "Référence", "Objet", "CPV", "Montant HT (€)", "Étape", "Publication prévue",
           "Attribution prévue", "Démarrage des travaux", "Prochaine étape")
FORMATS = (None, None, None, None, "#,##0.00", None, None, None, None, None)


@dataclass(frozen=True)
class UpcomingTender:
    """One line of the list: what a buyer plans to consult, and when."""

    buyer: str
    reference: str
    object: str
    cpv: str
    amount: Decimal
    status: str
    planned_publication_on: date | None
    planned_award_on: date | None
    planned_works_on: date | None
    next_step: str


def build_upcoming_xlsx(lines: Sequence[UpcomingTender], title: str, subtitle: str = "") -> bytes:
    """Return the « marchés à venir » workbook (text cells never become formulas)."""
    wb, ws = new_workbook("Marchés à venir")
    header_row = write_title(ws, title, [line for line in (subtitle, f"{len(lines)} {plural(len(lines), 'marché')}") if line])
    write_header(ws, header_row, HEADERS)
    write_rows(ws, ((line.buyer, line.reference, line.object, line.cpv, line.amount, line.status,
                     line.planned_publication_on, line.planned_award_on, line.planned_works_on, line.next_step)
                    for line in lines), start_row=header_row + 1, formats=FORMATS)
    autosize_columns(ws, from_row=header_row)
    return workbook_bytes(wb)
