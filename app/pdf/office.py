"""What both ways of running LibreOffice share: finding it, its profile lock, no network, a batch on disk."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
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
# Options of every LibreOffice we start: no window, no splash, no crash recovery, no lock dialog.
HEADLESS = ("--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck")


class PdfConversionError(RuntimeError):
    """LibreOffice failed, timed out or is missing; the message is French and shown as is."""


def timeout_error(limit: float) -> PdfConversionError:
    """Return the error a conversion past its time limit raises, whichever way it ran."""
    return PdfConversionError(f"La conversion PDF a dépassé le délai de {limit:g} secondes et a été interrompue.")


def find_soffice() -> str | None:
    """Return the path of the LibreOffice binary, or None when it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in SOFFICE_PATHS if os.access(path, os.X_OK)), None)


@contextmanager
def profile_lock(profile_dir: Path, timeout: float):
    """Hold the profile's lock (threads and processes alike), waiting at most ``timeout`` seconds."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    # flock belongs to the open file: two threads opening the file exclude each other too.
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


@lru_cache(maxsize=1)
def without_network() -> tuple[str, ...]:
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


@dataclass(frozen=True)
class Batch:
    """Documents written to a work directory under our own names, and where each PDF is expected."""

    sources: dict[str, Path]
    targets: dict[str, Path]
    out_dir: Path


def stage_batch(work_dir: Path, docx_files: dict[str, bytes]) -> Batch:
    """Write each DOCX, stripped of its outside references, under a name LibreOffice keeps."""
    out_dir = work_dir / "pdf"
    sources, targets = {}, {}
    for index, (name, data) in enumerate(docx_files.items()):
        # Our own file names: keys may hold spaces, accents or slashes LibreOffice mangles.
        stem = f"{index:03d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', Path(name).stem)[:40]}"
        sources[name], targets[name] = work_dir / f"{stem}.docx", out_dir / f"{stem}.pdf"
        # LibreOffice fetches linked images, attached templates and frames while converting.
        sources[name].write_bytes(strip_outside_references(data))
    return Batch(sources, targets, out_dir)


def read_batch(batch: Batch, detail: str) -> dict[str, bytes]:
    """Return the PDFs under the callers' keys; name the missing ones, with ``detail``, in French."""
    pdfs, missing = {}, []
    for name, target in batch.targets.items():
        if target.is_file() and target.stat().st_size > 0:
            pdfs[name] = target.read_bytes()
        else:
            missing.append(name)
    if missing:
        raise PdfConversionError(f"LibreOffice n'a pas produit le PDF de : {', '.join(missing)} ({detail}).")
    return pdfs
