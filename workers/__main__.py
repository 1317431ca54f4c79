"""Start an RQ worker on the queues Clausier uses (``python -m workers``)."""

import logging
import sys
import threading

from redis import Redis
from rq import Worker

from app import pdf, sandbox
from app.config import ConfigError, load_settings
from app.db import db
from app.log_masking import install_log_masking
from app.queue import job_queue
from workers.maintenance import run_maintenance_clock

QUEUES = ("default",)


def main() -> int:
    """Run the worker until it is stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # RQ logs a failed job's traceback on its own logger: redact database details there too.
    install_log_masking(logging.getLogger("rq.worker"), logging.getLogger("workers"))
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not settings.redis_url:
        print("REDIS_URL n'est pas défini : en mode embarqué les tâches s'exécutent sans worker.", file=sys.stderr)
        return 2
    db.configure(settings.database_url)
    job_queue.configure(settings.redis_url)
    connection = Redis.from_url(settings.redis_url)
    # Work-horses are forked per job: started here, the sandbox server is shared by all of them
    # instead of costing each job an interpreter start and the readers' imports.
    sandbox.warm_up()
    # Likewise LibreOffice: started here, it serves every work-horse's PDFs without a cold start.
    pdf.warm_up()
    stop = threading.Event()
    clock = threading.Thread(target=run_maintenance_clock, args=(stop,), name="maintenance", daemon=True)
    clock.start()
    try:
        Worker(list(QUEUES), connection=connection).work(with_scheduler=True)
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
