"""The cover page of the FSE+ justification dossier: the EU block, the operation, its targets.

A controller opens the ZIP on this page: who sends it, for which operation and period, the
figures against the targets, and what each numbered folder holds.
"""

from collections.abc import Sequence
from datetime import date

from fpdf.fonts import FontFace

from app.domain.documents.pdfdoc import FONT, ClausierPdf
from app.domain.formats import format_date_fr, format_number, format_pct
from app.domain.reports.targets import Target

CONTENTS = (
    ("01", "Bilan de l’action (Word et PDF)"),
    ("02", "Listes des marchés clausés, des opérations suivies et des donneurs d’ordre accompagnés"),
    ("03", "Tableau d’impact pseudonymisé ; indicateurs communs FSE+ des participants"),
    ("04", "Conventions de partenariat actives et conventions signées"),
    ("05", "Actions menées : liste, feuilles d’émargement et comptes rendus"),
    ("06", "Extrait du journal d’activité (relations entreprises, pilotage)"),
    ("07", "Clause de chaque marché : article du CCAP, annexe à l’acte d’engagement, mention du RC"),
    ("08–10", "Fiche opération signée, pièces contractuelles signées et autres pièces déposées"),
    ("—", "Indicateurs comparés aux cibles, avec les pièces de chacune ; sommaire des pièces (manifest)"),
)


def build_dossier_cover_pdf(*, operation_title: str, organisation_name: str, starts_on: date, ends_on: date,
                            data_as_of: date, targets: Sequence[Target], is_fse_funded: bool,
                            operation_number: str = "") -> bytes:
    """Return the one-page cover of the dossier (an FSE+ operation without its number: a line to fill)."""
    pdf = ClausierPdf(title=f"Dossier de justification — {operation_title}", issued_on=data_as_of)
    if is_fse_funded:
        pdf.eu_block(detail="Fonds social européen plus (FSE+) — programme 2021-2027")
    pdf.ln(6)
    pdf.heading("Dossier de justification de l’opération", size=16)
    pdf.heading(operation_title, size=13)
    if is_fse_funded or operation_number:
        pdf.field_line("N° d’opération", operation_number or "……………………")
    pdf.field_line("Structure", organisation_name)
    pdf.field_line("Période", f"du {format_date_fr(starts_on, 'long')} au {format_date_fr(ends_on, 'long')}")
    pdf.field_line("Données arrêtées le", format_date_fr(data_as_of, "long"))
    pdf.ln(4)
    style = FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242))
    if targets:
        pdf.heading("Réalisations et cibles", size=11)
        pdf.set_font(FONT, "", 9)
        with pdf.table(col_widths=(90, 30, 30, 26), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                       headings_style=style, line_height=5) as table:
            table.row(("Indicateur", "Cible", "Réalisé", "Taux"))
            for target in targets:
                table.row((target.label, format_number(target.target), format_number(target.achieved),
                           format_pct(target.pct)))
        pdf.ln(4)
    contents_table(pdf, CONTENTS)
    return pdf.to_bytes()


def contents_table(pdf: ClausierPdf, contents: Sequence[tuple[str, str]]) -> None:
    """Print « Contenu du dossier »: what each numbered folder of a ZIP holds."""
    pdf.heading("Contenu du dossier", size=11)
    pdf.set_font(FONT, "", 9)
    style = FontFace(family=FONT, emphasis="BOLD", fill_color=(225, 232, 242))
    with pdf.table(col_widths=(20, 156), headings_style=style, line_height=5) as table:
        table.row(("Dossier", "Pièces"))
        for folder, what in contents:
            table.row((folder, what))
