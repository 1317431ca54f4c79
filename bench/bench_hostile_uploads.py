"""Read the whole hostile-upload corpus and print outcomes and timings (run: python bench/bench_hostile_uploads.py).

Not a timed test: tests/security/test_hostile_uploads.py asserts the behaviour; this prints
how long each family takes, the slowest files and the peak memory of one process reading
them all, to watch the parsers' cost on hostile input over time. ``--family pdfs`` limits
the run to one family.
"""

import argparse
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.timesheets import TimesheetError, parse_timesheet  # noqa: E402
from tests.security.hostile_corpus import FAMILIES  # noqa: E402


def main() -> None:
    """Parse every corpus file once; print counts by outcome, timings by family, the slowest ten."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=[family.__name__ for family in FAMILIES])
    args = parser.parse_args()
    outcomes, by_family, slowest = Counter(), defaultdict(lambda: [0, 0.0, 0]), []
    build_time = 0.0
    started = time.perf_counter()
    families = [family for family in FAMILIES if args.family in (None, family.__name__)]
    for item in (item for family in families for item in family()):
        begin = time.perf_counter()
        data = item.data()
        build_time += time.perf_counter() - begin
        begin = time.perf_counter()
        try:
            parse_timesheet(data, item.name)
            outcome = "lu"
        except TimesheetError as exc:
            outcome = exc.code
        except Exception as exc:  # noqa: BLE001 - the bench reports what the tests would fail on
            outcome = f"TRACEBACK {type(exc).__name__}"
        elapsed = time.perf_counter() - begin
        outcomes[outcome] += 1
        family = by_family[item.family]
        family[0] += 1
        family[1] += elapsed
        family[2] += len(data)
        slowest.append((elapsed, item.name, outcome))
    total = time.perf_counter() - started
    print(f"{sum(outcomes.values())} fichiers lus en {total:.1f} s (dont {build_time:.1f} s pour les fabriquer), "
          f"mémoire maximale {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} Mo")
    print("Résultats : " + ", ".join(f"{code} {count}" for code, count in outcomes.most_common()))
    for name, (count, seconds, size) in by_family.items():
        print(f"  {name:10s} {count:4d} fichiers {size / 1e6:8.1f} Mo {seconds:7.2f} s "
              f"({seconds / count * 1000:6.1f} ms par fichier)")
    print("Les plus lents :")
    for elapsed, name, outcome in sorted(slowest, reverse=True)[:10]:
        print(f"  {elapsed:6.2f} s  {name}  → {outcome}")


if __name__ == "__main__":
    main()
