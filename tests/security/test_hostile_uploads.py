"""Hostile uploads (issue #7): 0 tracebacks, 0 partial writes, a French message for each file.

The corpus (tests/security/hostile_corpus.py) is generated in memory: truncated and
altered golden files, renamed files, zip and XML bombs, XXE, hostile PDFs and CSVs,
formula payloads. Each test prints its counts by outcome for the closing note.
"""

import io
import time
import traceback
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.access import Scope
from app.domain.enums import JobStatus, Role
from app.domain.timesheets import Limits, ParsedTimesheet, TimesheetError, parse_timesheet
from app.models import HourRecord, Job, StoredFile, User
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import enqueue
from app.services import timesheets as svc
from app.services.jobs import create_job
from app.services.referential import ServiceError
from tests.conftest import page_text
from tests.security.french import assert_french
from tests.security.hostile_corpus import FAMILIES, hostile_corpus
from tests.security.hostile_formats import PASSWD_MARKER
from workers.jobs import analyse_timesheet_job

# The parse's own deadline, and what a file may take including what the deadline cannot cut.
LIMITS = Limits(timeout_seconds=8.0)
MAX_SECONDS = 10.0


def report(capsys, title: str, counts: Counter) -> None:
    """Print the counts by outcome, whatever pytest captures."""
    with capsys.disabled():
        print(f"\n[hostile] {title}: {sum(counts.values())} fichiers — "
              + ", ".join(f"{code} {n}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


def check_parsed(item, sheet: ParsedTimesheet) -> list[str]:
    """Return what is wrong with a successful parse of a hostile file."""
    problems = []
    texts = [value for row in sheet.rows for value in (row.last_name, row.first_name, row.lot or "")]
    if not all(isinstance(value, str) for value in texts):
        problems.append(f"{item.name}: un nom n'est pas du texte")
    if any(PASSWD_MARKER in value for value in texts):
        problems.append(f"{item.name}: le contenu de /etc/passwd a été lu")
    names = {value.strip() for value in texts}
    missing = [payload for payload in item.payload_names if payload not in names]
    if missing:
        problems.append(f"{item.name}: noms-formules perdus ou transformés {missing}")
    return problems


def test_hostile_corpus_is_large_varied_and_deterministic():
    items = list(hostile_corpus())
    assert len(items) >= 500 and len({item.name for item in items}) == len(items)
    assert {item.family for item in items} == {"truncated", "renamed", "tiny", "zip", "xml", "pdf", "csv", "xlsx",
                                               "xls", "ods", "mutated"}
    assert all(item.data() == item.data() for item in items[::37])


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__)
def test_parse_timesheet_hostile_file_gives_result_or_french_error(family, capsys):
    counts, problems = Counter(), []
    for item in family():
        data = item.data()
        start = time.perf_counter()
        try:
            sheet = parse_timesheet(data, item.name, limits=LIMITS)
        except TimesheetError as exc:
            counts[exc.code] += 1
            if exc.code == "internal_error":
                problems.append(f"{item.name}: erreur inattendue ({exc.__cause__!r})")
            try:
                assert_french(exc.message_fr, item.name)
            except AssertionError as bad:
                problems.append(str(bad))
            if item.payload_names:
                problems.append(f"{item.name}: un relevé lisible aux noms-formules a été refusé ({exc.code})")
        except BaseException:  # noqa: BLE001 - any other exception is the failure under test
            counts["TRACEBACK"] += 1
            problems.append(f"{item.name}: {traceback.format_exc(limit=3)}")
        else:
            counts["lu"] += 1
            problems += check_parsed(item, sheet)
        elapsed = time.perf_counter() - start
        if elapsed > MAX_SECONDS:
            problems.append(f"{item.name}: {elapsed:.1f} s")
    report(capsys, f"domaine/{family.__name__}", counts)
    assert not problems, "\n".join(problems)


# --- service level: receive, analyse inline, nothing half-written ---


def _siae_scope(session, world) -> Scope:
    user = session.scalar(select(User).where(User.email == world.a.users[Role.SIAE]))
    return Scope.for_user(user)


def _counts(session) -> tuple[int, int, int]:
    return (session.scalar(select(func.count(HourRecord.id))),
            session.scalar(select(func.count(TimesheetImport.id))),
            session.scalar(select(func.count(StoredFile.id))))


def test_receive_and_analyse_hostile_corpus_ends_preview_or_failed_in_french(session, world, capsys):
    scope = _siae_scope(session, world)
    hours_before, imports_before, files_before = _counts(session)
    counts, problems, accepted = Counter(), [], 0
    for item in hostile_corpus():
        data = item.data()
        try:
            imp = svc.receive_timesheet(session, scope, structure_key="", month=None, lot_id=None,
                                        filename=item.name, data=data)
            job = create_job(session, "analyse_timesheet", organisation_id=scope.organisation_id,
                             user_id=scope.user_id, subject_id=imp.id)
            imp.job_id = job.id
        except ServiceError as exc:
            session.rollback()
            counts["refusé au dépôt"] += 1
            assert_french(str(exc), item.name)
            continue
        session.commit()
        accepted += 1
        imp_id, job_id = imp.id, job.id
        session.expunge_all()  # the stored bytes of 700 uploads need not stay in memory
        enqueue(analyse_timesheet_job, job_id, imp_id)
        imp, job = session.get(TimesheetImport, imp_id), session.get(Job, job_id)
        counts[imp.status.value] += 1
        if imp.status == ImportStatus.FAILED:
            try:
                assert_french(imp.error, item.name)
            except AssertionError as bad:
                problems.append(str(bad))
        elif imp.status != ImportStatus.PREVIEW:
            problems.append(f"{item.name}: relevé resté « {imp.status.label} » ({job.message})")
        if job.status not in (JobStatus.DONE, JobStatus.FAILED) or job.error not in ("", "JobFailure"):
            problems.append(f"{item.name}: tâche {job.status.value} / {job.error}")
        if imp.status == ImportStatus.FAILED and job.message != imp.error:
            problems.append(f"{item.name}: la tâche et le relevé disent deux choses différentes")
        session.expunge_all()
    hours_after, imports_after, files_after = _counts(session)
    report(capsys, "service", counts)
    assert hours_after == hours_before, "l'analyse a écrit des heures"
    assert imports_after - imports_before == accepted and files_after - files_before == accepted
    assert session.scalar(select(func.count(Job.id)).where(Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))) == 0
    assert accepted >= 500 and not problems, "\n".join(problems)


