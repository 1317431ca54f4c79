"""Convert DOCX documents to PDF with LibreOffice headless, one process per batch.

Starting LibreOffice costs seconds, so a batch of documents goes through a single
``soffice --convert-to pdf`` call, and its user profile lives in a directory reused across
calls (a warm profile starts faster). A file lock serialises calls sharing that profile:
two LibreOffice processes on one profile would hand documents to each other or fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from app.domain.documents.docx_safety import strip_outside_references

try:
    import fcntl
except ImportError:  # Windows: no cross-process lock, calls are expected to be sequential
    fcntl = None

DEFAULT_TIMEOUT = 120.0
SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PATHS = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
# One profile per OS user: LibreOffice refuses a profile directory owned by someone else.
_USER = os.getuid() if hasattr(os, "getuid") else "user"
DEFAULT_PROFILE_DIR = Path(tempfile.gettempdir()) / f"clausier-libreoffice-{_USER}"
UNAVAILABLE_REASON = ("LibreOffice est introuvable (commande soffice ou libreoffice) : les documents "
                      "sont fournis au format DOCX uniquement. Installez LibreOffice pour obtenir les PDF.")


class PdfConversionError(RuntimeError):
    """LibreOffice failed, timed out or is missing; the message is French and shown as is."""


def find_soffice() -> str | None:
    """Return the path of the LibreOffice binary, or None when it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in SOFFICE_PATHS if os.access(path, os.X_OK)), None)


def pdf_available() -> tuple[bool, str]:
    """Return whether PDF conversion works here and, in French, why not."""
    binary = find_soffice()
    if binary is None:
        return False, UNAVAILABLE_REASON
    return True, f"LibreOffice disponible ({binary})."


@contextmanager
def _profile_lock(profile_dir: Path, timeout: float):
    profile_dir.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    with open(profile_dir / ".clausier.lock", "w") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PdfConversionError(
                        "Une autre conversion PDF est en cours depuis trop longtemps : réessayez "
                        "dans quelques minutes.") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], timeout: float, limit: float) -> subprocess.CompletedProcess:
    if timeout <= 0:
        raise PdfConversionError(f"La conversion PDF a dépassé le délai de {limit:g} secondes.")
    # A session of its own lets a timeout kill soffice.bin too, not only the wrapper script.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionError(
            f"La conversion PDF a dépassé le délai de {limit:g} secondes et a été interrompue."
        ) from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@lru_cache(maxsize=1)
def _without_network() -> tuple[str, ...]:
    """Return the prefix that runs a command in an empty network namespace, or () if none works here.

    ``unshare --net`` needs root (or CAP_SYS_ADMIN); an unprivileged user may still create a user
    namespace with its own network. Tried once with ``true``: a container that forbids both
    converts with the network, the linked content being stripped from the documents anyway.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net", "--"), (unshare, "--user", "--map-current-user", "--net", "--")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    return ()


def convert_to_pdf(docx_files: dict[str, bytes], timeout: float = DEFAULT_TIMEOUT,
                   profile_dir: Path | None = None) -> dict[str, bytes]:
    """Convert every DOCX in one LibreOffice call; return the PDFs under the same keys."""
    if not docx_files:
        return {}
    binary = find_soffice()
    if binary is None:
        raise PdfConversionError(UNAVAILABLE_REASON)
    profile = Path(profile_dir or DEFAULT_PROFILE_DIR).resolve()
    with tempfile.TemporaryDirectory(prefix="clausier-pdf-") as work:
        work_dir = Path(work)
        # Our own file names: keys may hold spaces, accents or slashes LibreOffice mangles.
        stems = {name: f"{index:03d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', Path(name).stem)[:40]}"
                 for index, name in enumerate(docx_files)}
        inputs = []
        for name, data in docx_files.items():
            path = work_dir / f"{stems[name]}.docx"
            # LibreOffice fetches linked images, attached templates and frames while converting.
            path.write_bytes(strip_outside_references(data))
            inputs.append(str(path))
        out_dir = work_dir / "pdf"
        command = [*_without_network(), binary, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--invisible", "--nologo", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *inputs]
        started = time.monotonic()
        with _profile_lock(profile, timeout):
            # Waiting for the lock counts against the caller's budget.
            completed = _run(command, timeout - (time.monotonic() - started), timeout)
        pdfs, missing = {}, []
        for name in docx_files:
            target = out_dir / f"{stems[name]}.pdf"
            if target.is_file() and target.stat().st_size > 0:
                pdfs[name] = target.read_bytes()
            else:
                missing.append(name)
    if missing:
        detail = (completed.stderr or completed.stdout or b"").decode("utf-8", "replace").strip()
        raise PdfConversionError(
            f"LibreOffice n'a pas produit le PDF de : {', '.join(missing)} "
            f"(code {completed.returncode}{' : ' + detail[-300:] if detail else ''})."
        )
    return pdfs
