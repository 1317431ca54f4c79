"""The spreadsheet of open job needs sent to partners (France Travail, SIAE, Mission locale).

One row per fiche de liaison still to fill. Company text goes through ``app.domain.documents.xlsx``
so that a job title such as « =HYPERLINK(…) » stays text in the partner's spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl.utils import get_column_letter

from app.domain.liaison.fiche import FicheData
from app.domain.formats import format_date_fr
from app.domain.documents.typography import plural
from app.domain.documents.xlsx import (
    DATE_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    autosize_columns,
    new_workbook,
    workbook_bytes,
    write_header,
    write_rows,
    write_title,
)

HEADERS = ("Entreprise", "Poste", "Nombre de postes", "Date de démarrage", "Contrat",
           "Durée du contrat", "Heures par semaine", "Lieu de travail", "Marché", "Lot",
           "Modalité souhaitée", "Contact au facilitateur")
FORMATS = (None, None, INTEGER_FORMAT, DATE_FORMAT, None, None, HOURS_FORMAT)


@dataclass(frozen=True)
class OpenNeed:
    """One open job need, as partners read it."""

    company_name: str
    job_title: str
    posts: int
    start_on: date | None
    contract: str
    contract_length: str
    weekly_hours: Decimal | None
    workplace: str
    tender: str
    lot: str
    modality: str
    facilitator_contact: str


def open_need_from_fiche(data: FicheData, *, facilitator_contact: str) -> OpenNeed:
    """Return the row a fiche de liaison gives in the open-needs list."""
    tender = " – ".join(part for part in (data.tender_reference.strip(), data.tender_object.strip()) if part)
    return OpenNeed(
        company_name=data.company_name.strip(),
        job_title=data.job_title.strip(),
        posts=data.posts,
        start_on=data.start_on,
        contract=data.contract_type.label if data.contract_type else "",
        contract_length=data.contract_length.strip(),
        weekly_hours=data.weekly_hours,
        workplace=data.workplace.strip(),
        tender=tender,
        lot=data.lot.strip(),
        modality=data.modality.label if data.modality else "",
        facilitator_contact=facilitator_contact,
    )


def _sort_key(need: OpenNeed) -> tuple:
    # Soonest start first: that is what partners have to source first; undated needs last.
    return (need.start_on is None, need.start_on or date.min, need.company_name.casefold(),
            need.job_title.casefold())


def build_open_needs_xlsx(needs: Iterable[OpenNeed], *, title: str, generated_on: date) -> bytes:
    """Return the XLSX list of open needs: typed cells, styled frozen header, autofilter."""
    needs = sorted(needs, key=_sort_key)
    wb, ws = new_workbook("Besoins ouverts")
    posts = sum(need.posts for need in needs)
    header_row = write_title(ws, title, [
        f"Besoins en recrutement ouverts au {format_date_fr(generated_on)}",
        f"{len(needs)} {plural(len(needs), 'fiche')} de liaison, {posts} {plural(posts, 'poste')} à pourvoir",
    ])
    write_header(ws, header_row, HEADERS)
    rows = [(need.company_name, need.job_title, need.posts, need.start_on, need.contract,
             need.contract_length, need.weekly_hours, need.workplace, need.tender, need.lot,
             need.modality, need.facilitator_contact) for need in needs]
    last_row = write_rows(ws, rows, start_row=header_row + 1, formats=FORMATS) - 1
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{max(last_row, header_row)}"
    # Titles above the header would widen column A for nothing.
    autosize_columns(ws, from_row=header_row)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    return workbook_bytes(wb)
