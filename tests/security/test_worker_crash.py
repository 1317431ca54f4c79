"""Worker crash (issue #7): kill -9 a real RQ worker in the middle of imports, again and again.

A real Redis and real ``python -m workers`` processes share a committed database with this
test (a fresh SQLite file, or DATABASE_URL's PostgreSQL with an organisation of our own,
deleted at the end). Each round uploads a 40-page PDF timesheet, lets a worker start reading
it, kills the worker's whole process tree with SIGKILL at a different moment, runs the
reconciler and lets a new worker finish. Every import must end read (preview) or failed
with a French message saying to send it again — never half-written, never duplicated.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.job import Job as RqJob
from rq.registry import (
    CanceledJobRegistry,
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)
from sqlalchemy import delete, func, select

from app.access import Scope
from app.config import normalise_database_url
from app.db import Database, db
from app.domain.enums import JobStatus, OrganisationKind, Role, SiaeKind
from app.domain.timesheets import parse_timesheet
from app.models import HourRecord, Job, Organisation, Siae, StoredFile
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import enqueue, job_queue
from app.services import timesheets as svc
from app.services.accounts import create_user
from app.services.jobs import create_job
from app.services.migrations import upgrade_database
from tests.security.french import assert_french
from workers.jobs import analyse_timesheet_job
from workers.maintenance import MAX_ATTEMPTS, reconcile_jobs

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.timeout(480)]

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 20
MIN_MID_KILLS = 20
STUBBORN_ROUNDS = {6, 13}  # killed again at every attempt until the reconciler gives up
# Where to kill: when the job row says it started (progress 0), is reading the file (20) or
# is matching names and writing the preview (70), plus a delay; the rounds cycle through them.
KILL_POINTS = [(0, 0.0), (20, 0.0), (20, 0.12), (70, 0.0), (20, 0.25), (70, 0.02), (0, 0.05)]
# Each of the ~27 worker starts also starts its sandbox fork server (about 2.4 s, app/sandbox.py),
# and CI shares two cores: the budget (and pytest's timeout below) leave room for both.
BUDGET_SECONDS = 420
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
LOCK_KEY = "clausier:test-crash-worker"


@pytest.fixture
def redis_url() -> str:
    """Return a database of the real Redis for this run alone, or skip if no Redis answers.

    Workers listen on the « default » queue: two runs sharing one Redis database (two
    engineers, or the queue tests flushing it) would take each other's jobs. The run claims
    another database index of the same server with a lock key, and frees it at the end.
    """
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (RedisError, OSError) as exc:
        pytest.skip(f"Aucun Redis ne répond sur {REDIS_URL} ({exc}) : le test de crash du worker en a besoin.")
    token, own = uuid.uuid4().hex, Redis.from_url(REDIS_URL).connection_pool.connection_kwargs.get("db", 0)
    for index in [i for i in range(14, 0, -1) if i != own]:
        url = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{index}"))
        claim = Redis.from_url(url)
        if claim.set(LOCK_KEY, token, nx=True, ex=BUDGET_SECONDS * 2):
            # The index is ours alone now: what an earlier run killed mid-way left there (worker
            # registrations, a scheduler lock held by a dead worker) would stall the new workers
            # for a minute or more. Start from an empty database, the lock kept.
            claim.flushdb()
            claim.set(LOCK_KEY, token, ex=BUDGET_SECONDS * 2)
            try:
                yield url
            finally:
                if claim.get(LOCK_KEY) == token.encode():
                    claim.delete(LOCK_KEY)
            return
    pytest.skip("Aucune base Redis libre pour isoler le test de crash (toutes réservées).")


@pytest.fixture
def shared_db(tmp_path):
    """Point the app's ``db`` at a committed database the workers share; restore it afterwards."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    mine = Database()
    mine.configure(normalise_database_url(url))
    upgrade_database(mine.engine)
    saved = (db.engine, db.session_factory)
    db.engine, db.session_factory = mine.engine, mine.session_factory
    try:
        yield url
    finally:
        db.engine, db.session_factory = saved
        mine.engine.dispose()


@pytest.fixture
def rq_queue(redis_url):
    """Send jobs to the real Redis during the test, then put the inline mode back."""
    saved = (job_queue.redis_url, job_queue._connection)
    job_queue.configure(redis_url)
    try:
        yield job_queue.rq_queue()
    finally:
        job_queue.redis_url, job_queue._connection = saved


