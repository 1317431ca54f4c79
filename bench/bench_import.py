"""Time and peak memory of migrating a territory from spreadsheets, against a plain read of the same files.

The territory is the migration test's (tests/services/dataimport/territory.py): 2 000 participants,
90 tenders and their lots, their placements and about 350 000 hours, in seven files (CSV
extractions and workbooks). In one run, alternated so that machine load hits each alike:
  - the baseline: the same files read into lists of rows by python-calamine (workbooks) and the
    csv module (CSV);
  - for reference, a floor: the same read, then every cell inserted as text into one bare table
    of the same database, a transaction per file (no check, no matching, no real record);
  - the import: each file read in the sandbox, planned and written all or nothing, in a new
    organisation, as the import job does in the RQ worker (the sandbox's server already started
    and its readers loaded, as in a worker that has read a file before).
Each side runs in a child process; its peak memory is the child's and its sandbox's (ru_maxrss).

Run: .venv/bin/python bench/bench_import.py [--database-url URL] [--runs 3] [--participants N --hours H]
Without --database-url a scratch SQLite database is created and migrated.
Goals (issue #20): the import takes ≤ 10 × the plain read, and ≤ 1 GB of memory at its peak.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATIO_GOAL = 10.0
MEMORY_GOAL_MB = 1024.0

CHILD = r"""
import csv, io, json, resource, sys, time
from pathlib import Path
folder, side, label = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = json.loads((folder / "order.json").read_text())
started = time.perf_counter()
counts = {}
if side in ("baseline", "floor"):
    from python_calamine import CalamineWorkbook
    if side == "floor":
        import os
        from sqlalchemy import create_engine, text
        engine = create_engine(os.environ["DATABASE_URL"])
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS bench_floor"))
            connection.execute(text("CREATE TABLE bench_floor (kind VARCHAR(20), " +
                                    ", ".join(f"c{i} TEXT" for i in range(13)) + ")"))
        insert = text("INSERT INTO bench_floor VALUES (:kind, " + ", ".join(f":c{i}" for i in range(13)) + ")")
    started = time.perf_counter()
    for kind, name in files:
        data = (folder / name).read_bytes()
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = [row for sheet in book.sheet_names for row in book.get_sheet_by_name(sheet).to_python()]
        counts[kind] = len(rows)
        if side == "floor":  # every cell as text into one table, one transaction per file: no check at all
            with engine.begin() as connection:
                connection.execute(insert, [{"kind": kind, **{f"c{i}": (str(row[i]) if i < len(row) else None)
                                                              for i in range(13)}} for row in rows])
else:
    from app import create_app
    from app.access import Scope
    from app.db import db
    from app.domain.dataimport import KINDS
    from app.models import Organisation
    from app.domain.enums import OrganisationKind
    from app.services.dataimport import apply_plan, plan_import, read_import
    from tests.services.dataimport.territory import ANSWERS
    app = create_app()
    with app.app_context():
        session = db.session()
        org = Organisation(name=f"PLIE {label}", kind=OrganisationKind.PLIE, territory="Banc d'essai")
        session.add(org)
        session.commit()
        scope = Scope(organisation_id=org.id)
        # As in the RQ worker: the sandbox's server started, its readers loaded by an earlier file.
        from app import sandbox
        from app.services.dataimport.reading import read_grids
        sandbox.warm_up()
        read_grids(b"Nom;Ville\nA;Lille\n")
        started = time.perf_counter()
        for kind_name, name in files:
            kind = KINDS[kind_name]
            read = read_import(session, scope, kind, (folder / name).read_bytes())
            plan = plan_import(session, scope, kind, read.rows, read.mapping, ANSWERS.get(kind_name, {}))
            if plan.has_errors:
                sys.exit(f"{name}: {[r.to_dict() for r in plan.results if r.action == 'error'][:3]}")
            apply_plan(session, scope, plan, name)
            session.commit()
            counts[kind_name] = plan.count("create")
        session.close()
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "counts": counts,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run_child(folder: Path, side: str, label: str, env: dict[str, str]) -> dict:
    """Run one side in a child process; return its timing, counts and peak memory."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), side, label], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{side} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = max(result["rss_mb"], result["children_rss_mb"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--tenders", type=int, default=90)
    parser.add_argument("--hours", type=int, default=350_000)
    args = parser.parse_args()

    from tests.services.dataimport.territory import generate

    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        folder = Path(scratch)
        territory = generate(args.participants, args.tenders, args.hours)
        for _kind, name, data in territory.files:
            (folder / name).write_bytes(data)
        (folder / "order.json").write_text(json.dumps([[kind, name] for kind, name, _data in territory.files]))
        sizes = ", ".join(f"{name} {len(data) // 1024} kB" for _kind, name, data in territory.files)
        print(f"territory: {args.participants} participants, {len({r for r, _n in territory.lots})} tenders, "
              f"{len(territory.lots)} lots, {territory.hour_rows} hour lines ({territory.minutes_done // 60} h)")
        print(f"files: {sizes}")

        env = {**os.environ, "CLAUSIER_INSTANCE_PATH": scratch}
        env.pop("REDIS_URL", None)
        env["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        migrated = subprocess.run([sys.executable, "-m", "app.cli", "db", "upgrade"], env=env, cwd=ROOT,
                                  capture_output=True, text=True, timeout=600)
        if migrated.returncode != 0:
            raise SystemExit(migrated.stderr[-3000:])

        baselines, floors, imports = [], [], []
        for run in range(args.runs):
            baselines.append(run_child(folder, "baseline", f"base{run}", env))
            floors.append(run_child(folder, "floor", f"floor{run}", env))
            imports.append(run_child(folder, "import", f"run{run}", env))
            print(f"run {run + 1}: plain read {baselines[-1]['seconds']:.2f} s, read and bare insert "
                  f"{floors[-1]['seconds']:.2f} s, import {imports[-1]['seconds']:.2f} s "
                  f"(peak {imports[-1]['peak_mb']:.0f} MB), created {imports[-1]['counts']}")

    base = statistics.median(result["seconds"] for result in baselines)
    took = statistics.median(result["seconds"] for result in imports)
    peak = max(result["peak_mb"] for result in imports)
    floor = statistics.median(result["seconds"] for result in floors)
    ratio = took / base
    print(f"\nplain read (python-calamine + csv): median {base:.2f} s, peak "
          f"{max(r['peak_mb'] for r in baselines):.0f} MB")
    print(f"read and bare insert of every cell as text (no check, no matching): median {floor:.2f} s")
    print(f"import (sandbox read, plan, all-or-nothing write): median {took:.2f} s, peak {peak:.0f} MB")
    print(f"ratio import ÷ plain read: {ratio:.1f}× (goal ≤ {RATIO_GOAL:.0f}×) — "
          f"{'PASS' if ratio <= RATIO_GOAL else 'FAIL'}")
    print(f"ratio import ÷ read and bare insert: {took / floor:.1f}× (for reference: what checking, matching and "
          "writing real records cost above the least any import costs)")
    print(f"peak memory: {peak:.0f} MB (goal ≤ {MEMORY_GOAL_MB:.0f} MB) — "
          f"{'PASS' if peak <= MEMORY_GOAL_MB else 'FAIL'}")


if __name__ == "__main__":
    main()
