"""Build fiche_liaison.docx and convention.docx of templates_docs/.

Run: python templates_docs/_source/build_fiche_convention_templates.py

Page set-up, paragraph helpers and the reproducible ZIP come from build_clause_templates.py
so that every Clausier document looks alike. Each Jinja tag is a run of its own; ``{%p %}``
and ``{%tr %}`` tags sit alone in their paragraph or table row, as docxtpl requires.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_clause_templates import (  # noqa: E402  (sibling script, not a package)
    EU_MARKER,
    OUT_DIR, _normalised_zip, _shade, bullets, heading, new_document, para, table, tag,
)


def set_header(doc, *parts) -> None:
    """Replace the clause-pack header (buyer, tender) with ``parts``, one run each."""
    header = doc.sections[0].header.paragraphs[0]
    for run in list(header.runs):
        run._r.getparent().remove(run._r)
    for part in parts:
        header.add_run(part).font.size = Pt(8)


def fields_table(doc, rows, widths=(6, 11)) -> None:
    """Add a two-column table: a shaded label cell, then the value's runs (9 pt, no gap under lines)."""
    grid = doc.add_table(rows=0, cols=2)
    grid.style, grid.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for label, *value in rows:
        left, right = grid.add_row().cells
        label_run = left.paragraphs[0].add_run(label)
        label_run.bold, label_run.font.size = True, Pt(9)
        _shade(left, "D9E2F3")
        for piece in value:
            right.paragraphs[0].add_run(piece).font.size = Pt(9)
        for cell in (left, right):  # no gap under each line: the whole fiche fits on one page
            cell.paragraphs[0].paragraph_format.space_after = Pt(1)
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = Cm(width)  # the grid is what LibreOffice reads
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)  # the cell widths are what Word reads
    # A thin gap between tables, so that a full fiche and its signature fit on one page.
    gap = doc.add_paragraph().paragraph_format
    gap.space_after, gap.line_spacing = Pt(0), Pt(6)


def build_fiche_liaison():
    """Return the fiche de liaison template: company, position, conditions, clause."""
    doc = new_document("Fiche de liaison")
    # Tighter headings than the clause pack's: five tables and the signature share one page.
    heading_format = doc.styles["Heading 2"].paragraph_format
    heading_format.space_before, heading_format.space_after = Pt(6), Pt(2)
    set_header(doc, "{{ organisation_name }}", " – fiche de liaison")
    para(doc, "Fiche de liaison – besoin de recrutement", style="Title")
    para(doc, "Marché ", "{{ tender_reference }}", " : ", "{{ tender_object }}", " – lot ", "{{ lot }}")
    para(doc, "Demande de l'entreprise du ", "{{ requested_on }}", " ; fiche établie le ", "{{ generated_on }}",
         " par ", "{{ organisation_the }}", ".", italic=True)
    para(doc, "Les candidatures sont présentées par ", "{{ organisation_the }}", " après vérification de "
         "l'éligibilité des personnes. Merci de lui signaler sans délai toute modification du besoin.")
    heading(doc, "1. L'entreprise")
    fields_table(doc, [
        ("Raison sociale", "{{ company_name }}"), ("SIRET", "{{ company_siret }}"),
        ("Adresse", "{{ company_address }}"), ("Personne à contacter", "{{ contact_name }}"),
        ("Téléphone", "{{ contact_phone }}"), ("Courriel", "{{ contact_email }}"),
    ])
    heading(doc, "2. Le poste")
    fields_table(doc, [
        ("Intitulé du poste", "{{ job_title }}"), ("Code ROME", "{{ rome_code }}"),
        ("Nombre de postes", "{{ posts }}"),
        ("Date de démarrage", "{{ start_on }}"), ("Activités principales", "{{ activities }}"),
        ("Compétences attendues", "{{ skills }}"), ("Expérience", "{{ experience }}"),
        ("Formation, diplôme", "{{ training }}"),
        # Special requirements follow in the same table: the whole fiche then fits on one page.
        ("Permis de conduire", "{{ driving_licence }}"), ("Habilitations", "{{ habilitation }}"),
        ("Travail en extérieur", "{{ outdoor_work }}"), ("Autres exigences", "{{ other_requirements }}"),
    ])
    heading(doc, "3. Les conditions d'emploi")
    fields_table(doc, [
        ("Type de contrat", "{{ contract_type }}"), ("Durée du contrat", "{{ contract_length }}"),
        ("Durée hebdomadaire", "{{ weekly_hours }}"), ("Horaires de travail", "{{ work_schedule }}"),
        ("Salaire brut mensuel", "{{ gross_salary }}"), ("Lieu de travail", "{{ workplace }}"),
    ])
    heading(doc, "4. Les candidatures")
    fields_table(doc, [
        ("Date limite de candidature", "{{ applications_close_on }}"),
        ("Comment candidater", "{{ application_channel }}"),
    ])
    heading(doc, "5. La clause sociale")
    fields_table(doc, [
        ("Marché", "{{ tender_reference }}", " – ", "{{ tender_object }}"), ("Lot", "{{ lot }}"),
        # The lot's obligation is not what one need brings: both are printed, each named for what it is.
        ("Obligation d'insertion du lot", "{{ hours_covered }}"),
        ("Heures d'insertion prévues pour ce besoin (estimation)", "{{ hours_estimate }}"),
        ("Modalité souhaitée", "{{ modality }}"),
        ("Tuteur ou tutrice", "{{ tutor }}"),
        # The signature is the table's last row: it never sits alone on a page of its own.
        ("Date et signature du représentant de l'entreprise", ""),
    ])
    signature_row = doc.tables[-1].rows[-1]
    signature_row.height = Cm(1.6)
    signature_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # The body must end with a paragraph: make it too small to spill onto an empty page.
    last = doc.paragraphs[-1].paragraph_format
    last.space_before, last.space_after, last.line_spacing = Pt(0), Pt(0), Pt(1)
    return doc


