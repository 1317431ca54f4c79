"""Every figure printed on the demo equals the indicators module's figure for the same scope and period.

Read back from what the user gets: the dashboard page, the three bilans (DOCX), the tableau
d'impact's « Indicateurs » sheet, the liste des marchés (XLSX), the participants FSE+ export,
and the dossier ZIP's bilan, list, impact table, indicators CSV and manifest.
"""

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.documents.typography import plural
from app.domain.formats import format_hours, format_number, format_pct
from app.domain.reports import INDICATORS_SHEET, indicator_lines
from app.domain.reports.targets import TargetKind
from app.models import Buyer, Company, FseOperation, Lot
from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from app.services.doc_templates import active_template
from app.services.reports.bilan import bilan_data, render_bilan
from app.services.reports.dossiers import write_dossier
from app.services.reports.fse_operations import TargetSpec, spec_for
from app.services.reports.exports import ReportFilter
from app.services.reports.figures import scope_figures
from tests.conftest import Browser, page_text

TODAY = date(2026, 11, 22)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(params=["small", pytest.param("large", marks=pytest.mark.slow)])
def demo(app, session, request):
    summary = seed_demo(session, today=TODAY, scale=request.param)
    session.commit()
    return summary.organisation_id


def counted(count: int, singular: str, many: str | None = None) -> str:
    """« 8 marchés clausés »: the number as documents print it, and its noun agreed."""
    return f"{format_number(count)} {plural(count, singular, many)}"


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def sheet_lines(workbook) -> list[tuple[str, str, Decimal]]:
    sheet = workbook[INDICATORS_SHEET]
    start = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "Rubrique") + 1
    return [(sheet.cell(r, 1).value, sheet.cell(r, 2).value, Decimal(str(sheet.cell(r, 3).value)))
            for r in range(start, sheet.max_row + 1)]


def expected_lines(figures) -> list[tuple[str, str, Decimal]]:
    return [(a, b, Decimal(c)) for a, b, c in indicator_lines(figures)]


def assert_bilan_states(text: str, figures, external: bool = False) -> None:
    """``external``: a bilan for a buyer or a company writes counts under 5 as « moins de 5 »."""
    people = figures.people

    def people_count(count: int) -> str:
        return "moins de 5 personnes" if external and 0 < count < 5 else counted(count, "personne")

    assert f"{format_hours(people.hours_done)} d’insertion ont été réalisées" in text
    assert (f"{counted(figures.tenders, 'marché clausé', 'marchés clausés')} "
            f"({counted(figures.lots_count, 'lot clausé', 'lots clausés')})") in text
    assert f"au bénéfice de {people_count(people.participants)}" in text
    if figures.hours_required:
        assert (f"cumulent {format_hours(figures.hours_done_to_date)} réalisées pour "
                f"{format_hours(figures.hours_required)} exigées, soit {format_pct(figures.completion)}") in text
        assert f"il reste {format_hours(figures.hours_remaining)} à réaliser" in text
    if people.exits:
        verb = "est sortie" if people.exits < 2 and not external else "sont sorties"
        assert f"{people_count(people.exits)} {verb}".capitalize() in text
    assert "Définitions utilisées." in text


def test_demo_dashboard_page_prints_the_module_figures(app, session, demo):
    browser = Browser(app.test_client())
    browser.login(DEMO_ACCOUNTS[Role.FACILITATEUR], DEMO_PASSWORD)
    page = page_text(browser.get("/tableaux-de-bord/"))
    figures = scope_figures(session, ReportFilter(demo))
    assert f"{format_hours(figures.hours_required)}</strong> exigées" in page
    assert f"{format_hours(figures.hours_done_to_date)}</strong> réalisées ({format_pct(figures.completion)}" in page
    assert f"{format_hours(figures.hours_remaining)}</strong> restant à réaliser" in page
    for section, name, value in indicator_lines(figures):
        shown = format_number(value, 0 if isinstance(value, int) else 2)
        assert f"<td>{section}</td><td>{name}</td><td>{shown}</td>" in page.replace("&#39;", "'"), name


@pytest.mark.parametrize("subject", ["all", "buyer", "company"])
def test_demo_bilans_state_the_module_figures(session, demo, subject):
    other = {"all": {}, "buyer": {"buyer_id": session.scalar(select(Buyer.id).where(Buyer.organisation_id == demo)
                                                                    .order_by(Buyer.id))},
             "company": {"company_id": session.scalar(select(Lot.company_id).where(
                 Lot.organisation_id == demo, Lot.company_id.is_not(None)).order_by(Lot.id))}}[subject]
    flt = ReportFilter(demo, starts_on=YEAR[0], ends_on=YEAR[1], **other)
    name = (session.get(Buyer, other["buyer_id"]).name if subject == "buyer" else
            session.get(Company, other["company_id"]).name if subject == "company" else "Territoire")
    data = bilan_data(session, flt, subject_kind=subject, subject_name=name, today=TODAY)
    rendered = render_bilan(active_template(session, demo, "bilan"), data, with_pdf=False)
    assert_bilan_states(docx_text(rendered.docx), scope_figures(session, flt), external=subject != "all")