def slow_pdf() -> bytes:
    """Return a 40-page text PDF of 40 people × 31 days per page (1 600 lines to read)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=6)
    for page in range(40):
        pdf.add_page()
        pdf.set_xy(8, 8)
        pdf.cell(0, 5, "Releve d'heures - Regie de quartier Nord - Mars 2026")
        pdf.set_xy(8, 16)
        pdf.cell(40, 4, "Nom Prenom")
        for day in range(1, 32):
            pdf.cell(7, 4, str(day), align="R")
        pdf.cell(12, 4, "Total", align="R")
        for row in range(40):
            pdf.set_xy(8, 21 + row * 4.4)
            pdf.cell(40, 4, f"PERSONNE{row:02d} Prenom{page:02d}")
            for day in range(1, 32):
                pdf.cell(7, 4, "" if (day % 7) in (0, 6) else "7,5", align="R")
            pdf.cell(12, 4, "165", align="R")
    return bytes(pdf.output())


class Workers:
    """Start ``python -m workers`` processes and kill their whole tree with SIGKILL."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log = env, log
        self.current: subprocess.Popen | None = None
        self.started = 0
        self.seen_pids: set[int] = set()

    def ensure(self) -> None:
        if self.current is None or self.current.poll() is not None:
            with self.log.open("ab") as out:
                self.current = subprocess.Popen([sys.executable, "-m", "workers"], cwd=ROOT, env=self.env,
                                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            self.started += 1
            self.seen_pids.add(self.current.pid)

    def kill(self) -> None:
        """SIGKILL the worker, then its work-horse and scheduler (RQ puts the horse in its own group)."""
        if self.current is None:
            return
        tree = self._descendants(self.current.pid)
        self.seen_pids |= set(tree)
        for pid in [self.current.pid, *tree]:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.current.wait(timeout=10)
        self.current = None
        # The horse is not our child: wait until the kernel has really removed it, as a
        # reconciler running minutes later would find it (a dying horse may still commit).
        end = time.monotonic() + 10
        while any(self._alive(pid) for pid in tree) and time.monotonic() < end:
            time.sleep(0.002)

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state not in ("Z", "X")

    def kill_all(self) -> None:
        self.kill()
        for pid in self.seen_pids:  # a horse that outlived its worker must not linger
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    @staticmethod
    def _descendants(root: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = [], [root]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found


def job_row(job_id: int) -> Job:
    with db.session_scope() as session:
        return session.get(Job, job_id)


def wait_for(predicate, timeout: float, what: str, log: Path):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.005)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"délai dépassé : {what}\n--- journal des workers ---\n{tail}")


def drain(workers: "Workers", job_id: int, round_: int) -> None:
    """Let a worker finish the job; if its RQ job vanished (another test flushed Redis), re-queue it."""
    finished = (JobStatus.DONE, JobStatus.FAILED)
    for _ in range(3):
        workers.ensure()
        try:
            wait_for(lambda: job_row(job_id).status in finished, 30, f"tour {round_} : fin", workers.log)
            return
        except AssertionError:
            if job_row(job_id).status != JobStatus.QUEUED:
                raise
            workers.kill()
            reconcile_jobs(stale_after=timedelta(0))
    wait_for(lambda: job_row(job_id).status in finished, 30, f"tour {round_} : la tâche se termine", workers.log)


def started_past(job_id: int, progress: int) -> bool:
    """Tell whether a worker took the job and reported at least ``progress`` (or finished it)."""
    row = job_row(job_id)
    return row.status != JobStatus.QUEUED and row.progress >= progress


def make_structure(tag: str) -> Scope:
    """Create an organisation, an SIAE and its user, committed: the rows the worker will see."""
    with db.session_scope() as session:
        org = Organisation(name=f"PLIE crash {tag}", kind=OrganisationKind.PLIE, territory="Essais")
        session.add(org)
        session.flush()
        siae = Siae(organisation_id=org.id, name=f"SIAE crash {tag}", kind=SiaeKind.ETTI, siret="73282932000074")
        session.add(siae)
        session.flush()
        user = create_user(session, organisation_id=org.id, email=f"siae-{tag}@crash.invalid",
                           password="mot-de-passe-crash-2026", role=Role.SIAE, siae_id=siae.id)
        return Scope.for_user(user)


def upload(scope: Scope, data: bytes, name: str) -> tuple[int, int]:
    """Receive the file and its job row, commit, then queue the job on Redis (the web route's order)."""
    with db.session_scope() as session:
        imp = svc.receive_timesheet(session, scope, structure_key="", month="2026-03", lot_id=None,
                                    filename=name, data=data)
        job = create_job(session, "analyse_timesheet", organisation_id=scope.organisation_id,
                         user_id=scope.user_id, subject_id=imp.id)
        imp.job_id = job.id
        ids = (imp.id, job.id)
    enqueue(analyse_timesheet_job, ids[1], ids[0])
    return ids


