"""Time the tableau d'impact export on ``seed-demo --scale large`` (2 000 participant × tender rows).

In one run, alternated so that machine load hits each alike:
  - the workbook writer (XlsxWriter, constant memory) on rows already read, against baselines
    writing the same values: XlsxWriter alone (no format, width, filter or text cleaning: what the
    library costs), the csv module (the least any export of these cells costs) and the former
    writer, openpyxl cell by cell (kept here with xlsx.py's helpers for comparison);
  - the export as the user meets it: the request that only counts rows and enqueues the job
    (RQ on fakeredis, so that nothing runs inline), then the job itself, from its arguments.

Run: .venv/bin/python bench/bench_exports.py [--database-url URL] [--runs 7]
Without --database-url a scratch SQLite database is seeded first (about ten seconds).
Goals (issue #22): the request answers in ≤ 300 ms and the job finishes in ≤ 5 s (medians);
the export's writer takes ≤ 1.5 × plain XlsxWriter on the same values (its formats, widths,
filter, totals, indicators sheet and text cleaning cost at most half the library's time).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _scratch import scratch_env  # noqa: E402

REQUEST_GOAL_MS = 300.0
JOB_GOAL_S = 5.0
WRITER_GOAL = 1.5


def csv_baseline(rows, columns) -> int:
    """Write the same cells with the csv module (formula-safe, as Clausier's CSV exports)."""
    from app.domain.documents.xlsx import csv_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([csv_safe(c.value(row)) for c in columns])
    return buffer.tell()


def plain_xlsxwriter_baseline(rows, columns) -> int:
    """Write the same values with XlsxWriter alone: no format, width, filter or text cleaning."""
    from datetime import date as date_type

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    ws = workbook.add_worksheet()
    for index, row in enumerate(rows):
        for column, c in enumerate(columns):
            value = c.value(row)
            if isinstance(value, str):
                ws.write_string(index, column, value)
            elif isinstance(value, bool):
                ws.write_string(index, column, "Oui" if value else "Non")
            elif isinstance(value, date_type):
                ws.write_datetime(index, column, value)
            elif value is not None:
                ws.write_number(index, column, value)
    workbook.close()
    return buffer.tell()


def openpyxl_baseline(rows, columns) -> int:
    """Write the same cells the way the export did before issue #22: openpyxl, cell by cell."""
    from app.domain.documents.xlsx import autosize_columns, new_workbook, workbook_bytes, write_header, write_rows

    wb, ws = new_workbook("Tableau d'impact")
    write_header(ws, 4, [c.header for c in columns])
    write_rows(ws, ([c.value(r) for c in columns] for r in rows), 5, [c.number_format for c in columns])
    autosize_columns(ws, from_row=4)
    return len(workbook_bytes(wb))


def time_writers(session, organisation_id: int, runs: int) -> dict:
    """Read the rows once, then time the writer and both baselines on them, alternated."""
    from app.domain.reports import build_impact_xlsx
    from app.domain.reports.impact import impact_columns
    from app.services.reports.exports import ReportFilter, impact_rows
    from app.services.reports.figures import scope_figures

    flt = ReportFilter(organisation_id)
    started = time.perf_counter()
    rows = impact_rows(session, flt)
    figures = scope_figures(session, flt, rows)
    read_s = time.perf_counter() - started
    columns = impact_columns(False)
    steps = {
        "xlsxwriter": lambda: len(build_impact_xlsx(rows, figures, title="Tableau d'impact", generated_on=date.today())),
        "plain": lambda: plain_xlsxwriter_baseline(rows, columns),
        "csv": lambda: csv_baseline(rows, columns),
        "openpyxl": lambda: openpyxl_baseline(rows, columns),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for name, step in steps.items():
            gc.collect()
            started = time.perf_counter()
            sizes[name] = step()
            times[name].append(time.perf_counter() - started)
    return {"rows": len(rows), "cells": len(rows) * len(columns), "read_s": read_s, "times": times, "sizes": sizes}


def time_job(app, runs: int) -> tuple[list[float], list[float]]:
    """Ask for the export through the page (job enqueued on fakeredis), then run the job; return both times."""
    import fakeredis

    from app.db import db
    from app.domain.enums import JobStatus, Role
    from app.models import Job
    from app.queue import job_queue
    from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
    from tests.conftest import Browser
    from workers.jobs import export_impact_job

    browser = Browser(app.test_client())
    if browser.login(DEMO_ACCOUNTS[Role.GESTIONNAIRE], DEMO_PASSWORD).status_code != 302:
        raise SystemExit("connexion du compte de démonstration impossible")
    connection = fakeredis.FakeRedis()
    job_queue.configure(None, connection=connection)
    request_ms, job_s = [], []
    try:
        for run in range(runs + 1):
            gc.collect()
            started = time.perf_counter()
            response = browser.get("/exports/tableau-impact.xlsx")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302 or "/taches/" not in response.headers["Location"]:
                raise SystemExit(f"pas de tâche : {response.status_code} {response.headers.get('Location')}")
            [queued] = job_queue.rq_queue().jobs
            connection.flushdb()
            gc.collect()
            started = time.perf_counter()
            export_impact_job(*queued.args)  # what the worker runs, in this process
            took = time.perf_counter() - started
            with db.session_scope() as session:
                if session.get(Job, queued.args[0]).status != JobStatus.DONE:
                    raise SystemExit("la tâche d'export n'a pas abouti")
            if run:  # the first round warms caches up
                request_ms.append(elapsed)
                job_s.append(took)
    finally:
        job_queue.configure(None)
    return request_ms, job_s


def child(runs: int) -> int:
    from sqlalchemy import select

    from app import create_app
    from app.db import db
    from app.models import Organisation
    from app.services.demo.seed import DEMO_ORGANISATION

    app = create_app({"REQUIRE_TOTP": False, "LOGIN_RATE_LIMIT": "100000 per minute"})
    # No app context pushed here: each request then has its own, and its session closes with it.
    with db.session_scope() as session:
        organisation_id = session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION))
        writers = time_writers(session, organisation_id, runs)
    request_ms, job_s = time_job(app, runs)
    times = writers["times"]
    median = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    print(f"{os.cpu_count()} CPU(s); {writers['rows']} rows × columns = {writers['cells']} cells; "
          f"rows and figures read in {writers['read_s'] * 1000:.0f} ms; {runs} alternated runs")
    for name, label in (("xlsxwriter", "export writer          "), ("plain", "plain XlsxWriter       "),
                        ("openpyxl", "openpyxl (former)      "), ("csv", "csv module             ")):
        print(f"{label} : median {median[name] * 1000:7.1f} ms, best {best[name] * 1000:7.1f} ms, "
              f"{writers['sizes'][name] / 1024:7.0f} KB")
    ratio = median["xlsxwriter"] / median["plain"]
    verdicts = [ratio <= WRITER_GOAL]
    print(f"writer / plain XlsxWriter : {ratio:.2f}x (best runs {best['xlsxwriter'] / best['plain']:.2f}x) "
          f"goal <= {WRITER_GOAL}x {'PASS' if verdicts[-1] else 'FAIL'}; "
          f"openpyxl / writer {median['openpyxl'] / median['xlsxwriter']:.2f}x, "
          f"writer / csv {median['xlsxwriter'] / median['csv']:.2f}x")
    request, job = statistics.median(request_ms), statistics.median(job_s)
    verdicts.append(request <= REQUEST_GOAL_MS)
    print(f"request (enqueue)  : median {request:7.1f} ms, best {min(request_ms):7.1f} ms "
          f"goal <= {REQUEST_GOAL_MS:.0f} ms {'PASS' if verdicts[-1] else 'FAIL'}")
    verdicts.append(job <= JOB_GOAL_S)
    print(f"job (read + write + store + audit): median {job:5.2f} s, best {min(job_s):5.2f} s "
          f"goal <= {JOB_GOAL_S:.0f} s {'PASS' if verdicts[-1] else 'FAIL'}")
    print("PASS" if all(verdicts) else "FAIL")
    return 0 if all(verdicts) else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.runs)
    with tempfile.TemporaryDirectory(prefix="clausier-bench-") as scratch:
        env = scratch_env(scratch, args.database_url, PYTHONPATH=str(ROOT))
        # The measure runs in a child so that it reads the environment (database, instance) set here.
        return subprocess.run([sys.executable, __file__, "--child", "--runs", str(args.runs)], env=env,
                              cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
