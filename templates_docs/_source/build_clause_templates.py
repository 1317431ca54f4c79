"""Build the four clause-pack DOCX templates of templates_docs/.

Run: ``.venv/bin/python templates_docs/_source/build_clause_templates.py [OUT_DIR]``.

Each Jinja tag is written as a run of its own so that docxtpl sees it whole; ``{%p %}`` and
``{%tr %}`` tags get a paragraph or table row of their own. The ZIP entries are rewritten
with a fixed timestamp so that rebuilding unchanged templates gives identical files.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT_DIR = Path(__file__).resolve().parents[1]
BLUE = RGBColor(0x1F, 0x3A, 0x5F)
FIXED_TIME = (2025, 1, 1, 0, 0, 0)
# Replaced at render time by the EU emblem and statement (app.domain.documents.eu_emblem.EU_MARKER).
EU_MARKER = "[emblème UE]"


def new_document(title: str) -> Document:
    """Return an A4 document with French language, Arial styles, header and page footer."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Arial", Pt(size), BLUE
        # Theme fonts win over a named font in Word and LibreOffice: drop them.
        fonts = style.element.rPr.rFonts
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(10), Pt(4)
    header = section.header.paragraphs[0]
    header.add_run("{{ buyer_name }}").font.size = Pt(8)
    header.add_run(" – marché ").font.size = Pt(8)
    header.add_run("{{ tender_reference }}").font.size = Pt(8)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{title} – page ").font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    doc.core_properties.title, doc.core_properties.author = title, "Clausier"
    doc.core_properties.created = doc.core_properties.modified = datetime(*FIXED_TIME)
    return doc


def para(doc, *parts, style: str | None = None, bold: bool = False, italic: bool = False):
    """Add a paragraph whose parts each become one run (so each Jinja tag stays whole)."""
    paragraph = doc.add_paragraph(style=style)
    for part in parts:
        run = paragraph.add_run(part)
        run.bold, run.italic = bold or None, italic or None
    return paragraph


def tag(doc, text: str) -> None:
    """Add a paragraph holding only a docxtpl paragraph tag (``{%p … %}``)."""
    doc.add_paragraph().add_run(text)


def heading(doc, *parts, level: int = 2) -> None:
    """Add a heading made of runs (``{{ section_prefix }}`` then the fixed title)."""
    paragraph = doc.add_heading(level=level)
    for part in parts:
        paragraph.add_run(part)


