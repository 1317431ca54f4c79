"""FSE+ operations and their dossier: targets against achievements, the ZIP built by the job with
every piece opened (XLSX typed, DOCX text, PDF text) and the manifest hashes verified; bilans."""

import hashlib
import json
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.reports.attendance import ActionKind
from app.domain.liaison.convention import PartyKind
from app.domain.documents.rendering import docx_text
from app.domain.reports.targets import TargetKind
from app.domain.enums import JobStatus
from app.domain.liaison.workflow import ConventionStatus
from app.models import Bilan, Buyer, Dossier, FseOperation, Job, StoredFile
from app.pdf import pdf_available
from app.queue import enqueue
from app.services.reports import actions
from app.services.liaison import conventions
from app.services.reports import bilan as bilan_svc
from app.services.reports import dossiers as svc
from app.services.reports import fse_operations as operations
from app.services.actors import Actor
from app.services.jobs import create_job
from app.services.referential import ServiceError
from tests.services.liaison.fiche_helpers import pdf_bytes
from tests.services.reports.followup_helpers import TODAY, make_site, staff_scope
from workers.jobs import build_dossier_job, generate_bilan_job

ACTOR = Actor(None, "Camille Facilitatrice")


def signed_convention(session, world, tender_id: int, reference: str, starts_on=date(2026, 2, 1),
                      ends_on=date(2027, 1, 31)):
    data = {
        "party_kind": PartyKind.ENTREPRISE.value, "party_id": world.a.ids["companies"]["own"],
        "reference": reference, "party_signatory_name": "Paul Leroy", "party_signatory_role": "Directeur",
        "facilitator_signatory_name": "Marie Dubois", "facilitator_signatory_role": "Présidente",
        "facilitator_address": "5 place Jean Jaurès, 62300 Lens", "object": "Mise en œuvre de la clause sociale.",
        "tender_ids": [tender_id], "operation_ids": [], "starts_on": starts_on, "ends_on": ends_on,
        "facilitator_commitments": [], "party_commitments": ["Accueillir deux personnes."], "reporting": [],
        "data_protection_contact": "dpo@plie.example.fr", "committee_members": ["Ville"],
        "committee_frequency": "tous les trimestres", "is_fse_funded": True, "fse_operation": "Clauses 2026",
        "annexes": [], "signed_at_place": "Lens",
    }
    convention = conventions.save_convention(session, staff_scope(world), data, ACTOR)
    conventions.change_status(session, convention, ConventionStatus.ENVOYEE, ACTOR, today=TODAY)
    conventions.attach_signed_scan(session, convention, "scan.pdf", pdf_bytes(), ACTOR, signed_on=starts_on,
                                   today=TODAY)
    return convention


YEAR_2026 = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}


@pytest.fixture
def operation(session, world):
    site = make_site(session, world, lots=2, people=6, minutes=40 * 60, tag="FSE",
                     last_names=("Zorglub", "Durand", "Petit"))
    # A name a spreadsheet would run as a formula, were it not written as text.
    session.get(Buyer, site.buyer_id).name = "=1+1"
    op = operations.save_operation(session, staff_scope(world), {
        **YEAR_2026, "title": "Clauses sociales 2026", "territory": "Val-de-Test", "is_fse_funded": True,
        "tender_ids": [site.tender_id],
        "targets": [{"kind": kind.value, "target": Decimal(value)} for kind, value in (
            (TargetKind.TENDERS, 2), (TargetKind.HOURS, 1000), (TargetKind.CONVENTIONS, 2),
            (TargetKind.AWARENESS_ACTIONS, 2))]})
    signed_convention(session, world, site.tender_id, "2026-A")
    signed_convention(session, world, site.tender_id, "2025-OLD", date(2025, 1, 1), date(2025, 12, 31))
    awareness = actions.save_action(session, staff_scope(world), {
        "kind": ActionKind.AWARENESS_ACTION.value, "title": "Sensibilisation", "place": "Mairie",
        "organiser": "PLIE A", "starts_at": datetime(2026, 4, 2, 14, 0), "ends_at": None,
        "fse_operation_id": op.id})
    actions.add_person(session, awareness, "Sophie Martin", "Bâtiment FSE", "RH")
    actions.attach_signed_scan(session, awareness, pdf_bytes())
    actions.save_action(session, staff_scope(world), {
        "kind": ActionKind.INFORMATION_MEETING.value, "title": "Réunion", "place": "PLIE", "organiser": "PLIE A",
        "starts_at": datetime(2026, 5, 4, 9, 30), "ends_at": None, "fse_operation_id": None})
    session.commit()
    return op


