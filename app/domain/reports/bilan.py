"""The bilan (DOMAIN.md §5): a narrative with figures, tables and charts for a buyer, a company or
the whole territory over a period.

``build_bilan_context`` gives the template its formatted values. Charts cannot travel through
the sandboxed template as objects, so the template prints a marker paragraph
(``{{ chart_progress }}``) and ``insert_charts`` swaps each marker for its picture after the
render, with the figures as alternative text.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.shared import Cm

from app.domain.reports.attendance import EU_MENTION
from app.domain.documents.charts import month_label, monthly_hours_png, progress_bar_png
from app.domain.enums import Criterion
from app.domain.formats import format_date_fr, format_hours, format_number, format_pct, with_article
from app.domain.documents.typography import plural
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label, ratio
from app.domain.reports.exits import ExitCategory
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import Figures, Group, definitions_note
from app.domain.reports.narrative import Narrative, narrative_paragraphs, narrative_sections
from app.domain.reports.operations import CONDITIONAL, operation_line
from app.domain.reports.statistics import StatCell, mask_cells

# No colon in the markers: the typography filter would change them before insert_charts looks.
CHART_PROGRESS = "[graphique – avancement des heures]"
CHART_MONTHLY = "[graphique – heures par mois]"
SUBJECT_LABELS = {"all": "Territoire", "buyer": "Acheteur", "company": "Entreprise"}


@dataclass(frozen=True, kw_only=True)
class BilanData:
    """What a bilan reports: lots with their hours, participant rows of the period, months."""

    organisation_name: str
    subject_kind: str  # "all", "buyer" or "company"
    subject_name: str
    starts_on: date
    ends_on: date
    generated_on: date
    figures: Figures
    rows: Sequence[ImpactRow]
    monthly: Sequence[tuple[str, Decimal]]
    is_fse_funded: bool = False
    operation_title: str = ""
    # A buyer's bilan: its contracts published in the DECP that the veille flags, per check
    # (label, number of contracts); empty elsewhere or when nothing was imported.
    veille: Sequence[tuple[str, int]] = ()
    # The four narrative sections as the facilitator left them; None: no section at all.
    narrative: Narrative | None = None
    # The articles the names take in a sentence (formats.ARTICLES keys; empty: guessed).
    organisation_article: str = ""
    subject_article: str = "aucun"

    @property
    def is_external(self) -> bool:
        """Return True for a bilan sent outside the organisation (to a buyer or a company)."""
        return self.subject_kind in EXTERNAL_SUBJECTS


def _organisation(data: BilanData) -> str:
    return with_article(data.organisation_name, data.organisation_article)


# A bilan sent to a buyer or an employer never shows health criteria (AAH, RQTH: the convention
# promises they are never passed on) and writes small counts as « moins de 5 », so that nobody
# can be recognised in a group of one or two (statistical-secrecy practice).
EXTERNAL_SUBJECTS = frozenset({"buyer", "company"})
HEALTH_COLUMNS = frozenset({"AAH", "RQTH"})
SMALL_COUNT = 5


def _hours(value: Decimal) -> str:
    return format_hours(value)


def _count(value: int) -> str:
    return format_number(value)


def _shown(value: int, external: bool) -> str:
    """Return the count as printed: « moins de 5 » for a small non-zero count in an external bilan."""
    return f"moins de {SMALL_COUNT}" if external and 0 < value < SMALL_COUNT else _count(value)


def _publics(rows: Sequence[ImpactRow], external: bool = False) -> list[dict]:
    people: dict[str, set[Criterion]] = {}
    for row in rows:
        people.setdefault(row.participant_code, set()).update(row.criteria)
    publics = [{"label": header, "count": _shown(sum(has_any(c, wanted) for c in people.values()), external)}
               for header, wanted in CRITERIA_COLUMNS if not (external and header in HEALTH_COLUMNS)]
    publics.append({"label": "QPV", "count": _shown(sum(Criterion.QPV in c for c in people.values()), external)})
    return publics


def _counted(count, singular: str, many: str | None = None, external: bool = False) -> str:
    """``3, "femme"`` → « 3 femmes »: the number and its noun agreed (no « (s) »), small counts masked."""
    if external and 0 < count < SMALL_COUNT:
        return f"moins de {SMALL_COUNT} {many or singular + 's'}"
    return f"{_count(count)} {plural(count, singular, many)}"


def summary_paragraphs(data: BilanData) -> list[str]:
    """Return the narrative: what was done, for whom, and what remains."""
    figures = data.figures
    indicators = figures.people
    required, done = figures.hours_required, figures.hours_done_to_date
    ext = data.is_external
    period = f"du {format_date_fr(data.starts_on)} au {format_date_fr(data.ends_on)}"
    who = ("sur l'ensemble du territoire" if data.subject_kind == "all"
           else f"pour {with_article(data.subject_name, data.subject_article)}")
    paragraphs = [
        f"Ce bilan présente la mise en œuvre des clauses sociales d'insertion {who}, {period}. "
        f"Il a été établi par {_organisation(data)} le {format_date_fr(data.generated_on)}.",
        f"Sur la période, {_hours(indicators.hours_done)} d'insertion ont été réalisées dans "
        f"{_counted(figures.tenders, 'marché clausé', 'marchés clausés')} "
        f"({_counted(figures.lots_count, 'lot clausé', 'lots clausés')}), au bénéfice de "
        f"{_counted(indicators.participants, 'personne', external=ext)}, dont "
        f"{_counted(indicators.participants_brsa, 'bénéficiaire', external=ext)} du RSA, "
        f"{_counted(indicators.participants_under_26, 'jeune', external=ext)} de moins de 26 ans et "
        f"{_counted(indicators.participants_women, 'femme', external=ext)}.",
    ]
    if required:
        not_yet = plural(figures.lots_short, "n'a", "n'ont")
        behind = (f", et {_counted(figures.lots_short, 'lot')} {not_yet} pas encore atteint leurs heures"
                  if figures.lots_short else "")
        paragraphs.append(
            f"Depuis {'son' if figures.lots_count < 2 else 'leur'} démarrage, "
            f"{'le lot suivi cumule' if figures.lots_count < 2 else f'les {_count(figures.lots_count)} lots suivis cumulent'} "
            f"{_hours(done)} réalisées pour {_hours(required)} exigées, soit {format_pct(figures.completion)} de "
            f"l'objectif ; il reste {_hours(figures.hours_remaining)} à réaliser{behind}.")
    if figures.hours_max:
        paragraphs.append(f"Les accords-cadres suivis iraient jusqu'à {_hours(figures.hours_max)} sur leur montant "
                          "maximum ; seules les heures du minimum sont exigées.")
    if figures.conditional_lots:
        paragraphs.append(f"{_counted(figures.conditional_lots, 'lot')} à la tranche "
                          f"{plural(figures.conditional_lots, 'reste conditionnel', 'restent conditionnels')} "
                          f"({_hours(figures.conditional_hours)}) tant que leur seuil n'est pas atteint.")
    exits = indicators.exits
    if exits:
        parts = [f"{_shown(n, ext)} en {category.label.lower()}"
                 for category, n in indicators.exits_by_category.items() if n]
        if indicators.exits_unqualified:
            parts.append(f"{_shown(indicators.exits_unqualified, ext)} sans situation renseignée")
        verb = "est sortie" if exits < 2 and not (ext and exits < SMALL_COUNT) else "sont sorties"
        sentence = f"{_counted(exits, 'personne', external=ext)} {verb} du dispositif : {', '.join(parts)}."
        paragraphs.append(sentence[0].upper() + sentence[1:])
    flagged = [(label_, n) for label_, n in data.veille if n]
    if flagged:
        paragraphs.append(
            "Veille des données essentielles de la commande publique (DECP) : parmi les marchés publiés par "
            f"{with_article(data.subject_name, data.subject_article)}, " + " ; ".join(f"{_counted(n, 'marché')} — {label_[0].lower()}{label_[1:]}"
                                                  for label_, n in flagged)
            + ". Ces points sont à vérifier ensemble : ils peuvent venir des données publiées comme du suivi.")
    paragraphs.append("Définitions utilisées. " + " ".join(definitions_note()))
    return paragraphs


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def suggest_narrative(data: BilanData) -> Narrative:
    """Return a first draft of the four sections, written from the figures for the facilitator to edit."""
    figures = data.figures
    people = figures.people
    ext = data.is_external
    highlights = [f"{_hours(people.hours_done)} d'insertion réalisées sur la période par "
                  f"{_counted(people.participants, 'personne', external=ext)}, dont "
                  f"{_counted(people.participants_women, 'femme', external=ext)} et "
                  f"{_counted(people.participants_under_26, 'jeune', external=ext)} de moins de 26 ans."]
    if figures.hours_required:
        who, whose = ("Le lot suivi a", "ses") if figures.lots_count < 2 else ("Les lots suivis ont", "leurs")
        highlights.append(f"{who} réalisé {format_pct(figures.completion)} de {whose} heures exigées "
                          f"({_hours(figures.hours_done_to_date)} sur {_hours(figures.hours_required)}).")
    if people.exits:
        lasting = people.exits_by_category.get(ExitCategory.EMPLOI_DURABLE, 0)
        highlights.append(f"{_upper_first(_counted(people.exits, 'sortie', external=ext))} du dispositif, dont "
                          f"{_shown(lasting, ext)} en emploi durable.")
    actions = [f"Suivi de {_counted(figures.tenders, 'marché clausé', 'marchés clausés')} "
               f"({_counted(figures.lots_count, 'lot')}) pour "
               f"{_counted(figures.buyers, 'donneur', 'donneurs')} d'ordre, avec "
               f"{_counted(figures.companies, 'entreprise ou structure impliquée', 'entreprises et structures impliquées')}."]
    if people.training_hours:
        actions.append(f"{_hours(people.training_hours)} de formation suivies par les participants.")
    late = sorted((lot for lot in figures.lots if lot.remaining > 0), key=lambda lot: -lot.remaining)
    difficulties = []
    if late:
        not_yet = plural(len(late), "n'a pas encore atteint ses", "n'ont pas encore atteint leurs")
        difficulties.append(f"{_counted(len(late), 'lot')} {not_yet} heures exigées :")
        difficulties += [f"– {lot.tender_reference} lot {lot.lot_number} {lot.lot_label} ({lot.buyer}) : "
                         f"{_hours(lot.done)} réalisées sur {_hours(lot.due)}." for lot in late[:5]]
        if len(late) > 5:
            difficulties.append(f"– et {_counted(len(late) - 5, 'autre lot', 'autres lots')}.")
    if people.exits_unqualified:
        difficulties.append(f"{_upper_first(_counted(people.exits_unqualified, 'sortie', external=ext))} "
                            "sans situation renseignée.")
    outlook = []
    if figures.hours_remaining:
        outlook.append(f"Réaliser les {_hours(figures.hours_remaining)} restant à faire sur les lots en cours.")
    if figures.conditional_lots:
        outlook.append(f"Suivre {_counted(figures.conditional_lots, 'lot')} à la tranche encore "
                       f"{plural(figures.conditional_lots, 'conditionnel', 'conditionnels')}.")
    outlook.append("Poursuivre l'accompagnement des entreprises et des participants jusqu'à leur sortie.")
    return Narrative(highlights="\n".join(highlights), actions="\n".join(actions),
                     difficulties="\n".join(difficulties), outlook="\n".join(outlook))


BREAKDOWN_NOTE = (f"« moins de {SMALL_COUNT} » : un groupe de moins de {SMALL_COUNT} personnes, « masqué » : un groupe "
                  "caché pour qu'on ne puisse pas le déduire du total ; leurs heures ne sont pas données (« — »), "
                  "afin que personne ne puisse être reconnu.")


def _breakdown(groups: Mapping[str, Group], external: bool) -> list[dict]:
    """Return a breakdown's lines; in an external bilan small groups are masked, with their hours."""
    cells = [StatCell(name, group.participants, group.hours) for name, group in groups.items()]
    if external:
        cells = mask_cells(cells, SMALL_COUNT)
    return [{"label": cell.label,
             "participants": (_shown(cell.people, True) if cell.people < SMALL_COUNT else "masqué")
             if cell.masked else _count(cell.people),
             "hours": "—" if cell.masked else _hours(cell.hours)} for cell in cells]


