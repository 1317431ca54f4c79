"""Redis down: logins still work, uploads say what happens next, the maintenance clock keeps ticking.

Each test runs its own redis-server on a spare port and stops it: the shared one is never touched.
"""

import io
import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, timedelta

import pytest
from redis import Redis
from sqlalchemy import func, select

from app.domain.enums import JobStatus, Role
from app.models import Job
from app.models.timesheets import ImportStatus, TimesheetImport
from app.queue import job_queue
from tests.conftest import page_text
from workers import maintenance

pytestmark = [pytest.mark.redis, pytest.mark.slow]

CSV = "Mois;février 2024\n\nNom;Prénom;Heures travaillées;Dont formation\nDurand ORG-A;Camille;12;0\n"


class RedisServer:
    """A throw-away redis-server on ``port``, without persistence."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
                        "--daemonize", "yes"], check=True, capture_output=True)
        for _ in range(50):
            if self.is_up():
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        for _ in range(50):
            if not self.is_up():
                return
            time.sleep(0.1)

    def is_up(self) -> bool:
        try:
            return Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except Exception:
            return False


@pytest.fixture
def redis_server():
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0:
        pytest.skip("redis-server is not installed")
    server = RedisServer(6390)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def queue_on(redis_server):
    """Point the app's job queue at the dedicated server; back to inline jobs afterwards."""
    job_queue.configure(redis_server.url)
    yield redis_server
    job_queue.configure(None)


LOGIN_SCRIPT = textwrap.dedent("""
    import logging, subprocess, sys
    from app import create_app
    from app.db import db
    from app.domain.enums import OrganisationKind, Role
    from app.models import Organisation
    from app.services.accounts import create_user
    from app.services.migrations import upgrade_database

    logging.basicConfig(level=logging.WARNING, format="LOG %(levelname)s %(name)s %(message)s")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "REQUIRE_TOTP": False})
    upgrade_database(db.engine)
    with db.session_scope() as session:
        org = Organisation(name="PLIE test", kind=OrganisationKind.PLIE)
        session.add(org)
        session.flush()
        create_user(session, organisation_id=org.id, email="f@test.fr", password="mot-de-passe-long-2026",
                    role=Role.FACILITATEUR)
    form = {"email": "f@test.fr", "password": "mot-de-passe-long-2026"}
    print("STATUS", app.test_client().post("/connexion", data=form).status_code, flush=True)
    subprocess.run(["redis-cli", "-p", sys.argv[1], "shutdown", "nosave"], capture_output=True)
    for _ in range(3):
        print("STATUS", app.test_client().post("/connexion", data=form).status_code, flush=True)
""")


def test_login_with_redis_gone_falls_back_to_memory_counters(redis_server, tmp_path):
    # A process of its own: the app factory configures module-level engines and the limiter.
    env = {**os.environ, "REDIS_URL": redis_server.url, "DATABASE_URL": f"sqlite:///{tmp_path / 'login.sqlite3'}",
           "CLAUSIER_INSTANCE_PATH": str(tmp_path), "APP_ENV": "development"}
    result = subprocess.run([sys.executable, "-c", LOGIN_SCRIPT, str(redis_server.port)], env=env,
                            capture_output=True, text=True, timeout=120, cwd=os.getcwd())
    statuses = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("STATUS")]
    assert statuses == ["302", "302", "302", "302"], result.stdout + result.stderr
    assert "falling back to in-memory storage" in result.stderr


def test_login_limit_still_counts_in_memory_when_redis_is_gone(redis_server, tmp_path):
    env = {**os.environ, "REDIS_URL": redis_server.url, "DATABASE_URL": f"sqlite:///{tmp_path / 'limit.sqlite3'}",
           "CLAUSIER_INSTANCE_PATH": str(tmp_path), "APP_ENV": "development"}
    script = LOGIN_SCRIPT.replace('"REQUIRE_TOTP": False}', '"REQUIRE_TOTP": False, "LOGIN_RATE_LIMIT": "2 per minute"}')
    result = subprocess.run([sys.executable, "-c", script, str(redis_server.port)], env=env,
                            capture_output=True, text=True, timeout=120, cwd=os.getcwd())
    statuses = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("STATUS")]
    # One attempt counted in Redis, then two counted in memory: the third one there is refused.
    assert statuses == ["302", "302", "302", "429"], result.stdout + result.stderr


