"""Convert DOCX documents to PDF with LibreOffice headless, a batch at a time.

Through a LibreOffice kept running between calls when it can (listener.py: a document takes a sixth
to a seventh of the time, bench/bench_pdf.py), else one cold process per batch (oneshot.py).
CLAUSIER_PDF_WARM=0 keeps to the cold one. Either way every document is stripped of its outside
references first, and LibreOffice runs without network where the kernel allows it.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from app.pdf import listener, oneshot
from app.pdf.office import (DEFAULT_PROFILE_DIR, DEFAULT_TIMEOUT, UNAVAILABLE_REASON, PdfConversionError,
                            find_soffice, read_batch, stage_batch)

__all__ = ["DEFAULT_TIMEOUT", "PdfConversionError", "convert_to_pdf", "find_soffice", "pdf_available",
           "warm_enabled", "warm_up"]

logger = logging.getLogger(__name__)


def pdf_available() -> tuple[bool, str]:
    """Return whether PDF conversion works here and, in French, why not."""
    binary = find_soffice()
    if binary is None:
        return False, UNAVAILABLE_REASON
    return True, f"LibreOffice disponible ({binary})."


def warm_enabled() -> bool:
    """Tell whether conversions may use the resident LibreOffice (CLAUSIER_PDF_WARM, on by default)."""
    return os.environ.get("CLAUSIER_PDF_WARM", "1").strip().lower() not in ("0", "false", "non", "no", "off")


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
        batch = stage_batch(Path(work), docx_files)
        started = time.monotonic()
        if warm_enabled():
            try:
                return read_batch(batch, listener.convert_batch(binary, batch, timeout, profile))
            except listener.ListenerUnavailable as exc:
                logger.warning("PDF sans LibreOffice résident, un processus par lot : %s", exc)
        # Time lost finding the listener unavailable counts against the caller's budget.
        detail = oneshot.convert_batch(binary, batch, timeout - (time.monotonic() - started), profile, limit=timeout)
        return read_batch(batch, detail)


def warm_up(profile_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Start the resident LibreOffice now (the worker, before forking); return whether it runs."""
    binary = find_soffice()
    if binary is None or not warm_enabled():
        return False
    try:
        listener.ensure_started(binary, Path(profile_dir or DEFAULT_PROFILE_DIR).resolve(), timeout)
    except (listener.ListenerUnavailable, PdfConversionError) as exc:
        logger.warning("LibreOffice résident non démarré : %s", exc)
        return False
    return True