def test_demo_exports_impact_list_and_fse_participants_agree(app, session, demo):
    browser = Browser(app.test_client())
    browser.login(DEMO_ACCOUNTS[Role.FACILITATEUR], DEMO_PASSWORD)
    period = "starts_on=01/01/2026&ends_on=31/12/2026"
    figures = scope_figures(session, ReportFilter(demo, starts_on=YEAR[0], ends_on=YEAR[1]))
    # The large demo's tableau d'impact is written by a job (inline here): the request redirects to its file.
    impact = load_workbook(BytesIO(browser.get(f"/exports/tableau-impact.xlsx?{period}", follow_redirects=True).data))
    assert sheet_lines(impact) == expected_lines(figures)
    listing = load_workbook(BytesIO(browser.get(f"/exports/operations.xlsx?{period}").data)).active
    values = [[cell.value for cell in row] for row in listing.iter_rows()]
    assert f"{counted(figures.tenders, 'marché clausé', 'marchés clausés')}, {counted(figures.lots_count, 'lot clausé', 'lots clausés')}" in [r[0] for r in values]
    total = next(r for r in values if r[0] == "Total")
    assert [Decimal(str(v)) for v in (total[9], total[11], total[12])] == [
        figures.hours_required, figures.hours_done_to_date, figures.hours_remaining]
    operation = session.scalar(select(FseOperation).where(FseOperation.organisation_id == demo))
    fse = load_workbook(BytesIO(browser.get(f"/exports/participants-fse.xlsx?fse_operation_id={operation.id}").data))
    ws = fse.active
    people = scope_figures(session, spec_for(operation).report_filter()).people
    records = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[1]]
    header = [c.value for c in ws[6]]
    assert len(records) == people.participants
    assert sum(r[header.index("Date de sortie")] is not None for r in records) == people.exits
    assert ws.cell(4, 1).value.startswith(f"{people.participants} {plural(people.participants, 'participant')}, dont {people.exits} {plural(people.exits, 'sortie')}.")


def test_demo_dossier_pieces_csv_and_manifest_agree(session, demo, tmp_path):
    operation = session.scalar(select(FseOperation).where(FseOperation.organisation_id == demo))
    base = spec_for(operation)
    spec = replace(base, targets=tuple(TargetSpec(kind, kind.label, Decimal(1)) for kind in TargetKind))
    session.commit()
    out = tmp_path / "dossier.zip"
    with out.open("wb") as handle:
        write_dossier(spec, handle, data_as_of=TODAY, with_pdf=False)
    figures = scope_figures(session, spec.report_filter())
    archive = zipfile.ZipFile(out)
    assert_bilan_states(docx_text(archive.read("01-bilan-de-l-action.docx")), figures)
    impact = load_workbook(BytesIO(archive.read("03-tableau-d-impact.xlsx")))
    assert sheet_lines(impact) == expected_lines(figures)
    listing = load_workbook(BytesIO(archive.read("02-liste-des-marches-clauses.xlsx"))).active
    assert f"{counted(figures.tenders, 'marché clausé', 'marchés clausés')}, {counted(figures.lots_count, 'lot clausé', 'lots clausés')}" in [
        row[0].value for row in listing.iter_rows()]
    rows = list(csv.reader(io.StringIO(archive.read("indicateurs_vs_cibles.csv").decode("utf-8-sig")), delimiter=";"))
    achieved = {row[1]: Decimal(row[6].replace(",", ".")) for row in rows[1:]}
    assert achieved[TargetKind.TENDERS.label] == figures.tenders
    assert achieved[TargetKind.OPERATIONS.label] == figures.operations
    assert achieved[TargetKind.HOURS.label] == figures.hours_done
    assert achieved[TargetKind.PARTICIPANTS.label] == figures.people.participants
    for name, count in (("02-liste-des-operations-suivies.xlsx", figures.operations),
                        ("02-liste-des-donneurs-d-ordre-accompagnes.xlsx", figures.buyers)):
        sheet = load_workbook(BytesIO(archive.read(name))).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header = next(i for i, row in enumerate(values) if row[2] == "Marchés clausés")
        lines, total = values[header + 1:-1], values[-1]
        assert len(lines) == count and total[0] == "Total", name
        # The lists' totals are the dashboard's: tenders, lots, hours required, done in the period.
        assert (total[2], total[3]) == (figures.tenders, figures.lots_count), name
        assert Decimal(str(total[4])) == figures.hours_required, name
        assert Decimal(str(total[5])) == figures.hours_done, name
        assert Decimal(str(total[7])) == figures.hours_remaining, name
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")), delimiter=";"))
    proves = next(row[1] for row in manifest if row[0] == "02-liste-des-marches-clauses.xlsx")
    assert proves.startswith(f"{counted(figures.tenders, 'marché clausé', 'marchés clausés')}, "
                             f"{counted(figures.lots_count, 'lot clausé', 'lots clausés')}, "
                             f"{counted(figures.operations, 'opération')}")


def test_demo_stays_plausible_most_lots_between_60_and_110_percent(session, demo):
    figures = scope_figures(session, ReportFilter(demo))
    due = [lot for lot in figures.lots if lot.due]
    within = [lot for lot in due if Decimal("0.6") <= lot.pct <= Decimal("1.1")]
    assert len(within) >= len(due) // 2, [(lot.tender_reference, lot.lot_number, lot.pct) for lot in due]
    assert figures.lots_short >= 1, "a few lots are late"