def bullets(doc, loop: str, *parts, style: str = "List Bullet") -> None:
    """Add a bulleted paragraph repeated by a ``{%p for … %}`` loop."""
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, *parts, style=style)
    tag(doc, "{%p endfor %}")


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def table(doc, headers, loop: str, cells, widths, total=None) -> None:
    """Add a table: a shaded header row, one row per item of ``loop``, an optional total row."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style, grid.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers):
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, "D9E2F3")
    rows = [[f"{{%tr for {loop} %}}"], cells, ["{%tr endfor %}"]] + ([total] if total else [])
    for values in rows:
        row = grid.add_row().cells
        for cell, value in zip(row, values):
            for piece in value if isinstance(value, tuple) else (value,):
                cell.paragraphs[0].add_run(piece)
    if total:
        for cell in grid.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = Cm(width)  # the grid is what LibreOffice reads
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)  # the cell widths are what Word reads
    doc.add_paragraph()


def tender_lines(doc) -> None:
    """Add the buyer / tender identification block."""
    para(doc, "Acheteur : ", "{{ buyer_name }}")
    para(doc, "Marché : ", "{{ tender_object }}")
    para(doc, "Référence : ", "{{ tender_reference }}", " – code CPV : ", "{{ tender_cpv }}")


HOURS_TABLE = dict(
    headers=["Lot", "Intitulé", "Montant de référence", "Heures d'insertion", "Équivalent temps plein"],
    loop="lot in lots",
    cells=["{{ lot.number }}", "{{ lot.label }}", "{{ lot.amount }}", "{{ lot.hours }}", "{{ lot.fte }}"],
    widths=[1.6, 5.0, 3.8, 4.1, 2.5],
    total=["Total", "", "", "{{ total_hours }}", "{{ total_fte }}"],
)

PARTS = [
    "Objet et fondement juridique", "Volume d'heures d'insertion", "Publics éligibles",
    "Modalités de mise en œuvre", "Décompte des heures d'insertion", "Rôle du facilitateur",
    "Plan d'action au démarrage", "Suivi mensuel et contrôle", "Pénalités", "Dérogations au CCAG",
]


def build_ccap_article() -> Document:
    """Return the CCAP article template: the ten numbered parts of DOMAIN.md §3."""
    doc = new_document("Article du CCAP – clause sociale d'insertion")
    para(doc, "{{ article_title }}", style="Title")
    tender_lines(doc)
    section = iter(PARTS)

    def part(number):
        heading(doc, "{{ section_prefix }}", f"{number}. {next(section)}")

    part(1)
    para(doc, "{{ object_text }}")
    para(doc, "Instrument retenu : ", "{{ instrument_label }}", " (", "{{ legal_basis }}", ").")
    tag(doc, "{%p if has_criterion and criterion_subcriteria %}")
    para(doc, "Le critère d'insertion est apprécié au regard des sous-critères suivants :")
    bullets(doc, "sub in criterion_subcriteria", "{{ sub.label }}", " : ", "{{ sub.weighting }}",
            " de la note du critère")
    tag(doc, "{%p endif %}")
    part(2)
    para(doc, "{{ hours_intro_text }}")
    table(doc, **HOURS_TABLE)
    tag(doc, "{%p for lot in lots %}")
    tag(doc, "{%p if lot.rule %}")
    para(doc, "Lot ", "{{ lot.number }}", " : ", "{{ lot.rule }}", " ; le tableau donne le volume estimé "
         "sur le montant facturé prévisionnel.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ total_sentence }}")
    tag(doc, "{%p if has_framework %}")
    para(doc, "Pour les accords-cadres, le volume dû est proportionnel au montant des commandes "
         "émises, entre le volume calculé sur le montant minimum et celui calculé sur le montant maximum. "
         "L'équivalent temps plein est donné par année d'exécution.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if has_estimate %}")
    para(doc, "Pour un lot dont les heures suivent le montant facturé, le chiffre du tableau est une "
         "estimation : si le montant facturé n'atteint pas le seuil de déclenchement, aucune heure "
         "n'est due au titre de ce lot.")
    tag(doc, "{%p endif %}")
    para(doc, "Le détail du calcul figure dans la note de calcul annexée au présent cahier.")
    para(doc, "{{ globalisation_text }}")
    para(doc, "Lorsque le montant du marché est modifié (avenant ou modification en cours d'exécution), "
         "le volume d'heures est ajusté dans la même proportion par la modification elle-même.")
    part(3)
    para(doc, "{{ publics_intro }}")
    bullets(doc, "public in eligible_publics", "{{ public.label }}", " (justificatif : ", "{{ public.proof }}", ")")
    para(doc, "{{ eligibility_text }}")
    part(4)
    para(doc, "{{ modalities_intro }}")
    bullets(doc, "modality in modalities", "{{ modality.label }}")
    para(doc, "Quelle que soit la modalité retenue, le titulaire reste seul responsable de la "
         "réalisation des heures. Il répercute l'obligation à ses sous-traitants pour la part des "
         "prestations qu'il leur confie ; les heures qu'ils réalisent sont comptées au titulaire.")
    para(doc, "Le titulaire désigne pour chaque personne un tuteur, salarié expérimenté de l'équipe où "
         "elle travaille, chargé de son accueil et de son intégration sur le chantier ou le site.")
    part(5)
    para(doc, "{{ counting_text }}")
    bullets(doc, "modality in modalities", "{{ modality.label }}", " : ", "{{ modality.counting_rule }}")
    para(doc, "Ne sont pas comptées les heures réalisées avant la validation de l'éligibilité, ni "
         "les absences non rémunérées.")
    para(doc, "Lorsqu'une personne quitte son poste avant le terme prévu, le titulaire la remplace par "
         "une autre personne éligible, avec l'appui du facilitateur ; les heures déjà réalisées restent "
         "acquises.")
    part(6)
    para(doc, "Le facilitateur de la clause est ", "{{ facilitator_name }}", " (", "{{ facilitator_organisation }}",
         "), joignable au ", "{{ facilitator_phone }}", " ou à l'adresse ", "{{ facilitator_email }}", ".")
    para(doc, "Il informe les candidats et le titulaire, valide l'éligibilité des personnes, propose "
         "des candidats et des structures d'insertion, suit la réalisation des heures et en rend "
         "compte à l'acheteur. Il conseille l'acheteur, qui décide seul des suites à donner : le "
         "facilitateur n'est pas partie au marché.")
    para(doc, "L'accompagnement du facilitateur est gratuit pour le titulaire et ses sous-traitants.")
    part(7)
    para(doc, "Dans un délai de ", "{{ action_plan_delay_days }}", " jours à compter de la notification "
         "du marché, le titulaire rencontre le facilitateur et lui remet un plan d'action précisant les "
         "postes proposés, le calendrier prévisionnel, la ou les modalités retenues et le nom de son "
         "référent insertion.")
    part(8)
    para(doc, "{{ control_text }}")
    para(doc, "L'acheteur et le facilitateur peuvent demander tout justificatif complémentaire et "
         "procéder à des contrôles sur site. Le facilitateur adresse à l'acheteur un bilan périodique "
         "de l'exécution de la clause.")
    para(doc, "Lorsque le marché dure plus d'un an, l'acheteur fait le point chaque année, sur avis du "
         "facilitateur, sur les heures réalisées au regard du volume dû au prorata de la durée écoulée.")
    para(doc, "Les données personnelles des personnes en insertion sont traitées par le titulaire et par "
         "le facilitateur, chacun responsable de son traitement, pour le seul suivi de la clause ; le "
         "titulaire ne transmet que les données nécessaires à ce suivi, informe les personnes de leurs "
         "droits et ne conserve pas les justificatifs d'éligibilité au-delà de la durée du marché.")
    part(9)
    para(doc, "Si, au terme du marché, le volume d'heures dû n'est pas atteint du fait du titulaire, "
         "celui-ci encourt une pénalité de ", "{{ penalty_per_missing_hour }}", " par heure "
         "d'insertion non réalisée.")
    para(doc, "Tout retard dans la transmission de l'état mensuel prévu au point ", "{{ section_prefix }}",
         "8 donne lieu, après mise en demeure restée sans effet, à une pénalité de ",
         "{{ penalty_per_day_late }}", " par jour calendaire de retard.")
    para(doc, "Les pénalités sont appliquées par l'acheteur, après avis du facilitateur. Aucune pénalité "
         "n'est appliquée lorsque le manquement résulte de circonstances indépendantes du titulaire, "
         "appréciées par l'acheteur.")
    part(10)
    para(doc, "Le présent article déroge au ", "{{ ccag_reference }}", " sur les points suivants :")
    bullets(doc, "derogation in ccag_derogations", "{{ derogation }}")
    para(doc, "Ces dérogations sont reprises dans la liste récapitulative du dernier article du CCAP :", bold=True)
    bullets(doc, "line in ccag_recap", "{{ line }}")
    return doc


def build_rc_mention() -> Document:
    """Return the RC / AAPC mention template."""
    doc = new_document("Règlement de la consultation – clause d'insertion")
    para(doc, "Règlement de la consultation – insertion professionnelle", style="Title")
    tender_lines(doc)
    heading(doc, "Mention à insérer au règlement de la consultation")
    para(doc, "{{ rc_text }}")
    table(doc, **HOURS_TABLE)
    tag(doc, "{%p if has_criterion %}")
    heading(doc, "Critère d'attribution relatif à l'insertion")
    para(doc, "Pondération du critère : ", "{{ criterion_weighting }}", " de la note globale.")
    bullets(doc, "sub in criterion_subcriteria", "{{ sub.label }}", " : ", "{{ sub.weighting }}",
            " de la note du critère")
    para(doc, "À l'appui de son offre, le candidat remet une note décrivant le nombre d'heures "
         "d'insertion proposé, les modalités envisagées, l'encadrement et les actions de formation "
         "prévues pour les personnes recrutées.")
    tag(doc, "{%p endif %}")
    heading(doc, "Renseignements")
    para(doc, "Les candidats peuvent obtenir toute information sur la clause auprès du facilitateur : ",
         "{{ facilitator_contact }}", ".")
    heading(doc, "Mention pour l'avis d'appel public à la concurrence")
    para(doc, "{{ aapc_text }}", italic=True)
    return doc


def build_ae_annex() -> Document:
    """Return the acte d'engagement annex template the candidate signs."""
    doc = new_document("Annexe à l'acte d'engagement – insertion")
    para(doc, "Annexe à l'acte d'engagement – engagement relatif à l'insertion", style="Title")
    tender_lines(doc)
    para(doc, "Je soussigné(e) ……………………………………, agissant au nom et pour le compte de "
         "……………………………………, ", "{{ commitment_text }}", ", selon les modalités de ",
         "{{ ccap_article_ref }}", ".")
    tag(doc, "{%p if has_criterion %}")
    table(doc, headers=["Lot", "Intitulé", "Heures d'insertion", "Heures proposées par le candidat"],
          loop="lot in lots", cells=["{{ lot.number }}", "{{ lot.label }}", "{{ lot.hours }}", "……………"],
          widths=[1.6, 6.3, 4.6, 4.5], total=["Total", "", "{{ total_hours }}", "……………"])
    tag(doc, "{%p else %}")
    table(doc, headers=["Lot", "Intitulé", "Heures d'insertion"],
          loop="lot in lots", cells=["{{ lot.number }}", "{{ lot.label }}", "{{ lot.hours }}"],
          widths=[1.6, 10.9, 4.5], total=["Total", "", "{{ total_hours }}"])
    tag(doc, "{%p endif %}")
    para(doc, "Modalités envisagées (cocher) :")
    bullets(doc, "modality in modalities", "☐ ", "{{ modality.label }}", style="List")
    para(doc, "Référent insertion du candidat : ……………………………… Téléphone : ……………………… "
         "Courriel : ………………………………")
    para(doc, "Facilitateur de la clause : ", "{{ facilitator_contact }}", ".")
    para(doc, "Fait à ……………………………, le ……………………………")
    para(doc, "Signature du représentant habilité du candidat", bold=True)
    return doc


