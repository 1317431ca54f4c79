"""Read the hostile-upload corpus through the sandboxed entry points; print time and memory per family.

Run: ``python bench/bench_hostile_uploads.py [--family pdfs]``. Not a timed test:
tests/security/ asserts the behaviour; this measures what it costs. Each file goes through
the function the web request (embedded mode) or the worker's job calls, without the database:
``read_timesheet`` for timesheets, ``scan_page_count`` for the PDF families read again as
signed scans, and the upload check and ``render_template`` for hostile DOCX templates. For
each family it reports the worst wall time of one call, the peak resident memory of this
process (the web or worker process: its size once started, plus the upload's bytes, plus the
most one call added), of the sandbox server and of the children, and how many children were
stopped by a limit. The ``floor`` family bypasses the cheap guards (calamine on the .ods bombs,
stored templates rendered without the upload check) to show the limits themselves at work;
its times are reported apart from the 5 s goal. Goals (issue #12): no process but the child
above 300 MB, no call over 5 s, every child stopped within its limits.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import sandbox  # noqa: E402
from app.domain.documents.kinds import check_kind_template, sample_context  # noqa: E402
from app.domain.documents.rendering import DocumentError  # noqa: E402
from app.domain.timesheets import TimesheetError  # noqa: E402
from app.sandbox import SandboxRefusal, run_sandboxed  # noqa: E402
from app.services import doc_templates  # noqa: E402
from app.domain.timesheets import DEFAULT_LIMITS  # noqa: E402
from app.domain.timesheets.excel import read_workbook  # noqa: E402
from app.domain.timesheets.limits import Deadline  # noqa: E402
from app.services.sheet_reading import read_timesheet, sandbox_limits_for  # noqa: E402
from tests.security.hostile_corpus import FAMILIES, HostileFile, deep_page_tree, ods_repeat_bomb, pdfs  # noqa: E402
from tests.security.test_template_ssti import (  # noqa: E402
    KIND,
    LOOP_PAYLOAD,
    RESOURCE_PAYLOADS,
    template_for,
    uploaded,
)
from tests.services.liaison.fiche_helpers import docx_with  # noqa: E402

MB = 1024 * 1024
GOAL_MEMORY = 300 * MB
GOAL_SECONDS = 5.0
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _const(data: bytes):
    return lambda: data


def peak_rss(pid: int | str = "self") -> int:
    """Return a process's peak resident memory (VmHWM) in bytes."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def current_rss() -> int:
    """Return this process's resident memory (VmRSS) in bytes."""
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak(pid: int | str = "self") -> None:
    """Reset a process's VmHWM (Linux: writing 5 to clear_refs), so each family is measured alone."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def linked_template(target: str) -> bytes:
    """Return a fiche template whose document links an image at ``target`` (SSRF, file read)."""
    import io
    import zipfile

    data = docx_with("Fiche de liaison – {{ company_name }}")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                blob = blob.replace(b"</Relationships>", f'<Relationship Id="rIdX" Type="{IMAGE_REL}" Target="{target}" '
                                    'TargetMode="External"/></Relationships>'.encode())
            copy.writestr(info, blob)
    return out.getvalue()


def template_family():
    """Hostile DOCX templates: resource payloads and outside references."""
    for index, payload in enumerate(RESOURCE_PAYLOADS):
        yield HostileFile(f"ressources_{index}.docx", "template", lambda p=payload: template_for(p, "/nonexistent"))
    for index, target in enumerate(("http://127.0.0.1:8000/", "file:///etc/passwd")):
        yield HostileFile(f"lien_exterieur_{index}.docx", "template", lambda t=target: linked_template(t))


def scan_family():
    """The PDF family again, read as signed scans (conventions, attendance sheets)."""
    for item in pdfs():
        yield HostileFile(item.name, "scan", item.build)
    yield HostileFile("arbre_pages_101_niveaux_scan.pdf", "scan", lambda: deep_page_tree(101))


def floor_family():
    """Files read with the cheap guards bypassed: only the child's limits stand in the way."""
    yield HostileFile("ods_texte_sans_controle.ods", "floor", lambda: ods_repeat_bomb(text=True))
    yield HostileFile("ods_nombres_sans_controle.ods", "floor", lambda: ods_repeat_bomb(text=False))
    yield HostileFile("modele_boucles_imbriquees.docx", "floor", lambda: template_for(LOOP_PAYLOAD, "/nonexistent"))
    for index, payload in enumerate(RESOURCE_PAYLOADS):
        yield HostileFile(f"modele_ressources_{index}_sans_controle.docx", "floor",
                          lambda p=payload: template_for(p, "/nonexistent"))


def read_floor(item, stats):
    data = item.data()
    try:
        if item.name.endswith(".ods"):
            # calamine straight away, as if the .ods guard had a gap.
            run_sandboxed(read_workbook, data, DEFAULT_LIMITS, Deadline(DEFAULT_LIMITS.timeout_seconds),
                          sandbox_limits=sandbox_limits_for(DEFAULT_LIMITS), sandbox_stats=stats)
        else:
            # A stored version rendered without the upload check (stored before it existed).
            run_sandboxed(doc_templates.render_docx, data, sample_context(doc_templates.DOC_KINDS[KIND]),
                          sandbox_limits=doc_templates.TEMPLATE_LIMITS, sandbox_stats=stats)
        return "lu"
    except SandboxRefusal as exc:
        return f"sandbox_{exc.reason}"
    except DocumentError as exc:
        return "sandbox_memory" if "démesuré" in str(exc) else "refusé"
    except TimesheetError as exc:
        return exc.code


def read_timesheet_file(item, stats):
    try:
        read_timesheet(item.data(), item.name, sandbox_stats=stats)
        return "lu"
    except TimesheetError as exc:
        return exc.code