def build(session, world, operation, *, with_pdf: bool = False) -> tuple[Dossier, bytes]:
    scope = staff_scope(world)
    dossier = svc.request_dossier(session, scope, operation, with_pdf=with_pdf, today=TODAY)
    job = create_job(session, "build_dossier", organisation_id=scope.organisation_id, user_id=None,
                     subject_id=dossier.id)
    dossier.job_id = job.id
    session.commit()
    enqueue(build_dossier_job, job.id, dossier.id)
    session.expire_all()
    job = session.get(Job, job.id)
    assert job.status is JobStatus.DONE, job.message
    dossier = session.get(Dossier, dossier.id)
    return dossier, session.get(StoredFile, dossier.file_id).data


def test_save_operation_targets_labelled_and_replaced(session, world, operation):
    assert [(t.kind, t.label) for t in operation.targets] == [
        (TargetKind.TENDERS, "2 marchés clausés"), (TargetKind.HOURS, "1\u202f000 heures d'insertion"),
        (TargetKind.CONVENTIONS, "2 conventions actives"),
        (TargetKind.AWARENESS_ACTIONS, "2 actions de sensibilisation")]
    operations.save_operation(session, staff_scope(world), {**YEAR_2026, "title": "X", "tender_ids": [], "targets": [
        {"kind": TargetKind.HOURS.value, "target": Decimal(500)}]}, operation)
    assert [(t.kind, t.target) for t in operation.targets] == [(TargetKind.HOURS, Decimal(500))]
    with pytest.raises(ServiceError, match="précède son début"):
        operations.save_operation(session, staff_scope(world), {"starts_on": date(2026, 9, 1), "ends_on": date(2026, 8, 31),
                                                         "title": "X"})


def test_achievements_against_targets(session, world, operation):
    spec = operations.spec_for(operation)
    targets = {t.kind: t for t in operations.measured_targets(session, spec, TODAY)}
    achieved = {kind: t.achieved for kind, t in targets.items()}
    assert achieved[TargetKind.TENDERS] == 1
    assert achieved[TargetKind.HOURS] == Decimal(720)  # 6 people × 3 months × 40 h
    assert achieved[TargetKind.CONVENTIONS] == 1  # the 2025 one ended before the year
    assert achieved[TargetKind.AWARENESS_ACTIONS] == 1
    assert operations.measured_targets(session, replace(spec, targets=(operations.TargetSpec(
        TargetKind.PARTICIPANTS, "6 participants", Decimal(6)),)), TODAY)[0].achieved == 6
    assert targets[TargetKind.HOURS].pct == Decimal("0.72")


