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
from app.domain.formats import format_date_fr, format_hours, format_number, format_pct
from app.domain.reports.common import CRITERIA_COLUMNS, has_any, label, ratio
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import Figures, definitions_note
from app.domain.reports.operations import CONDITIONAL, operation_line

CHART_PROGRESS = "[graphique : avancement des heures]"
CHART_MONTHLY = "[graphique : heures par mois]"
SUBJECT_LABELS = {"all": "Territoire", "buyer": "Donneur d'ordre", "company": "Entreprise"}


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


def _hours(value: Decimal) -> str:
    return format_hours(value)


def _count(value: int) -> str:
    return format_number(value)


def _publics(rows: Sequence[ImpactRow]) -> list[dict]:
    people: dict[str, set[Criterion]] = {}
    for row in rows:
        people.setdefault(row.participant_code, set()).update(row.criteria)
    publics = [{"label": header, "count": _count(sum(has_any(c, wanted) for c in people.values()))}
               for header, wanted in CRITERIA_COLUMNS]
    publics.append({"label": "QPV", "count": _count(sum(Criterion.QPV in c for c in people.values()))})
    return publics


def summary_paragraphs(data: BilanData) -> list[str]:
    """Return the narrative: what was done, for whom, and what remains."""
    figures = data.figures
    indicators = figures.people
    required, done = figures.hours_required, figures.hours_done_to_date
    period = f"du {format_date_fr(data.starts_on)} au {format_date_fr(data.ends_on)}"
    who = ("sur l'ensemble du territoire" if data.subject_kind == "all"
           else f"pour {data.subject_name}")
    paragraphs = [
        f"Ce bilan présente la mise en œuvre des clauses sociales d'insertion {who}, {period}. "
        f"Il a été établi par {data.organisation_name} le {format_date_fr(data.generated_on)}.",
        f"Sur la période, {_hours(indicators.hours_done)} d'insertion ont été réalisées dans "
        f"{_count(figures.tenders)} marché(s) clausé(s) ({_count(figures.lots_count)} lot(s) clausé(s)), "
        f"au bénéfice de {_count(indicators.participants)} "
        f"personne(s), dont {_count(indicators.participants_brsa)} bénéficiaire(s) du RSA, "
        f"{_count(indicators.participants_under_26)} jeune(s) de moins de 26 ans et "
        f"{_count(indicators.participants_women)} femme(s).",
    ]
    if required:
        behind = (f", et {_count(figures.lots_short)} lot(s) n'ont pas encore atteint leurs heures"
                  if figures.lots_short else "")
        paragraphs.append(
            f"Depuis leur démarrage, les {_count(figures.lots_count)} lot(s) suivis cumulent {_hours(done)} "
            f"réalisées pour {_hours(required)} exigées, soit {format_pct(figures.completion)} de "
            f"l'objectif ; il reste {_hours(figures.hours_remaining)} à réaliser{behind}.")
    if figures.hours_max:
        paragraphs.append(f"Les accords-cadres suivis iraient jusqu'à {_hours(figures.hours_max)} sur leur montant "
                          "maximum ; seules les heures du minimum sont exigées.")
    if figures.conditional_lots:
        paragraphs.append(f"{_count(figures.conditional_lots)} lot(s) à la tranche restent conditionnels "
                          f"({_hours(figures.conditional_hours)}) tant que leur seuil n'est pas atteint.")
    exits = indicators.exits
    if exits:
        parts = [f"{_count(n)} en {category.label.lower()}" for category, n in indicators.exits_by_category.items()
                 if n]
        if indicators.exits_unqualified:
            parts.append(f"{_count(indicators.exits_unqualified)} sans situation renseignée")
        paragraphs.append(f"{_count(exits)} personne(s) sont sorties du dispositif : {', '.join(parts)}.")
    paragraphs.append("Définitions utilisées. " + " ".join(definitions_note()))
    return paragraphs


def build_bilan_context(data: BilanData) -> dict:
    """Return the bilan template's context: formatted values, tables and chart markers."""
    figures = data.figures
    indicators = figures.people
    lines = [operation_line(lot) for lot in figures.lots]
    return {
        "organisation_name": data.organisation_name,
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
        "participants": _count(indicators.participants),
        "participants_brsa": _count(indicators.participants_brsa),
        "participants_under_26": _count(indicators.participants_under_26),
        "participants_women": _count(indicators.participants_women),
        "tenders_count": _count(figures.tenders),
        "lots_count": _count(figures.lots_count),
        "lines": [{"buyer": line.buyer, "tender_reference": line.tender_reference,
                   "tender_object": line.tender_object, "lot": line.lot, "company": line.company or "—",
                   "clause_type": label(line.clause_type) or "—", "hours_required": CONDITIONAL if line.is_conditional else _hours(line.hours_required),
                   "hours_done": _hours(line.hours_done), "completion": format_pct(line.completion)}
                  for line in lines],
        "publics": _publics(data.rows),
        "contracts": [{"label": name, "count": _count(n)} for name, n in indicators.contracts_by_type.items()],
        "exits": [{"label": category.label, "count": _count(n)}
                  for category, n in indicators.exits_by_category.items()],
        "clause_types": [{"label": name, "tenders": _count(n),
                          "hours": _hours(indicators.hours_by_clause_type.get(name, Decimal(0)))}
                         for name, n in figures.tenders_by_clause_type.items()],
        "monthly": [{"month": month_label(key), "hours": _hours(hours)} for key, hours in data.monthly],
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