def upload(browser, world):
    return browser.post("/releves/deposer", {
        "structure": f"siae:{world.a.ids['siaes']['own']}", "month": "", "lot_id": "",
        "file": (io.BytesIO(CSV.encode()), "fevrier.csv")}, content_type="multipart/form-data")


def test_upload_with_queue_down_is_received_and_a_retry_is_not_duplicated(login, world, session, queue_on):
    queue_on.stop()
    browser = login(Role.FACILITATEUR)
    response = upload(browser, world)
    assert response.status_code == 302 and "/releves/" in response.headers["Location"]
    page = page_text(browser.get(response.headers["Location"]))
    assert "Votre fichier a bien été reçu" in page and "inutile de recommencer" in page
    assert "Erreur inattendue" not in page
    imp = session.scalars(select(TimesheetImport).order_by(TimesheetImport.id.desc()).limit(1)).first()
    assert imp.status == ImportStatus.RECEIVED
    assert session.get(Job, imp.job_id).status == JobStatus.QUEUED
    count = session.scalar(select(func.count(TimesheetImport.id)))

    retry = upload(browser, world)
    assert retry.headers["Location"].endswith(f"/releves/{imp.id}")
    assert f"Ce fichier a déjà été reçu (relevé n° {imp.id})" in page_text(browser.get(retry.headers["Location"]))
    assert session.scalar(select(func.count(TimesheetImport.id))) == count

    # Redis still down: the reconciler leaves the job queued instead of failing.
    assert maintenance.reconcile_jobs(stale_after=timedelta(0)) == (1, 0)
    session.expire_all()
    assert session.get(Job, imp.job_id).status == JobStatus.QUEUED
    # The service is back (inline here): the next reconcile reads the file.
    job_queue.configure(None)
    maintenance.reconcile_jobs(stale_after=timedelta(0))
    session.expire_all()
    assert session.get(TimesheetImport, imp.id).status == ImportStatus.PREVIEW


def test_maintenance_clock_survives_failed_ticks(queue_on, caplog):
    queue_on.stop()
    stop = threading.Event()
    clock = threading.Thread(target=maintenance.run_maintenance_clock, args=(stop, timedelta(seconds=0.2)))
    clock.start()
    try:
        time.sleep(1)
        assert clock.is_alive(), "the clock died at its first failed tick"
        queue_on.start()
        connection = Redis.from_url(queue_on.url)
        for _ in range(100):
            if connection.llen("rq:queue:default") >= 2:
                break
            time.sleep(0.1)
        queued = [job_id.decode() for job_id in connection.lrange("rq:queue:default", 0, -1)]
        functions = {connection.hget(f"rq:job:{job_id}", "description").decode() for job_id in queued}
    finally:
        stop.set()
        clock.join(5)
    assert any("reconcile_job" in name for name in functions)
    assert any("purge_job" in name for name in functions), "the purge, missed while Redis was down, runs"
    assert "maintenance tick failed" in caplog.text


def test_dossier_request_with_queue_down_is_recorded_and_said_so(login, world, session, queue_on):
    from app.models import Dossier, FseOperation

    operation = FseOperation(organisation_id=world.a.organisation_id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), title="Clauses 2026 PANNE")
    session.add(operation)
    session.commit()
    queue_on.stop()
    browser = login(Role.GESTIONNAIRE)
    response = browser.post(f"/fse/operations/{operation.id}/dossiers", {})
    assert response.status_code == 302
    page = page_text(browser.get(response.headers["Location"]))
    assert "Votre demande de dossier est enregistrée" in page and "Erreur inattendue" not in page
    dossier = session.scalars(select(Dossier).where(Dossier.fse_operation_id == operation.id)).one()
    assert session.get(Job, dossier.job_id).status == JobStatus.QUEUED
