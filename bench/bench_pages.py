"""Pages under load, as in production: gunicorn (3 workers, the Procfile's), PostgreSQL, Redis and an
RQ worker, on ``seed-demo --scale large``.

Run: .venv/bin/python bench/bench_pages.py [--duration 20] [--connections 50] [--only dashboards]

What it does, in one run:
- creates a scratch PostgreSQL database (``--database-url``'s server, database ``clausier_bench_pages``),
  migrates it and seeds the large demo, then starts an RQ worker and gunicorn on a free port;
- logs in as the demo facilitator (one login: the login rate limit stays out of the way);
- loads each page with wrk (``--connections`` clients for ``--duration`` seconds; a bounded load,
  never an open-ended one) and reads p50/p95 from wrk's latency histogram: the static stylesheet
  first (the floor: what gunicorn on this machine answers at best), then the home page, every
  dashboard, the lists, a 300-person timesheet preview; non-2xx answers are counted and fail the page;
- asks for the tableau d'impact export a few times: the answer (a job above the size threshold) and
  how long the job takes to finish.

Goals (issue 22): every dashboard p95 ≤ 300 ms and ≤ 3 × the static page's p95; the preview
p95 ≤ 300 ms; the export as a job answers in ≤ 300 ms and finishes in ≤ 5 s. wrk and gunicorn share
the machine's cores, so absolute times are pessimistic; the ratio to the static page holds.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DASHBOARD_GOAL_MS = 300.0
STATIC_RATIO_GOAL = 3.0
PREVIEW_GOAL_MS = 300.0
EXPORT_ANSWER_GOAL_MS = 300.0
EXPORT_FINISH_GOAL_S = 5.0
DATABASE = "clausier_bench_pages"
REDIS_DB = 13
USER_AGENT = "clausier-bench-pages"

# wrk prints its percentiles with this script: p50 and p95 in microseconds, and the error counts.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
                         summary.requests, errors, summary.errors.status))
end
"""


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_url(database_url: str) -> str:
    return database_url.rsplit("/", 1)[0] + "/postgres"