def forget_rq_jobs(queue: Queue, job_ids: set[int]) -> list[str]:
    """Delete every RQ job of ours still in Redis, wherever it sits; return those still pending."""
    registries = [StartedJobRegistry, FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry,
                  DeferredJobRegistry, CanceledJobRegistry]
    candidates = set(queue.get_job_ids())
    for registry in registries:
        candidates |= {entry.split(":")[0] for entry in registry(queue=queue).get_job_ids(cleanup=False)}
    pending = []
    for rq_id in candidates:
        try:
            rq_job = RqJob.fetch(rq_id, connection=queue.connection)
        except Exception:  # noqa: BLE001 - a half-deleted entry
            continue
        if rq_job.func_name.endswith("analyse_timesheet_job") and rq_job.args and rq_job.args[0] in job_ids:
            status = rq_job.get_status()
            if status not in ("finished", "failed", "canceled"):
                pending.append(f"{rq_id} {status} {rq_job.args} {(rq_job.latest_result() or '')!s:.300}")
            rq_job.delete()
    return pending


def test_kill_worker_mid_import_every_import_ends_read_or_failed_never_half_written(
        shared_db, rq_queue, redis_url, tmp_path, capsys):
    started = time.monotonic()
    tag = uuid.uuid4().hex[:8]
    scope = make_structure(tag)
    data = slow_pdf()
    expected = parse_timesheet(data, "releve.pdf", period_hint="2026-03")
    env = {**os.environ, "DATABASE_URL": shared_db, "REDIS_URL": redis_url, "CLAUSIER_INSTANCE_PATH": str(tmp_path),
           "RUST_BACKTRACE": "0"}
    env.pop("APP_ENV", None)
    workers = Workers(env, tmp_path / "workers.log")
    imports: dict[int, int] = {}  # import id → job id
    kills, mid_kills, phases = 0, 0, Counter()
    try:
        round_ = 0
        while round_ < ROUNDS or (mid_kills < MIN_MID_KILLS and round_ < ROUNDS + 10):
            assert time.monotonic() - started < BUDGET_SECONDS, "le test dépasse son budget de temps"
            imp_id, job_id = upload(scope, data + f"\n% tour {round_}\n".encode(), f"releve-{round_}.pdf")
            imports[imp_id] = job_id
            progress_at, delay = KILL_POINTS[round_ % len(KILL_POINTS)]
            stubborn = round_ in STUBBORN_ROUNDS
            while True:
                workers.ensure()
                # The first round also waits for the worker and its sandbox server to start: on a
                # loaded two-core machine that alone has taken over a minute.
                wait_for(lambda: started_past(job_id, progress_at), 150 if round_ == 0 else 60,
                         f"tour {round_} : la tâche démarre", workers.log)
                time.sleep(delay)
                before = job_row(job_id)
                workers.kill()
                after = job_row(job_id)
                kills += 1
                if before.status == after.status == JobStatus.RUNNING:
                    mid_kills += 1
                    phases[f"progression {after.progress}"] += 1
                else:
                    phases["après la fin"] += 1
                requeued, failed = reconcile_jobs(stale_after=timedelta(0))
                if not (stubborn and requeued):
                    break
            # A new worker finishes whatever the reconciler queued again.
            drain(workers, job_id, round_)
            round_ += 1
        workers.kill_all()
        elapsed = time.monotonic() - started
        with db.session_scope() as session:
            problems, summary = check_imports(session, scope, imports, expected)
        with capsys.disabled():
            print(f"\n[crash] {round_} tours, {kills} kill -9 dont {mid_kills} en pleine lecture "
                  f"({dict(phases)}), {workers.started} workers lancés, {elapsed:.0f} s — {summary}")
        assert mid_kills >= MIN_MID_KILLS
        assert not problems, "\n".join(problems)
        assert not redeliver(rq_queue, imports), "une tâche terminée a été exécutée une seconde fois"
        pending = forget_rq_jobs(rq_queue, set(imports.values()))
        assert not pending, "des tâches RQ attendent encore : " + "; ".join(pending) + "\n" + (
            workers.log.read_text(errors="replace")[-4000:])
    finally:
        workers.kill_all()
        forget_rq_jobs(rq_queue, set(imports.values()))
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:  # our organisation, and every row hanging from it
                connection.execute(delete(Organisation).where(Organisation.id == scope.organisation_id))