def read_scan(item, stats):
    from app.domain.documents.scans import count_pdf_pages
    from app.services.files import SCAN_LIMITS

    try:
        # What scan_page_count runs, with the child's statistics asked for.
        pages = run_sandboxed(count_pdf_pages, item.data(), sandbox_limits=SCAN_LIMITS, sandbox_stats=stats)
    except SandboxRefusal as exc:
        return f"sandbox_{exc.reason}"
    return "lu" if pages else "illisible"


def read_template(item, stats):
    data = item.data()
    kind = doc_templates.DOC_KINDS[KIND]
    try:
        problems = run_sandboxed(check_kind_template, kind, data, sandbox_limits=doc_templates.TEMPLATE_LIMITS,
                                 sandbox_stats=stats)
    except SandboxRefusal as exc:
        return f"vérification: sandbox_{exc.reason}"
    verdict = "refusé" if problems else "accepté"
    try:
        run_sandboxed(doc_templates.render_docx, data, sample_context(kind),
                      sandbox_limits=doc_templates.TEMPLATE_LIMITS, sandbox_stats=stats)
        return f"{verdict}, rendu"
    except SandboxRefusal as exc:
        return f"{verdict}, rendu: sandbox_{exc.reason}"
    except DocumentError:
        return f"{verdict}, rendu refusé"


def main() -> None:
    """Run every family; print the table and the goal lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [family.__name__ for family in FAMILIES] + ["scans", "templates", "floor"]
    parser.add_argument("--family", choices=names)
    args = parser.parse_args()
    runs = [(family.__name__, family, read_timesheet_file) for family in FAMILIES]
    runs += [("scans", scan_family, read_scan), ("templates", template_family, read_template),
             ("floor", floor_family, read_floor)]
    limit = sandbox.DEFAULT_LIMITS.memory_mb * MB
    rows, worst_parent, worst_server, worst_seconds, over_limit = [], 0, 0, 0.0, 0
    floor_read, floor_seconds = None, 0.0
    run_sandboxed(len, b"")  # start the server before measuring
    baseline = current_rss()
    server = sandbox._server().process.pid
    started = time.perf_counter()
    for name, family, read in runs:
        if args.family not in (None, name):
            continue
        reset_peak(server)
        outcomes, slowest, child_peak, parent, count = Counter(), (0.0, ""), 0, 0, 0
        for built in family():
            # The bench builds each hostile file itself (some through 200 MB of content), which
            # leaves memory a web process would not have: the caller's peak is its start-up
            # size plus the file plus what the call added on top of them.
            item = HostileFile(built.name, built.family, _const(built.data()))
            reset_peak()
            before = current_rss()
            stats = {}
            begin = time.perf_counter()
            outcome = read(item, stats)
            elapsed = time.perf_counter() - begin
            parent = max(parent, baseline + len(item.data()) + peak_rss() - before)
            count += 1
            outcomes[outcome] += 1
            slowest = max(slowest, (elapsed, item.name))
            child_peak = max(child_peak, stats.get("child_peak_rss", 0))
            over_limit += stats.get("child_peak_rss", 0) > limit
        server_peak = peak_rss(server)
        worst_parent, worst_server = max(worst_parent, parent), max(worst_server, server_peak)
        if name != "floor":  # the floor family measures the limits, not a request
            worst_seconds = max(worst_seconds, slowest[0])
        else:
            floor_read = sum(n for outcome, n in outcomes.items() if "sandbox_" not in outcome)
            floor_seconds = slowest[0]
        stopped = sum(n for outcome, n in outcomes.items() if "sandbox_" in outcome)
        rows.append((name, count, slowest, parent, server_peak, child_peak, stopped, outcomes))
    print(f"Corpus lu en {time.perf_counter() - started:.1f} s (limites de l'enfant : "
          f"{sandbox.DEFAULT_LIMITS.memory_mb} Mo d'espace d'adressage, CPU et durée selon l'usage)\n")
    print(f"{'famille':16s} {'fichiers':>8s} {'pire (s)':>9s} {'parent Mo':>10s} {'serveur Mo':>11s} "
          f"{'enfant Mo':>10s} {'arrêtés':>8s}  fichier le plus lent")
    for name, count, (seconds, slow_name), parent, server_peak, child_peak, stopped, _outcomes in rows:
        print(f"{name:16s} {count:8d} {seconds:9.2f} {parent / MB:10.0f} {server_peak / MB:11.0f} "
              f"{child_peak / MB:10.0f} {stopped:8d}  {slow_name}")
    print("\nRésultats par famille :")
    for name, *_rest, outcomes in rows:
        print(f"  {name}: " + ", ".join(f"{code} {n}" for code, n in outcomes.most_common()))
    print()
    goal("aucun processus hors l'enfant au-dessus de 300 Mo",
         max(worst_parent, worst_server) <= GOAL_MEMORY,
         f"parent {worst_parent / MB:.0f} Mo, serveur {worst_server / MB:.0f} Mo")
    goal("aucun appel au-delà de 5 s", worst_seconds <= GOAL_SECONDS, f"pire {worst_seconds:.2f} s")
    floor = ("famille floor non lancée" if floor_read is None
             else f"floor : {floor_read} fichier(s) passé(s), le plus long arrêté en {floor_seconds:.1f} s")
    goal("chaque enfant arrêté dans ses limites", over_limit == 0 and not floor_read,
         f"{over_limit} enfant(s) au-delà de {limit // MB} Mo ; {floor}")


def goal(label: str, met: bool, detail: str) -> None:
    """Print one goal line."""
    print(f"Objectif {label} : {'atteint' if met else 'NON atteint'} ({detail})")


if __name__ == "__main__":
    main()