def build_bilan_context(data: BilanData) -> dict:
    """Return the bilan template's context: formatted values, tables and chart markers."""
    figures = data.figures
    indicators = figures.people
    lines = [operation_line(lot) for lot in figures.lots]
    ext = data.is_external
    return {
        "organisation_name": data.organisation_name,
        "organisation_the": _organisation(data),
        "generated_on": format_date_fr(data.generated_on),
        "subject_kind_label": SUBJECT_LABELS.get(data.subject_kind, "Territoire"),
        "subject_name": data.subject_name,
        "period_label": f"du {format_date_fr(data.starts_on)} au {format_date_fr(data.ends_on)}",
        "starts_on": format_date_fr(data.starts_on),
        "ends_on": format_date_fr(data.ends_on),
        "summary": summary_paragraphs(data),
        "hours_required": _hours(figures.hours_required),
        "hours_done_total": _hours(figures.hours_done_to_date),
        "completion": format_pct(figures.completion),
        "hours_remaining": _hours(figures.hours_remaining),
        "hours_done_period": _hours(indicators.hours_done),
        "training_hours": _hours(indicators.training_hours),
        "participants": _shown(indicators.participants, ext),
        "participants_brsa": _shown(indicators.participants_brsa, ext),
        "participants_under_26": _shown(indicators.participants_under_26, ext),
        "participants_women": _shown(indicators.participants_women, ext),
        "tenders_count": _count(figures.tenders),
        "lots_count": _count(figures.lots_count),
        "lines": [{"buyer": line.buyer, "tender_reference": line.tender_reference,
                   "tender_object": line.tender_object, "lot": line.lot, "company": line.company or "—",
                   "clause_type": label(line.clause_type) or "—", "hours_required": CONDITIONAL if line.is_conditional else _hours(line.hours_required),
                   "hours_done": _hours(line.hours_done), "completion": format_pct(line.completion)}
                  for line in lines],
        "publics": _publics(data.rows, ext),
        "contracts": [{"label": name, "count": _shown(n, ext)} for name, n in indicators.contracts_by_type.items()],
        "exits": [{"label": category.label, "count": _shown(n, ext)}
                  for category, n in indicators.exits_by_category.items()],
        "clause_types": [{"label": name, "tenders": _count(n),
                          "hours": _hours(indicators.hours_by_clause_type.get(name, Decimal(0)))}
                         for name, n in figures.tenders_by_clause_type.items()],
        "monthly": [{"month": month_label(key), "hours": _hours(hours)} for key, hours in data.monthly],
        "narrative": narrative_sections(data.narrative),
        **narrative_paragraphs(data.narrative),
        "by_modality": _breakdown(indicators.by_modality, ext),
        "by_sex": _breakdown(indicators.by_sex, ext),
        "by_age_band": _breakdown(indicators.by_age_band, ext),
        "breakdown_note": BREAKDOWN_NOTE if ext else "",
        "chart_progress": CHART_PROGRESS,
        "chart_monthly": CHART_MONTHLY,
        "is_fse_funded": data.is_fse_funded,
        "fse_mention": EU_MENTION if data.is_fse_funded else "",
        "operation_title": data.operation_title,
    }