def test_dossier_zip_pieces_manifest_and_storage(session, world, operation):
    dossier, data = build(session, world, operation)
    assert dossier.data_as_of == TODAY and dossier.pieces_count == 15
    archive = zipfile.ZipFile(BytesIO(data))
    names = archive.namelist()
    assert names[:6] == ["00-page-de-garde.pdf", "01-bilan-de-l-action.docx", "02-liste-des-marches-clauses.xlsx",
                         "02-liste-des-operations-suivies.xlsx", "02-liste-des-donneurs-d-ordre-accompagnes.xlsx",
                         "03-tableau-d-impact.xlsx"]
    assert {"03-indicateurs-communs-fse.xlsx", "05-actions/liste-des-actions.xlsx",
            "07-clauses/liste-des-clauses.xlsx"} <= set(names)
    cover = PdfReader(BytesIO(archive.read("00-page-de-garde.pdf"))).pages[0].extract_text()
    assert "Cofinancé par l’Union européenne" in cover and "Réalisations et cibles" in cover
    assert "04-conventions/liste-des-conventions-actives.xlsx" in names
    assert sum(name.startswith("04-conventions/convention-") for name in names) == 1
    assert any(name.startswith("05-emargements/2026-04-02-action-de-sensibilisation") and name.endswith("-signee.pdf")
               for name in names)
    assert any(name.startswith("05-emargements/2026-05-04-reunion-d-information") and "non-signee" in name
               for name in names)
    # Already-compressed formats are stored as they are; so are the few kilobytes of CSV/JSON.
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED, info.filename
        assert info.date_time[:3] == (2026, 11, 22)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["data_as_of"] == "2026-11-22" and manifest["operation"] == "Clauses sociales 2026"
    for piece in manifest["pieces"]:
        assert hashlib.sha256(archive.read(piece["filename"])).hexdigest() == piece["sha256"], piece["filename"]
    assert {p["filename"] for p in manifest["pieces"]} == set(names) - {"manifest.csv", "manifest.json"}
    by_name = {p["filename"]: p for p in manifest["pieces"]}
    assert by_name["02-liste-des-marches-clauses.xlsx"]["target"] == "2 marchés clausés ; 1\u202f000 heures d'insertion"
    hours = {t["kind"]: t for t in manifest["indicators_vs_targets"]}["hours"]
    assert (hours["target"], hours["achieved"]) == ("1000", "720.00")
    csv_text = archive.read("manifest.csv").decode("utf-8-sig")
    assert "03-tableau-d-impact.xlsx" in csv_text and hashlib.sha256(
        archive.read("03-tableau-d-impact.xlsx")).hexdigest() in csv_text


def test_dossier_pieces_open_typed_and_readable(session, world, operation):
    _dossier, data = build(session, world, operation)
    archive = zipfile.ZipFile(BytesIO(data))
    text = docx_text(archive.read("01-bilan-de-l-action.docx"))
    assert "Val-de-Test" in text and "720\u00a0heures" in text and "Clauses sociales 2026" in text
    assert "Cette action est cofinancée par l’Union européenne" in text
    document = Document(BytesIO(archive.read("01-bilan-de-l-action.docx")))
    assert len(document.inline_shapes) == 3  # EU emblem, progress and monthly charts
    impact = load_workbook(BytesIO(archive.read("03-tableau-d-impact.xlsx")))["Tableau d'impact"]
    cells = {cell.value: cell for row in impact.iter_rows() for cell in row if cell.value is not None}
    assert cells["=1+1"].data_type == "s"
    assert "Zorglub" not in cells and "FSE-0000" in cells  # pseudonymised: it leaves the structure
    total = next(row for row in impact.iter_rows() if row[0].value == "Total")
    assert 720 in [cell.value for cell in total]
    listing = load_workbook(BytesIO(archive.read("04-conventions/liste-des-conventions-actives.xlsx"))).active
    assert "2026-A" in [cell.value for row in listing.iter_rows() for cell in row]
    sheet = next(name for name in archive.namelist() if "non-signee" in name)
    assert "Feuille d’émargement" in PdfReader(BytesIO(archive.read(sheet))).pages[0].extract_text()


@pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent")
def test_dossier_with_pdf_adds_bilan_and_list_pdfs(session, world, operation):
    _dossier, data = build(session, world, operation, with_pdf=True)
    archive = zipfile.ZipFile(BytesIO(data))
    for name in ("01-bilan-de-l-action.pdf", "02-liste-des-marches-clauses.pdf"):
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(archive.read(name))).pages)
        assert "Clauses sociales 2026" in text or "T-FSE" in text, name


def test_dossier_rebuild_replaces_the_zip(session, world, operation):
    dossier, _data = build(session, world, operation)
    first = dossier.file_id
    job = create_job(session, "build_dossier", organisation_id=world.a.organisation_id, user_id=None,
                     subject_id=dossier.id)
    session.commit()
    enqueue(build_dossier_job, job.id, dossier.id)
    session.expire_all()
    assert session.get(Dossier, dossier.id).file_id != first and session.get(StoredFile, first) is None