ARTICLES = ["Objet", "Périmètre", "Durée", "Engagements des parties", "Calendrier de suivi",
            "Protection des données personnelles", "Gouvernance", "Dispositions financières",
            "Résiliation et litiges", "Cofinancement"]


def article(doc, number: int) -> None:
    """Add the heading « Article n – title »."""
    heading(doc, f"Article {number} – {ARTICLES[number - 1]}")


def commitments(doc, number: str, title_parts: tuple[str, ...], who: str, loop: str) -> None:
    """Add a sub-article: heading, « X s'engage à : » and one bullet per commitment."""
    heading(doc, f"{number} – Engagements ", *title_parts, level=3)
    para(doc, who, " s'engage à :")
    bullets(doc, loop, "{{ item }}")


def signature_block(doc) -> None:
    """Add the two-column signature table."""
    grid = doc.add_table(rows=1, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Signatures never straddle a page break: the row stays whole.
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, who in zip(grid.rows[0].cells, ("facilitator", "party")):
        for parts, bold in ((("Pour ", "{{ %s_the }}" % who), True),
                            (("{{ %s_signatory_name }}" % who,), False),
                            (("{{ %s_signatory_role }}" % who,), False),
                            (("Signature :",), False)):
            paragraph = cell.add_paragraph() if cell.paragraphs[0].runs else cell.paragraphs[0]
            for part in parts:
                paragraph.add_run(part).bold = bold or None
        cell.add_paragraph().paragraph_format.space_after = Pt(48)


def build_convention():
    """Return the convention template: parties, nine numbered articles, signatures."""
    doc = new_document("Convention de partenariat")
    set_header(doc, "{{ facilitator_name }}", " – convention n° ", "{{ reference }}")
    title = para(doc, "Convention de partenariat pour la mise en œuvre des clauses sociales d'insertion",
                 style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p if is_fse_funded %}")
    para(doc, EU_MARKER)
    tag(doc, "{%p endif %}")
    para(doc, "Entre les soussignés :", bold=True)
    para(doc, "{{ facilitator_subject }}", ", ", "{{ facilitator_address }}", ", ayant pour signataire ",
         "{{ facilitator_signatory_name }}", ", ", "{{ facilitator_signatory_role }}",
         ", ci-après « le facilitateur »,")
    para(doc, "d'une part,", italic=True)
    para(doc, "et ", "{{ party_the }}", " (", "{{ party_kind_label }}", "), SIRET ", "{{ party_siret }}",
         "{% if party_address %}, {{ party_address }}{% endif %}", ", ayant pour signataire ", "{{ party_signatory_name }}", ", ",
         "{{ party_signatory_role }}", ", ci-après « ", "{{ party_noun }}", " »,")
    para(doc, "d'autre part,", italic=True)
    para(doc, "Vu le Code de la commande publique, notamment ses articles L2112-2 et L2152-7 ;")
    para(doc, "Vu le code du travail, notamment son article L5132-1 relatif à l'insertion par l'activité "
         "économique ;")
    tag(doc, "{%p if is_fse_funded %}")
    para(doc, "Vu le règlement (UE) 2021/1057 du Parlement européen et du Conseil du 24 juin 2021 instituant "
         "le Fonds social européen plus (FSE+) ;")
    tag(doc, "{%p endif %}")
    para(doc, "Préambule", bold=True)
    para(doc, "Les clauses sociales d'insertion permettent à des personnes éloignées de l'emploi d'accéder à "
         "un emploi à l'occasion de l'exécution des marchés publics. ", "{{ facilitator_subject }}",
         " accompagne les acheteurs, les entreprises et les structures d'insertion dans leur mise en "
         "œuvre ; la présente convention organise sa collaboration avec ", "{{ party_the }}", ".")
    para(doc, "Il est convenu ce qui suit.", bold=True)
    article(doc, 1)
    para(doc, "{{ object }}")
    article(doc, 2)
    para(doc, "La présente convention s'applique aux marchés et opérations suivants :")
    table(doc, headers=["Référence", "Intitulé", "Lot"], loop="item in scope",
          cells=["{{ item.reference }}", "{{ item.label }}", "{{ item.lot }}"], widths=[3.5, 11, 2.5])
    article(doc, 3)
    para(doc, "La présente convention prend effet le ", "{{ starts_on }}", " et s'achève le ", "{{ ends_on }}",
         ". Elle peut être modifiée ou prolongée par avenant signé des parties.")
    article(doc, 4)
    commitments(doc, "4.1", ("du facilitateur",), "{{ facilitator_name }}",
                "item in facilitator_commitments")
    commitments(doc, "4.2", ("de ", "{{ party_noun }}"), "{{ party_name }}", "item in party_commitments")
    article(doc, 5)
    para(doc, "Les parties échangent les documents suivants :")
    table(doc, headers=["Document", "Échéance"], loop="step in reporting",
          cells=["{{ step.what }}", "{{ step.when }}"], widths=[10, 7])
    article(doc, 6)
    tag(doc, "{%p for paragraph in data_protection %}")
    para(doc, "{{ paragraph }}")
    tag(doc, "{%p endfor %}")
    article(doc, 7)
    para(doc, "Un comité de suivi se réunit ", "{{ committee_frequency }}", ". Il est composé de :")
    bullets(doc, "member in committee_members", "{{ member }}")
    para(doc, "Il examine les heures réalisées, les parcours des participants et les difficultés "
         "rencontrées, et propose les ajustements nécessaires.")
    article(doc, 8)
    para(doc, "La présente convention est conclue à titre gratuit : elle n'emporte aucun versement entre les "
         "parties. L'accompagnement assuré par le facilitateur ne donne lieu à aucune facturation à ",
         "{{ party_noun }}", ". Chaque partie supporte les frais qu'elle engage pour son exécution.")
    article(doc, 9)
    para(doc, "Chaque partie peut résilier la présente convention par lettre recommandée avec accusé de "
         "réception, moyennant un préavis d'un mois. En cas de manquement grave d'une partie à ses "
         "engagements, l'autre partie peut la résilier sans préavis, après une mise en demeure restée "
         "sans effet pendant quinze jours. La résiliation ne remet pas en cause les obligations "
         "contractuelles nées des marchés, qui restent régies par ceux-ci.")
    para(doc, "Les parties recherchent d'abord une solution amiable à tout différend relatif à la présente "
         "convention ; à défaut d'accord dans un délai de deux mois, le différend est porté devant la "
         "juridiction compétente.")
    tag(doc, "{%p if is_fse_funded %}")
    article(doc, 10)
    para(doc, "{{ fse_mention }}", bold=True)
    para(doc, "Les parties font figurer cette mention et l'emblème de l'Union européenne sur les "
         "documents et supports relatifs à l'action, et tiennent à disposition du facilitateur les "
         "pièces nécessaires à la justification de l'opération.")
    tag(doc, "{%p endif %}")
    heading(doc, "Article ", "{{ annexes_article_number }}", " – Annexes")
    bullets(doc, "annex in annexes", "{{ annex }}")
    place = para(doc, "Fait à ", "{{ signed_at_place }}", ", le ……………………, en deux exemplaires originaux.")
    place.paragraph_format.keep_with_next = True
    signature_block(doc)
    return doc


BUILDERS = {"fiche_liaison": build_fiche_liaison, "convention": build_convention}


def main(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write both templates to ``out_dir`` and return their paths."""
    written = []
    for name, build in BUILDERS.items():
        path = out_dir / f"{name}.docx"
        path.write_bytes(_normalised_zip(build()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(f"Modèle écrit : {path}")