def progress_alt(required: Decimal, done: Decimal) -> str:
    """Return the alternative text of the progress chart, figures included."""
    return (f"Heures réalisées : {_hours(done)} pour {_hours(required)} exigées "
            f"({format_pct(ratio(done, required))}).")


def monthly_alt(monthly: Sequence[tuple[str, Decimal]]) -> str:
    """Return the alternative text of the monthly chart: every month and its hours."""
    if not monthly:
        return "Aucune heure déclarée sur la période."
    return "Heures réalisées par mois : " + " ; ".join(
        f"{month_label(key)} : {_hours(hours)}" for key, hours in monthly) + "."


def bilan_charts(data: BilanData) -> dict[str, tuple[bytes, str]]:
    """Return each chart marker's PNG and alternative text."""
    required, done = data.figures.hours_required, data.figures.hours_done_to_date
    return {
        CHART_PROGRESS: (progress_bar_png(done, required, "Heures réalisées / heures prévues"),
                         progress_alt(required, done)),
        CHART_MONTHLY: (monthly_hours_png(list(data.monthly), "Heures d'insertion réalisées par mois"),
                        monthly_alt(data.monthly)),
    }


def insert_charts(docx_bytes: bytes, charts: Mapping[str, tuple[bytes, str]], width_cm: float = 16) -> bytes:
    """Replace every paragraph that holds only a chart marker with the chart, alt text set."""
    document = Document(BytesIO(docx_bytes))
    changed = False
    for paragraph in document.paragraphs:
        chart = charts.get(paragraph.text.strip())
        if chart is None:
            continue
        png, alt = chart
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.add_run().add_picture(BytesIO(png), width=Cm(width_cm))
        for doc_pr in paragraph._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", alt)
        changed = True
    if not changed:
        return docx_bytes
    out = BytesIO()
    document.save(out)
    return out.getvalue()
