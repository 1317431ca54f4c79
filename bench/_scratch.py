"""The environment a bench runs the app in: a given database, or a scratch SQLite seeded with the large demo."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def scratch_env(scratch: str, database_url: str | None, *, timeout: float = 900, **extra: str) -> dict[str, str]:
    """Return the child environment: instance in ``scratch``, jobs inline, ``database_url`` or a seeded SQLite."""
    env = {**os.environ, "CLAUSIER_INSTANCE_PATH": scratch, **extra}
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
        return env
    env["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
    started = time.perf_counter()
    seeded = subprocess.run([sys.executable, "-m", "app.cli", "seed-demo", "--scale", "large"], env=env,
                            capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if seeded.returncode != 0:
        raise SystemExit(seeded.stderr[-3000:])
    summary = next((line for line in seeded.stdout.splitlines() if line.startswith("Démo chargée")), "")
    print(f"seed-demo --scale large: {time.perf_counter() - started:.1f} s — {summary}")
    return env
