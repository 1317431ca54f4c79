"""Convert a batch with one cold ``soffice --convert-to pdf`` process: the fallback of the listener.

Starting LibreOffice costs about a second, so a batch of documents goes through a single call, and
its user profile lives in a directory reused across calls (a warm profile starts faster). The
profile lock serialises calls sharing that profile: two LibreOffice processes on one profile would
hand documents to each other or fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from app.pdf.office import HEADLESS, Batch, PdfConversionError, profile_lock, timeout_error, without_network


def convert_batch(binary: str, batch: Batch, timeout: float, profile: Path, limit: float | None = None) -> str:
    """Run LibreOffice once over the batch; return what it said, for the error naming a missing PDF.

    ``limit`` is the caller's whole budget, named in the timeout error, when ``timeout`` is what is left of it.
    """
    command = [*without_network(), binary, f"-env:UserInstallation={profile.as_uri()}", *HEADLESS,
               "--convert-to", "pdf", "--outdir", str(batch.out_dir), *map(str, batch.sources.values())]
    started = time.monotonic()
    with profile_lock(profile, timeout):
        # Waiting for the lock counts against the caller's budget.
        completed = _run(command, timeout - (time.monotonic() - started), limit or timeout)
    detail = (completed.stderr or completed.stdout or b"").decode("utf-8", "replace").strip()
    return f"code {completed.returncode}{' : ' + detail[-300:] if detail else ''}"


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
        raise timeout_error(limit) from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
