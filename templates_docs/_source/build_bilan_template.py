"""Build bilan.docx of templates_docs/.

Run: python templates_docs/_source/build_bilan_template.py

Page set-up, paragraph helpers and the reproducible ZIP come from build_clause_templates.py.
Each Jinja tag is a run of its own. ``{{ chart_progress }}`` and ``{{ chart_monthly }}`` sit alone
in their paragraph: app.domain.reports.bilan.insert_charts replaces those paragraphs with the charts.
Headings carry no number: the narrative sections appear only when the facilitator wrote them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_clause_templates import (  # noqa: E402  (sibling script, not a package)
    EU_MARKER,
    OUT_DIR, _normalised_zip, heading, new_document, para, table, tag,
)
from build_fiche_convention_templates import set_header  # noqa: E402


def narrative_section(doc, name: str, title: str) -> None:
    """Add a narrative section, heading included, printed only when its text is not empty."""
    tag(doc, f"{{%p if {name} %}}")
    heading(doc, title)
    tag(doc, f"{{%p for paragraph in {name} %}}")
    para(doc, "{{ paragraph }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def caption(doc, text: str) -> None:
    """Add a table's caption, kept on the page of its table."""
    paragraph = para(doc, text, bold=True)
    paragraph.paragraph_format.keep_with_next = True


def keep_tables_whole(doc) -> None:
    """Repeat each table's header row on a new page and keep a row from splitting across pages.

    Each row's paragraphs are also kept with the next row, and the sentence before the table with
    the table, so that a short table moves to the next page whole with what introduces it instead
    of leaving its header row or its heading alone at the bottom of a page.
    """
    for grid in doc.tables:
        before = grid._tbl.getprevious()
        if before is not None and before.tag == qn("w:p"):
            Paragraph(before, doc).paragraph_format.keep_with_next = True  # the sentence that introduces it
        for number, row in enumerate(grid.rows):
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if number == 0:
                properties.append(OxmlElement("w:tblHeader"))
            if number < len(grid.rows) - 1:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True


