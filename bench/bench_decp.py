"""Time and peak memory of reading a DECP file: Clausier's reader and checks vs plain json.load + loop.

Run: .venv/bin/python bench/bench_decp.py [--records 100000]
Generates a 2024-format file of N records (with the quirks of real files: numbers as strings,
keys with trailing spaces, co-contractors, duplicated ids), then runs, each in its own process so
the peak RSS is its own: (1) json.load + a loop summing the amounts, (2) parse_decp + the four
checks. Goals: (2) ≤ 5 × the time of (1) and ≤ 1 GB peak memory. Writing to the database is not
measured here: the import writes only the rows that changed, in chunks.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIME_GOAL = 5.0
MEMORY_GOAL_MB = 1024
BUYERS = ["21590350100017", "21620123600017", "11000000700010", "77500000300019"]
HOLDERS = ["44100000700019", "51200000100010", "51300000000010", "40100000500017"]
SOCIAL = [["Clause sociale"], ["Pas de considération sociale"], ["Critère social", "Clause sociale"],
          ["Marché réservé"], []]


def generate(path: Path, count: int) -> None:
    """Write ``count`` records of the 2024 format, dirty the way real files are."""
    rng = random.Random(16)
    records = []
    for index in range(count):
        amount = rng.randint(40_000, 8_000_000)
        record = {
            "id": f"2026-{index % (count - 50) if count > 100 else index:06d}",  # a few duplicated ids
            "acheteur": {"id": rng.choice(BUYERS)}, "nature": "Marché", "objet": f"Marché n° {index}",
            "codeCPV": rng.choice(["45210000-2", "90910000", "79710000", "77310000", "30192000"]),
            "procedure": "Appel d'offres ouvert", "dureeMois": str(rng.randint(1, 48)),
            "dateNotification": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "montant": str(amount) if index % 3 else amount,
            "techniques": {"technique": ["Accord-cadre" if index % 4 == 0 else "Sans objet"]},
            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": h}}
                           for h in rng.sample(HOLDERS, 1 + index % 2)],
            "considerationsSociales": {"considerationSociale": SOCIAL[index % len(SOCIAL)]},
        }
        if index % 7 == 0:
            record["montant "] = record.pop("montant")
        records.append(record)
    path.write_text(json.dumps({"marches": {"marche": records}}, ensure_ascii=False), encoding="utf-8")


def run_baseline(path: Path) -> int:
    """Plain json.load and a loop over the records."""
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    total = 0
    for record in document["marches"]["marche"]:
        total += float(record.get("montant") or record.get("montant ") or 0)
    return len(document["marches"]["marche"])


def run_clausier(path: Path) -> int:
    """Clausier's reader and the four checks, with the default clausable rules."""
    from app.domain.decp import check_contracts, parse_decp
    from app.services.reperage.rules import default_rules

    result = parse_decp(path.read_bytes())
    check_contracts(result.contracts, rules=default_rules())
    return len(result.contracts)


def child(kind: str, path: Path) -> None:
    started = time.perf_counter()
    count = (run_baseline if kind == "baseline" else run_clausier)(path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "count": count}))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "decp.json"
        generate(path, args.records)
        size_mb = path.stat().st_size / 1e6
        baseline = measure("baseline", path)
        ours = measure("clausier", path)
    ratio = ours["seconds"] / baseline["seconds"]
    print(f"{args.records} enregistrements, {size_mb:.0f} Mo")
    print(f"json.load + boucle : {baseline['seconds']:.2f} s, pic {baseline['peak_mb']:.0f} Mo")
    print(f"Clausier (lecture + contrôles) : {ours['seconds']:.2f} s, pic {ours['peak_mb']:.0f} Mo, "
          f"{ours['count']} marchés distincts")
    ok = ratio <= TIME_GOAL and ours["peak_mb"] <= MEMORY_GOAL_MB
    print(f"Rapport de temps : {ratio:.1f} × (objectif ≤ {TIME_GOAL:g} ×) ; mémoire : objectif ≤ {MEMORY_GOAL_MB} Mo "
          f"→ {'atteint' if ok else 'NON atteint'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