# --- web level: a sample through the real upload page, as an SIAE user ---


def web_sample(per_family: int = 4) -> list:
    """Return the first files of every family (36 in all), the empty file included."""
    sample, seen = [], Counter()
    for item in hostile_corpus():
        if seen[item.family] < per_family:
            sample.append(item)
            seen[item.family] += 1
    return sample


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """Encode a form by hand: Werkzeug's test client spools bodies over 500 KB to a temporary
    file it never closes (a ResourceWarning, an error here), and 10 MB files are in the sample.
    """
    boundary = "----clausier-hostile-7f3a9c"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    safe_name = filename.replace('"', "_")
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode())
    out.write(data)
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_upload_page_hostile_sample_never_500_and_says_what_happened(login, world, session, capsys):
    browser = login(Role.SIAE)
    own = f"siae:{world.a.ids['siaes']['own']}"
    hours_before = session.scalar(select(func.count(HourRecord.id)))
    counts, problems = Counter(), []
    sample = web_sample()
    for item in sample:
        body, content_type = multipart({"csrf_token": browser.token, "structure": own, "month": "", "lot_id": ""},
                                       item.name, item.data())
        response = browser.client.post("/releves/deposer", data=body, content_type=content_type)
        if response.status_code == 302:
            response = browser.get(response.headers["Location"])
        page = page_text(response)
        if response.status_code != 200:
            problems.append(f"{item.name}: HTTP {response.status_code}")
            continue
        if "Le fichier n'a pas pu être lu." in page:
            counts["illisible"] += 1
        elif "Ce que Clausier a compris" in page:
            counts["aperçu"] += 1
        elif "Le dépôt n'a pas pu être fait" in page or "Le fichier est vide" in page:
            counts["refusé au dépôt"] += 1
        else:
            problems.append(f"{item.name}: la page ne dit pas ce qui s'est passé")
        if "Traceback" in page or "Internal Server Error" in page:
            problems.append(f"{item.name}: trace technique affichée")
    report(capsys, "web (SIAE)", counts)
    assert len(sample) >= 30 and not problems, "\n".join(problems)
    session.expire_all()
    assert session.scalar(select(func.count(HourRecord.id))) == hours_before
