"""Data import jobs and what they keep: a bounded report for a huge file, the file gone after 30 days."""

import json
from datetime import timedelta

from sqlalchemy import select

from app.access import Scope
from app.domain.dataimport import KINDS
from app.domain.sheetmap import SheetMapping
from app.models import DataImport, DataImportStatus, StoredFile
from app.models.base import utcnow
from app.services.dataimport import plan_import
from app.services.dataimport.imports import receive_import
from app.services.dataimport.jobs import run_analysis
from app.services.dataimport.reports import KEPT, bounded_report, sheet_preview
from app.services.retention import DATA_IMPORT_FILE_DAYS, purge_personal_data
from tests.services.dataimport import files
from tests.services.dataimport.files import SIRETS


def test_report_of_a_huge_plan_keeps_counts_and_a_bounded_sample(session, world):
    scope = Scope(organisation_id=world.a.organisation_id)
    rows = [["SIRET", "Raison sociale"]]
    rows += [[f"{n:014d}", f"Entreprise {n}"] for n in range(1, 1201)]  # checksum wrong: errors
    rows += [[SIRETS[n % 4], f"Répétée {n}"] for n in range(300)]  # same key, other values: errors too
    rows += [[None, None]] * 500  # blank lines: counted, never listed
    plan = plan_import(session, scope, KINDS["companies"], rows, SheetMapping(0, {0: "siret", 1: "name"}))
    report = bounded_report(plan, "historique.csv")
    assert report["errors"] == plan.count("error") > KEPT["error"]
    assert report["unchanged"] == plan.count("skip") >= 500
    assert len(report["rows"]) <= sum(KEPT.values())
    assert [row["action"] for row in report["rows"]][:KEPT["error"]] == ["error"] * KEPT["error"]
    assert report["left_out"]["error"] == report["errors"] - KEPT["error"]
    assert len(json.dumps(report, ensure_ascii=False)) < 300_000


def test_sheet_preview_starts_near_a_header_found_far_down():
    rows = [[f"titre {n}"] for n in range(20)] + [["SIRET", "Raison sociale"]] + [["1", "A"]] * 30
    preview = sheet_preview("Liste", rows, SheetMapping(20, {0: "siret", 1: "name"}))
    assert preview["start"] == 17 and preview["rows"][3] == ["SIRET", "Raison sociale"]
    assert preview["total"] == 51 and preview["width"] == 2


def test_analysis_job_keeps_the_plan_and_writes_no_record(session, world):
    scope = Scope(organisation_id=world.a.organisation_id, user_id=None)
    imp = receive_import(session, scope, "siae", "siae.csv", files.SIAE_TOOL)
    session.commit()
    run_analysis(imp.id)
    session.expire_all()
    imp = session.get(DataImport, imp.id)
    assert imp.status == DataImportStatus.PREVIEW and imp.report["created"] == 3
    assert imp.sheet_preview["rows"][0][:2] == ["N° SIRET", "Raison sociale"]
    assert imp.mapping["columns"]["0"] == "siret"


def test_purge_deletes_data_import_files_after_thirty_days_and_keeps_counts(session, world):
    scope = Scope(organisation_id=world.a.organisation_id)
    imp = receive_import(session, scope, "companies", "entreprises.csv", files.COMPANIES_TOOL)
    session.commit()
    run_analysis(imp.id)
    session.expire_all()
    assert purge_personal_data(session).data_import_files_removed == 0, "a recent file stays"
    report = purge_personal_data(session, now=utcnow() + timedelta(days=DATA_IMPORT_FILE_DAYS + 1))
    session.commit()
    session.expire_all()
    imp = session.get(DataImport, imp.id)
    assert report.data_import_files_removed == 1 and "fichier d'import de plus de 30" in report.summary()
    assert imp.file_id is None and imp.sheet_preview is None
    assert imp.report["rows"] == [] and imp.report["created"] == 2
    assert session.scalars(select(StoredFile).where(StoredFile.owner_kind == "data_import")).all() == []
