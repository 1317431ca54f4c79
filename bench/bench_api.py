"""Time GET /api/v1/indicators against the dashboard page of the same scope, on ``seed-demo --scale large``.

Both are served in-process by the same app (Flask test client), interleaved request by request
so that both see the same machine load: the territory, then one buyer. The API reads its figures
through services/api/figures.scope_figures, the page through the dashboard service; the page also
draws its charts and renders HTML, the API writes an audit event per call.

Run: .venv/bin/python bench/bench_api.py [--database-url URL] [--runs 40]
Without --database-url a scratch SQLite database is seeded first (about ten seconds).
Goal: p95 of the API ≤ 1× p95 of the page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _scratch import scratch_env  # noqa: E402

GOAL = 1.0


def p95(samples: list[float]) -> float:
    """Return the 95th percentile (inclusive method) of ``samples``."""
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure(runs: int) -> list[tuple[str, list[float], list[float]]]:
    """Return, per scope, the page's and the API's response times in milliseconds."""
    from sqlalchemy import select

    from app import create_app
    from app.db import db
    from app.domain.enums import Role
    from app.models import Buyer, Organisation
    from app.services.demo.seed import DEMO_ACCOUNTS, DEMO_API_TOKENS, DEMO_ORGANISATION, DEMO_PASSWORD
    from tests.conftest import Browser

    app = create_app({"REQUIRE_TOTP": False, "API_RATE_LIMIT": "100000 per minute",
                      "LOGIN_RATE_LIMIT": "100000 per minute"})
    with db.session_scope() as session:
        organisation_id = session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION))
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.organisation_id == organisation_id).order_by(Buyer.id))
    browser = Browser(app.test_client())
    if browser.login(DEMO_ACCOUNTS[Role.ADMIN], DEMO_PASSWORD).status_code != 302:
        raise SystemExit("connexion du compte administrateur de démonstration impossible")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {DEMO_API_TOKENS['organisation']}"}
    results = []
    for label, page_url, api_url in (
            ("territoire", "/tableaux-de-bord/", "/api/v1/indicators"),
            (f"acheteur n° {buyer_id}", f"/tableaux-de-bord/acheteurs/{buyer_id}",
             f"/api/v1/indicators?buyer_id={buyer_id}")):
        page_ms, api_ms = [], []
        for run in range(runs + 2):
            for url, client, sent, samples in ((page_url, browser.client, {}, page_ms),
                                               (api_url, api, headers, api_ms)):
                started = time.perf_counter()
                response = client.get(url, headers=sent)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url} → {response.status_code}")
                if run >= 2:  # two warm-up rounds
                    samples.append(elapsed)
        results.append((label, page_ms, api_ms))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        worst = 0.0
        for label, page_ms, api_ms in measure(args.runs):
            ratio = p95(api_ms) / p95(page_ms)
            worst = max(worst, ratio)
            print(f"{label:<16} page p95 {p95(page_ms):8.1f} ms (médiane {statistics.median(page_ms):7.1f}) · "
                  f"API p95 {p95(api_ms):8.1f} ms (médiane {statistics.median(api_ms):7.1f}) · "
                  f"ratio {ratio:.2f}x goal <= {GOAL:.0f}x {'OK' if ratio <= GOAL else 'ABOVE GOAL'}")
        return 0 if worst <= GOAL else 1
    with tempfile.TemporaryDirectory(prefix="clausier-bench-") as scratch:
        env = scratch_env(scratch, args.database_url, PYTHONPATH=str(ROOT))
        print(f"{os.cpu_count()} CPU(s); {args.runs} requests of each, interleaved, after 2 warm-up rounds")
        # The measure runs in a child so that it reads the environment (database, instance) set here.
        return subprocess.run([sys.executable, __file__, "--child", "--runs", str(args.runs)], env=env,
                              cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
