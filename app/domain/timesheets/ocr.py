"""Read scanned pages with the tesseract command (French), when it is installed."""

import io
import shutil
import subprocess

from app.domain.timesheets.pdfwords import Word

OCR_DPI = 300


def ocr_available() -> bool:
    """Tell whether tesseract and its French data are installed."""
    binary = shutil.which("tesseract")
    if not binary:
        return False
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return b"fra" in listed.stdout.split()


def ocr_words(image, timeout: float) -> list[Word] | None:
    """Return the words tesseract reads on a PIL image (None if it failed)."""
    binary = shutil.which("tesseract")
    if not binary:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        # psm 6: one uniform block of text, which keeps table lines together.
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", "fra", "--psm", "6", "--dpi", str(OCR_DPI), "tsv"],
            input=buffer.getvalue(), capture_output=True, timeout=timeout, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return _parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def _parse_tsv(tsv: str) -> list[Word]:
    words = []
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        left, top, width, height = (float(v) for v in parts[6:10])
        # Image y grows downwards; words use PDF orientation (upwards).
        words.append(Word(parts[11].strip(), left, left + width, -(top + height), height))
    return words