def test_bilan_job_for_a_buyer(session, world):
    site = make_site(session, world, lots=2, people=3, minutes=600, tag="BIL")
    scope = staff_scope(world)
    bilan = bilan_svc.request_bilan(session, scope, {"subject": "buyer", "buyer_id": site.buyer_id,
                                                      "starts_on": date(2026, 1, 1), "ends_on": date(2026, 6, 30),
                                                      "with_pdf": False})
    job = create_job(session, "generate_bilan", organisation_id=scope.organisation_id, user_id=None,
                     subject_id=bilan.id)
    session.commit()
    enqueue(generate_bilan_job, job.id, bilan.id)
    session.expire_all()
    bilan = session.get(Bilan, bilan.id)
    assert session.get(Job, job.id).status is JobStatus.DONE
    assert bilan.pdf_file_id is None and bilan.template_label == "modèle par défaut"
    docx = session.get(StoredFile, bilan.docx_file_id)
    text = docx_text(docx.data)
    assert "Ville BIL" in text and "du 1er janvier 2026 au 30 juin 2026" in text and "90\u00a0heures" in text
    assert "T-BIL" in text and "Emploi durable" in text
    assert "mars 2026" in text
    # Charts carry their figures as alternative text.
    document = Document(BytesIO(docx.data))
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert any("90\u00a0heures pour 2\u202f000\u00a0heures exigées" in d for d in descriptions), descriptions


@pytest.mark.parametrize(("data", "field"), [
    ({"subject": "buyer", "buyer_id": None}, "buyer_id"),
    ({"subject": "company", "company_id": 999_999}, "company_id"),
    ({"subject": "all", "ends_on": date(2025, 1, 1)}, "ends_on"),
    ({"subject": "nobody"}, "subject"),
])
def test_request_bilan_refused(session, world, data, field):
    base = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 6, 30)}
    with pytest.raises(ServiceError) as error:
        bilan_svc.request_bilan(session, staff_scope(world), {**base, **data})
    assert error.value.field == field


def test_period_actions_exclude_other_operations(session, world, operation):
    other = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Autre")
    session.add(other)
    session.flush()
    actions.save_action(session, staff_scope(world), {
        "kind": ActionKind.AWARENESS_ACTION.value, "title": "Ailleurs", "place": "X", "organiser": "Y",
        "starts_at": datetime(2026, 6, 1, 9, 0), "ends_at": None, "fse_operation_id": other.id})
    titles = [a.title for a in svc.period_actions(session, operations.spec_for(operation), TODAY)]
    assert titles == ["Sensibilisation", "Réunion"]
    assert session.scalar(select(FseOperation.id).where(FseOperation.title == "Autre")) == other.id


def test_dossier_prints_the_operation_number_on_cover_and_bilan(session, world, operation):
    operations.save_operation(session, staff_scope(world), {
        **YEAR_2026, "title": "Clauses sociales 2026", "operation_number": " 202501234 ", "is_fse_funded": True,
        "tender_ids": [t.id for t in operation.tenders],
        "targets": [{"kind": t.kind.value, "target": t.target} for t in operation.targets]}, operation)
    session.commit()
    assert operation.operation_number == "202501234"
    _dossier, data = build(session, world, operation)
    archive = zipfile.ZipFile(BytesIO(data))
    cover = PdfReader(BytesIO(archive.read("00-page-de-garde.pdf"))).pages[0].extract_text()
    assert "N° d’opération\u202f: 202501234" in cover
    bilan = docx_text(archive.read("01-bilan-de-l-action.docx"))
    assert "Opération\u202f: Clauses sociales 2026 (opération n°\u00a0202501234)" in bilan
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["operation"] == "Clauses sociales 2026"  # the manifest keeps the operation's title


def test_dossier_cover_of_an_operation_without_number_leaves_a_line(session, world, operation):
    _dossier, data = build(session, world, operation)
    cover = PdfReader(BytesIO(zipfile.ZipFile(BytesIO(data)).read("00-page-de-garde.pdf"))).pages[0].extract_text()
    assert "N° d’opération\u202f: ……………………" in cover