def snapshot(imports: dict[int, int]) -> dict[int, tuple]:
    with db.session_scope() as session:
        return {job_id: (session.get(Job, job_id).status, session.get(Job, job_id).started_at,
                         session.get(TimesheetImport, imp_id).status, session.get(TimesheetImport, imp_id).updated_at)
                for imp_id, job_id in imports.items()}


def redeliver(queue: Queue, imports: dict[int, int]) -> list[str]:
    """Deliver finished jobs again, as RQ does for jobs it believes abandoned; none may run twice.

    RQ's cleanup of abandoned jobs runs every 10 minutes in workers; it is called here at once
    (with its clock an hour ahead), then every finished job is queued once more besides.
    """
    before = snapshot(imports)
    StartedJobRegistry(queue=queue).cleanup(time.time() + 3600)
    scheduled = ScheduledJobRegistry(queue=queue)
    for rq_id in scheduled.get_job_ids():
        rq_job = RqJob.fetch(rq_id, connection=queue.connection)
        scheduled.remove(rq_job)
        queue.enqueue_job(rq_job)
    for imp_id, job_id in imports.items():
        if before[job_id][0] == JobStatus.DONE:
            enqueue(analyse_timesheet_job, job_id, imp_id)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    after = snapshot(imports)
    return [f"tâche {job_id} : {before[job_id]} → {after[job_id]}" for job_id in before
            if before[job_id] != after[job_id]]


def check_imports(session, scope: Scope, imports: dict[int, int], expected) -> tuple[list[str], str]:
    """Return what is wrong with the imports once the workers are gone, and their outcomes."""
    problems, outcomes = [], Counter()
    org = scope.organisation_id
    rows = session.scalars(select(TimesheetImport).where(TimesheetImport.organisation_id == org)).all()
    if len(rows) != len(imports):
        problems.append(f"{len(rows)} relevés pour {len(imports)} dépôts")
    if session.scalar(select(func.count(StoredFile.id)).where(StoredFile.organisation_id == org)) != len(imports):
        problems.append("nombre de fichiers stockés différent du nombre de dépôts")
    if session.scalar(select(func.count(HourRecord.id)).where(HourRecord.organisation_id == org)):
        problems.append("l'analyse a écrit des heures")
    jobs = session.scalars(select(Job).where(Job.organisation_id == org)).all()
    if len(jobs) != len(imports):
        problems.append(f"{len(jobs)} tâches pour {len(imports)} relevés : une tâche a été dupliquée")
    people = len({(r.last_name, r.first_name) for r in expected.rows})
    for imp in rows:
        job = session.get(Job, imports[imp.id])
        outcomes[f"{imp.status.value}/{job.status.value}/essais {job.attempts}"] += 1
        if job.attempts > MAX_ATTEMPTS:
            problems.append(f"relevé {imp.id} : {job.attempts} essais")
        if imp.status == ImportStatus.PREVIEW:
            preview = imp.preview or {}
            listed = preview.get("people", [])
            count = sum(len(person["rows"]) for person in listed)
            if job.status != JobStatus.DONE:
                problems.append(f"relevé {imp.id} lu mais tâche {job.status.value}")
            if len(listed) != people or len({p["key"] for p in listed}) != people or count != len(expected.rows):
                problems.append(f"relevé {imp.id} : aperçu incomplet ou en double ({len(listed)} personnes, "
                                f"{count} lignes ; attendu {people} et {len(expected.rows)})")
        elif imp.status == ImportStatus.FAILED:
            assert_french(imp.error, f"relevé {imp.id}")
            if "nouveau" not in imp.error or job.status != JobStatus.FAILED:
                problems.append(f"relevé {imp.id} en échec sans dire de le renvoyer : {imp.error}")
            # « Retryable »: the same bytes are accepted again (nothing was counted).
            try:
                svc.receive_timesheet(session, scope, structure_key="", month="2026-03", lot_id=None,
                                      filename="renvoi.pdf", data=session.get(StoredFile, imp.file_id).data)
            except Exception as exc:  # noqa: BLE001 - the failure under test
                problems.append(f"relevé {imp.id} : renvoi refusé ({exc})")
            session.rollback()
        else:
            problems.append(f"relevé {imp.id} resté « {imp.status.label} » (tâche {job.status.value})")
    return problems, ", ".join(f"{k} : {v}" for k, v in sorted(outcomes.items()))
