"""Timesheets are read in the sandbox: what the guards miss ends as a French refusal, never a crash."""

import pytest
from sqlalchemy import select

from app.domain.enums import JobStatus
from app.domain.timesheets import Limits, TimesheetError
from app.domain.timesheets.excel import read_workbook
from app.domain.timesheets.limits import Deadline
from app.models import Job
from app.models.timesheets import ImportStatus
from app.sandbox import SandboxRefusal, run_sandboxed
from app.services import timesheets as svc
from tests.security.french import assert_french
from tests.security.hostile_corpus import ods_repeat_bomb
from tests.services.test_timesheet_import import csv_bytes, upload


def test_read_workbook_unguarded_ods_bomb_is_stopped_by_the_child_limits():
    # The ODS guard is bypassed on purpose: calamine alone expands the file until it aborts.
    with pytest.raises(SandboxRefusal) as caught:
        run_sandboxed(read_workbook, ods_repeat_bomb(text=True), Limits(), Deadline(30))
    assert caught.value.reason in ("crash", "memory")


def test_read_timesheet_returns_the_same_rows_as_the_domain_parser():
    sheet = svc.read_timesheet(csv_bytes(("Durand ORG-A", "Camille", "35,5", "7")), "releve.csv")
    assert [(row.last_name, str(row.hours)) for row in sheet.rows] == [("Durand ORG-A", "35.5")]


def test_import_reader_killed_in_child_ends_failed_in_french_not_retried(session, world, monkeypatch):
    def killed(*args, **kwargs):
        raise TimesheetError(SandboxRefusal("crash", -6).message_fr, "sandbox_crash")

    monkeypatch.setattr(svc, "read_timesheet", killed)
    imp = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "35,5", "7")))
    job = session.scalar(select(Job).where(Job.subject_id == imp.id, Job.kind == "analyse_timesheet"))
    assert imp.status == ImportStatus.FAILED and "sans danger" in imp.error
    assert_french(imp.error, "refus du bac à sable")
    # JobFailure is final: neither RQ nor the reconciler runs the job again.
    assert job.status == JobStatus.FAILED and job.error == "JobFailure" and job.message == imp.error


def test_import_preview_too_large_to_store_fails_in_french(session, world, monkeypatch):
    monkeypatch.setattr(svc, "MAX_PREVIEW_BYTES", 100)
    imp = upload(session, world, csv_bytes(("Durand ORG-A", "Camille", "35,5", "7")))
    job = session.scalar(select(Job).where(Job.subject_id == imp.id, Job.kind == "analyse_timesheet"))
    assert imp.status == ImportStatus.FAILED and imp.preview is None and "trop de lignes" in imp.error
    assert job.status == JobStatus.FAILED and job.message == imp.error