def _recreate_database(database_url: str) -> str:
    import psycopg

    with psycopg.connect(_admin_url(database_url).replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return database_url.rsplit("/", 1)[0] + "/" + DATABASE


def _drop_database(database_url: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(database_url).replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


class Client:
    """A logged-in browser: cookies, the CSRF token of the last form, no redirects followed by wrk."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        # Flask-Login's session protection ties the session to the browser: wrk sends the same one.
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.status, response.geturl(), response.read().decode("utf-8", "replace")

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, str, str]:
        if files:
            boundary = "----clausierbench"
            parts = []
            for name, value in fields.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                             .encode())
            for name, (filename, data) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                             f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                             + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method="POST")
        with self.opener.open(request, timeout=300) as response:
            return response.status, response.geturl(), response.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _status, _url, html = self.get(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html)
        if not found:
            raise SystemExit(f"Pas de jeton CSRF sur {path}.")
        return found.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def _wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn s'est arrêté au démarrage.")
        try:
            with urllib.request.urlopen(base + "/connexion", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn ne répond pas.")


def _ids(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        def one(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]
        # The busiest of each: the page that costs the most.
        return {
            "tender": one("SELECT l.tender_id FROM placement p JOIN lot l ON l.id = p.lot_id "
                          "GROUP BY l.tender_id ORDER BY count(*) DESC LIMIT 1"),
            "lot": one("SELECT lot_id FROM placement GROUP BY lot_id ORDER BY count(*) DESC LIMIT 1"),
            "company": one("SELECT company_id FROM lot WHERE company_id IS NOT NULL "
                           "GROUP BY company_id ORDER BY count(*) DESC LIMIT 1"),
            "siae": one("SELECT siae_id FROM placement WHERE siae_id IS NOT NULL "
                        "GROUP BY siae_id ORDER BY count(*) DESC LIMIT 1"),
            "buyer": one("SELECT buyer_id FROM tender GROUP BY buyer_id ORDER BY count(*) DESC LIMIT 1"),
        }


def _wrk(base: str, path: str, cookie: str, connections: int, duration: int, script: Path) -> dict:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
               "-s", str(script), "-H", f"Cookie: {cookie}", "-H", f"User-Agent: {USER_AGENT}", base + path]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    p50, p95, requests, errors, status_errors = (int(value) for value in found.groups())
    # No answer within the run is a failure, not a p95 of zero (wrk's histogram is then empty).
    return {"p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "requests": requests, "rps": requests / duration,
            "errors": errors + (0 if requests else 1), "non_2xx": status_errors}


def _sequential(client: Client, path: str, runs: int = 15) -> dict:
    """Time one request at a time (for pages wrk cannot drive: uploads, one-off jobs)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(times), "best_ms": min(times)}


def _sheet_people(database_url: str, siae_id: int) -> list[tuple[str, str]]:
    """Return 300 names as an SIAE's March sheet lists them: 290 of its employees that month, 10 new hires."""
    import psycopg

    from bench_timesheets import people

    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        rows = conn.execute(
            "SELECT DISTINCT p.last_name, p.first_name FROM placement pl JOIN participant p ON p.id = pl.participant_id "
            "WHERE pl.siae_id = %s AND pl.starts_on <= DATE '2026-03-31' "
            "AND (pl.ends_on IS NULL OR pl.ends_on >= DATE '2026-03-01') ORDER BY 1, 2 LIMIT 290", (siae_id,)).fetchall()
    known = [(last.upper(), first) for last, first in rows]
    return known + people()[:300 - len(known)]


def _month_not_yet_sent(database_url: str, siae_id: int) -> None:
    """Make March 2026 a month the SIAE has not declared yet (the demo seeds every month): the usual case."""
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("DELETE FROM hour_record WHERE month_on = DATE '2026-03-01' AND placement_id IN "
                     "(SELECT id FROM placement WHERE siae_id = %s)", (siae_id,))
        conn.execute("DELETE FROM timesheet_import WHERE month_on = DATE '2026-03-01' AND siae_id = %s", (siae_id,))
        # Not through the ORM: the figures' cache must hear of it (app/models/changes.py).
        conn.execute("INSERT INTO data_change (organisation_id, changed_at) VALUES (0, now())")


def _upload_preview(client: Client, database_url: str, siae_id: int) -> str | None:
    """Send a 300-person monthly sheet as the SIAE's and return its preview page, once analysed."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_timesheets import make_xlsx

    _month_not_yet_sent(database_url, siae_id)
    token = client.csrf("/releves/deposer")
    _status, url, _html = client.post("/releves/deposer", {"csrf_token": token, "structure": f"siae:{siae_id}",
                                                          "month": "2026-03"},
                                      files={"file": ("releve-mars-2026.xlsx",
                                                      make_xlsx(_sheet_people(database_url, siae_id)))})
    match = re.search(r"/releves/(\d+)", url)
    if not match:
        return None
    path = f"/releves/{match.group(1)}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _status, _url, html = client.get(path)
        if "Confirmer" in html or "confirmer" in html:
            return path
        time.sleep(0.5)
    return path


def _export(client: Client, runs: int = 5) -> dict:
    """Ask for the tableau d'impact export: time the answer, then the job until its file is ready."""
    answers, finishes, kinds = [], [], set()
    for _ in range(runs):
        started = time.perf_counter()
        request = urllib.request.Request(client.base + "/exports/tableau-impact.xlsx")
        with client.opener.open(request, timeout=300) as response:
            body = response.read()
            url = response.geturl()
            content_type = response.headers.get("Content-Type", "")
        answers.append((time.perf_counter() - started) * 1000)
        if "spreadsheetml" in content_type:
            kinds.add("direct")
            finishes.append(answers[-1] / 1000)
            continue
        kinds.add("job")
        job = re.search(r"/taches/(\d+)|/jobs/(\d+)", url)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with client.opener.open(client.base + urllib.parse.urlparse(url).path, timeout=60) as response:
                html = response.read().decode("utf-8", "replace")
            if "Télécharger" in html or "terminé" in html.lower():
                break
            if "échoué" in html.lower():
                raise SystemExit("L'export du tableau d'impact a échoué : " + html[:300])
            time.sleep(0.05)
        finishes.append(time.perf_counter() - started)
        del job, body
    return {"answer_p50_ms": statistics.median(answers), "answer_best_ms": min(answers),
            "finish_p50_s": statistics.median(finishes), "finish_best_s": min(finishes), "kind": "/".join(sorted(kinds))}


def main() -> int:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="a PostgreSQL server (its scratch database is created beside this one)")
    parser.add_argument("--redis-url", default=f"redis://127.0.0.1:6379/{REDIS_DB}")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--only", default="", help="only the pages whose name contains one of these texts "
                                                   "(comma-separated: « tableau de bord,aperçu »)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database for the next run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--app-root", type=Path, default=ROOT,
                        help="serve the app from this checkout (e.g. a worktree of an older commit, to compare)")
    parser.add_argument("--database-name", default=DATABASE)
    args = parser.parse_args()
    DATABASE = args.database_name
    app_root = args.app_root.resolve()
    if shutil.which("wrk") is None:
        print("wrk est introuvable : installez le paquet Debian « wrk » (apt-get install wrk).", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="clausier-bench-pages-"))
    env = {**os.environ, "SECRET_KEY": "bench-pages", "CLAUSIER_INSTANCE_PATH": str(work),
           "CLAUSIER_REQUIRE_TOTP": "0", "REDIS_URL": args.redis_url, "PYTHONPATH": str(app_root)}
    env.pop("APP_ENV", None)
    database_url = args.database_url.rsplit("/", 1)[0] + "/" + DATABASE
    import psycopg

    with psycopg.connect(_admin_url(args.database_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
    env["DATABASE_URL"] = database_url
    if not (args.keep and exists):
        _recreate_database(args.database_url)
    started = time.perf_counter()
    subprocess.run([_python(), "-m", "app.cli", "db", "upgrade"], env=env, check=True, cwd=app_root,
                   capture_output=True)
    if not (args.keep and exists):
        subprocess.run([_python(), "-m", "app.cli", "seed-demo", "--scale", "large"], env=env, check=True,
                       cwd=app_root, capture_output=True)
        print(f"seed-demo --scale large : {time.perf_counter() - started:.1f} s")
    env["DATABASE_URL"] = database_url
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    worker = subprocess.Popen([_python(), "-m", "workers"], env=env, cwd=app_root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    server = subprocess.Popen([_python(), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                               str(args.workers), "app:create_app()"], env=env, cwd=app_root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    script = work / "percentiles.lua"
    script.write_text(WRK_SCRIPT)
    results: dict[str, dict] = {}
    try:
        _wait_until_up(base, server)
        client = Client(base)
        token = client.csrf("/connexion")
        client.post("/connexion", {"csrf_token": token, "email": "facilitateur@demo.clausier.fr",
                                   "password": "demo-clausier-2026"})
        ids = _ids(database_url)
        pages = {
            "static": "/static/clausier.css",
            "accueil": "/",
            "tableau de bord territoire": "/tableaux-de-bord/",
            "tableau de bord marché": f"/tableaux-de-bord/marches/{ids['tender']}",
            "tableau de bord lot": f"/tableaux-de-bord/lots/{ids['lot']}",
            "tableau de bord entreprise": f"/tableaux-de-bord/entreprises/{ids['company']}",
            "tableau de bord SIAE": f"/tableaux-de-bord/siae/{ids['siae']}",
            "tableau de bord acheteur": f"/tableaux-de-bord/acheteurs/{ids['buyer']}",
            "liste marchés": "/marches/",
            "liste relevés": "/releves/",
            "liste participants": "/participants/",
        }
        only = [part.strip() for part in args.only.split(",") if part.strip()]

        def wanted(name: str) -> bool:
            return not only or name == "static" or any(part in name for part in only)

        if wanted("aperçu"):
            try:
                preview = _upload_preview(client, database_url, ids["siae"])
            except urllib.error.HTTPError as exc:
                print(f"aperçu relevé : le dépôt a échoué ({exc.code})", flush=True)
                preview = None
            if preview:
                pages["aperçu relevé 300 personnes"] = preview
        cookie = client.cookie_header()
        for name, path in pages.items():
            if not wanted(name):
                continue
            status, _url, html = client.get(path)  # warm: the first request fills caches
            sized = len(html.encode())
            results[name] = _wrk(base, path, cookie, args.connections, args.duration, script)
            results[name]["bytes"] = sized
            print(f"{name:32} p50 {results[name]['p50_ms']:8.1f} ms  p95 {results[name]['p95_ms']:8.1f} ms  "
                  f"{results[name]['rps']:7.1f} req/s  {sized / 1024:8.1f} Ko"
                  + (f"  ERREURS {results[name]['errors']}" if results[name]["errors"] else ""), flush=True)
        if wanted("export"):
            results["export tableau d'impact"] = _export(client)
            print("export tableau d'impact         ", json.dumps(results["export tableau d'impact"]), flush=True)
    finally:
        for process in (server, worker):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        redis.Redis.from_url(args.redis_url).flushdb()
        if not args.keep:
            _drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)

    floor = results["static"]["p95_ms"]
    ok = True
    print(f"\nPlancher (page statique) : p95 {floor:.1f} ms")
    for name, result in results.items():
        if name.startswith("tableau de bord"):
            good = (result["p95_ms"] <= DASHBOARD_GOAL_MS and result["p95_ms"] <= STATIC_RATIO_GOAL * floor
                    and not result["errors"])
            ok &= good
            print(f"{'PASS' if good else 'FAIL'} {name}: p95 {result['p95_ms']:.0f} ms "
                  f"(≤ {DASHBOARD_GOAL_MS:.0f} ms et ≤ {STATIC_RATIO_GOAL:g} × {floor:.0f} ms)")
        elif name.startswith("aperçu"):
            good = result["p95_ms"] <= PREVIEW_GOAL_MS and not result["errors"]
            ok &= good
            print(f"{'PASS' if good else 'FAIL'} {name}: p95 {result['p95_ms']:.0f} ms (≤ {PREVIEW_GOAL_MS:.0f} ms), "
                  f"{result['bytes'] / 1024:.0f} Ko")
        elif name.startswith("export"):
            good = (result["answer_p50_ms"] <= EXPORT_ANSWER_GOAL_MS and result["finish_p50_s"] <= EXPORT_FINISH_GOAL_S)
            ok &= good
            print(f"{'PASS' if good else 'FAIL'} {name} ({result['kind']}): réponse {result['answer_p50_ms']:.0f} ms "
                  f"(≤ {EXPORT_ANSWER_GOAL_MS:.0f}), fichier prêt en {result['finish_p50_s']:.2f} s "
                  f"(≤ {EXPORT_FINISH_GOAL_S:g})")
        elif result.get("errors"):
            ok = False
            print(f"FAIL {name}: {result['errors']} erreurs")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