def build_bilan():
    """Return the bilan template: summary, hours, publics, contracts, exits, clause types, months."""
    doc = new_document("Bilan des clauses sociales d'insertion")
    set_header(doc, "{{ organisation_name }}", " – bilan ", "{{ period_label }}")
    title = para(doc, "Bilan des clauses sociales d'insertion", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ subject_kind_label }}", " : ", "{{ subject_name }}", bold=True)
    para(doc, "Période : ", "{{ period_label }}")
    tag(doc, "{%p if operation_title %}")
    para(doc, "Opération : ", "{{ operation_title }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if is_fse_funded %}")
    para(doc, EU_MARKER)
    tag(doc, "{%p endif %}")
    para(doc, "Établi par ", "{{ organisation_the }}", " le ", "{{ generated_on }}", ".", italic=True)

    heading(doc, "Synthèse")
    tag(doc, "{%p for paragraph in summary %}")
    para(doc, "{{ paragraph }}")
    tag(doc, "{%p endfor %}")
    narrative_section(doc, "highlights", "Faits marquants")
    narrative_section(doc, "actions", "Actions menées")

    heading(doc, "Heures d'insertion")
    para(doc, "Heures prévues sur les lots suivis : ", "{{ hours_required }}", " ; réalisées depuis leur "
         "démarrage : ", "{{ hours_done_total }}", " (", "{{ completion }}", ") ; restant à réaliser : ",
         "{{ hours_remaining }}", ".")
    para(doc, "{{ chart_progress }}")
    para(doc, "Heures réalisées sur la période : ", "{{ hours_done_period }}", ", dont heures de formation : ",
         "{{ training_hours }}", ".")
    table(doc, headers=["Donneur d'ordre", "Marché", "Lot", "Entreprise", "Prévues", "Réalisées", "Taux"],
          loop="line in lines",
          cells=["{{ line.buyer }}", ("{{ line.tender_reference }}", " – ", "{{ line.tender_object }}"),
                 "{{ line.lot }}", "{{ line.company }}", "{{ line.hours_required }}", "{{ line.hours_done }}",
                 "{{ line.completion }}"],
          # Hours keep their unit on one line (no-break space): their columns are sized for « 1 792,50 heures ».
          widths=[2.2, 3.5, 1.1, 2.3, 2.95, 2.95, 1.5])

    heading(doc, "Heures par mois")
    para(doc, "{{ chart_monthly }}")
    table(doc, headers=["Mois", "Heures réalisées"], loop="month in monthly",
          cells=["{{ month.month }}", "{{ month.hours }}"], widths=[8, 6])

    heading(doc, "Participants et publics")
    # Counts as « label : value », so that « moins de 5 » and « 1 » both read right without « (s) ».
    para(doc, "Personnes ayant travaillé sur les marchés clausés pendant la période : ", "{{ participants }}",
         " ; parmi elles, bénéficiaires du RSA : ", "{{ participants_brsa }}", " ; jeunes de moins de 26 ans à "
         "l'entrée : ", "{{ participants_under_26 }}", " ; femmes : ", "{{ participants_women }}", ".")
    table(doc, headers=["Public", "Personnes"], loop="public in publics",
          cells=["{{ public.label }}", "{{ public.count }}"], widths=[8, 6])

    heading(doc, "Répartition des participants")
    para(doc, "Personnes distinctes ayant travaillé sur la période et leurs heures réalisées ; sexe et âge à "
         "l'entrée dans la première clause.")
    tag(doc, "{%p if breakdown_note %}")
    para(doc, "{{ breakdown_note }}", italic=True)
    tag(doc, "{%p endif %}")
    caption(doc, "Par modalité de mise en œuvre")
    note = para(doc, "Une personne ayant travaillé selon plusieurs modalités est comptée dans chacune ; le total "
                "compte chaque personne une fois.", italic=True)
    note.paragraph_format.keep_with_next = True
    table(doc, headers=["Modalité", "Personnes", "Heures réalisées"], loop="group in by_modality",
          cells=["{{ group.label }}", "{{ group.participants }}", "{{ group.hours }}"], widths=[8.5, 2.6, 3.7],
          total=["Total (personnes distinctes)", "{{ participants }}", "{{ hours_done_period }}"])
    caption(doc, "Par sexe")
    table(doc, headers=["Sexe", "Personnes", "Heures réalisées"], loop="group in by_sex",
          cells=["{{ group.label }}", "{{ group.participants }}", "{{ group.hours }}"], widths=[8.5, 2.6, 3.7],
          total=["Total", "{{ participants }}", "{{ hours_done_period }}"])
    caption(doc, "Par tranche d'âge à l'entrée")
    table(doc, headers=["Tranche d'âge", "Personnes", "Heures réalisées"], loop="group in by_age_band",
          cells=["{{ group.label }}", "{{ group.participants }}", "{{ group.hours }}"], widths=[8.5, 2.6, 3.7],
          total=["Total", "{{ participants }}", "{{ hours_done_period }}"])

    heading(doc, "Contrats")
    table(doc, headers=["Type de contrat", "Nombre"], loop="contract in contracts",
          cells=["{{ contract.label }}", "{{ contract.count }}"], widths=[8, 6])

    heading(doc, "Sorties")
    para(doc, "Catégories de sortie définies par la fiche FSE+ du Pas-de-Calais (emploi durable, emploi de "
         "transition, sortie positive, autre).")
    table(doc, headers=["Catégorie de sortie", "Personnes"], loop="exit in exits",
          cells=["{{ exit.label }}", "{{ exit.count }}"], widths=[8, 6])

    heading(doc, "Types de clause")
    table(doc, headers=["Type de clause", "Marchés", "Heures réalisées"], loop="item in clause_types",
          cells=["{{ item.label }}", "{{ item.tenders }}", "{{ item.hours }}"], widths=[8, 3, 4])

    narrative_section(doc, "difficulties", "Difficultés rencontrées")
    narrative_section(doc, "outlook", "Perspectives")

    tag(doc, "{%p if is_fse_funded %}")
    para(doc, "{{ fse_mention }}", bold=True).paragraph_format.space_before = Pt(12)
    tag(doc, "{%p endif %}")
    keep_tables_whole(doc)
    return doc


def main(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write bilan.docx to ``out_dir`` and return its path."""
    path = out_dir / "bilan.docx"
    path.write_bytes(_normalised_zip(build_bilan()))
    return [path]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(f"Modèle écrit : {path}")