def build_note_calcul() -> Document:
    """Return the note de calcul template: inputs, method, sources, exact and rounded results."""
    doc = new_document("Note de calcul des heures d'insertion")
    para(doc, "Note de calcul des heures d'insertion", style="Title")
    tender_lines(doc)
    para(doc, "Instrument : ", "{{ instrument_label }}", " (", "{{ legal_basis }}", ") – note établie le ",
         "{{ document_date }}", ".")
    tag(doc, "{%p if social_condition_text %}")
    heading(doc, "Condition sociale obligatoire (loi Climat et Résilience)")
    para(doc, "{{ social_condition_text }}")
    tag(doc, "{%p endif %}")
    heading(doc, "Synthèse")
    table(doc, headers=["Lot", "Méthode", "Résultat non arrondi", "Heures retenues", "ETP"],
          loop="lot in lots", cells=["{{ lot.number }}", "{{ lot.method_label }}", "{{ lot.hours_exact }}",
                                     "{{ lot.hours }}", "{{ lot.fte }}"],
          widths=[1.6, 6.6, 3.2, 3.6, 2], total=["Total", "", "", "{{ total_hours }}", "{{ total_fte }}"])
    para(doc, "L'équivalent temps plein (ETP) divise les heures par ", "{{ fte_hours }}",
         " heures, durée annuelle d'un emploi à temps plein.")
    tag(doc, "{%p for lot in lots %}")
    heading(doc, "Lot ", "{{ lot.number }}", " – ", "{{ lot.label }}")
    para(doc, "Méthode : ", "{{ lot.method_label }}", ".")
    para(doc, "Formule : ", "{{ lot.formula }}", ".")
    tag(doc, "{%p if lot.rule %}")
    para(doc, "Règle contractuelle : ", "{{ lot.rule }}", ".")
    tag(doc, "{%p endif %}")
    table(doc, headers=["Donnée ou étape du calcul", "Valeur"], loop="step in lot.steps",
          cells=["{{ step.label }}", "{{ step.value }}"], widths=[9, 8])
    tag(doc, "{%p if lot.sources %}")
    para(doc, "Origine des valeurs de référence :", bold=True)
    table(doc, headers=["Paramètre", "Valeur", "Source"], loop="source in lot.sources",
          cells=["{{ source.label }}", "{{ source.value }}", "{{ source.source }}"], widths=[5, 3, 9])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if lot.years %}")
    para(doc, "Répartition annuelle de l'accord-cadre :", bold=True)
    table(doc, headers=["Année", "Montant minimum", "Montant maximum", "Heures (minimum)", "Heures (maximum)"],
          loop="year in lot.years", cells=["{{ year.year }}", "{{ year.min_amount }}", "{{ year.amount }}",
                                           "{{ year.minimum }}", "{{ year.maximum }}"],
          widths=[1.6, 4, 4, 3.7, 3.7])
    tag(doc, "{%p endif %}")
    para(doc, "Résultat non arrondi : ", "{{ lot.hours_exact }}", " ; arrondi ", "{{ lot.rounding }}",
         " : ", "{{ lot.hours }}", ", soit ", "{{ lot.fte }}", ".", bold=True)
    tag(doc, "{%p endfor %}")
    return doc


BUILDERS = {
    "ccap_article": build_ccap_article,
    "rc_mention": build_rc_mention,
    "ae_annex": build_ae_annex,
    "note_calcul": build_note_calcul,
}


def _normalised_zip(doc: Document) -> bytes:
    """Save ``doc`` and rewrite its ZIP entries with a fixed timestamp (reproducible bytes)."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write every template to ``out_dir`` and return their paths."""
    written = []
    for name, build in BUILDERS.items():
        path = out_dir / f"{name}.docx"
        path.write_bytes(_normalised_zip(build()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(f"Modèle écrit : {path}")
