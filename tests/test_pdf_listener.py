"""The resident LibreOffice: reused, restarted when killed, killed past its time limit, cold when it cannot run."""

import io
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from app.pdf import PdfConversionError, convert_to_pdf, listener, pdf_available, warm_up
from tests.test_pdf import make_docx

pytestmark = pytest.mark.skipif(not pdf_available()[0] or listener.uno_python() is None,
                                reason="LibreOffice ou python3-uno absent")


def processes_using(path: Path) -> list[int]:
    """Return the live processes whose command line names ``path``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_gone(path: Path, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_using(path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture(scope="module")
def module_profile(tmp_path_factory):
    # LibreOffice creates a new profile in about two seconds: the module's tests share one.
    return tmp_path_factory.mktemp("libreoffice") / "profil"


@pytest.fixture
def profile(module_profile, monkeypatch):
    """The module's profile, its listener stopped after each test; no process may be left behind."""
    monkeypatch.setenv("CLAUSIER_PDF_WARM", "1")
    path = module_profile
    yield path
    listener.stop_listeners()
    assert wait_gone(listener.warm_profile(path)) == []


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def long_docx(paragraphs: int = 3000) -> bytes:
    document = Document()
    for index in range(paragraphs):
        document.add_paragraph(f"Paragraphe {index} : heures d'insertion réalisées par les entreprises attributaires.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_listener_converts_to_pdf_with_the_text(profile):
    pdfs = convert_to_pdf({"bilan é.docx": make_docx("Bilan des heures d’insertion")}, profile_dir=profile)
    assert "Bilan des heures d’insertion" in pdf_text(pdfs["bilan é.docx"])
    assert listener.listener_pid(profile) is not None


def test_listener_is_reused_across_conversions(profile):
    convert_to_pdf({"a.docx": make_docx("Premier")}, profile_dir=profile)
    first = listener.listener_pid(profile)
    pdfs = convert_to_pdf({"b.docx": make_docx("Second"), "c.docx": make_docx("Troisième")}, profile_dir=profile)
    assert listener.listener_pid(profile) == first
    assert "Troisième" in pdf_text(pdfs["c.docx"])


def test_concurrent_callers_each_get_their_pdf(profile):
    warm_up(profile)
    results = {}

    def convert(text):
        results[text] = convert_to_pdf({f"{text}.docx": make_docx(text)}, profile_dir=profile)[f"{text}.docx"]

    threads = [threading.Thread(target=convert, args=(text,)) for text in ("Alpha", "Bravo", "Charlie")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(text for text, data in results.items() if text in pdf_text(data)) == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize("victim", ["office", "bridge"])
def test_killed_listener_is_restarted_transparently(profile, victim):
    convert_to_pdf({"a.docx": make_docx("Avant")}, profile_dir=profile)
    bridge = listener.listener_pid(profile)
    if victim == "bridge":
        os.killpg(bridge, signal.SIGKILL)
    else:
        office = [pid for pid in processes_using(listener.warm_profile(profile))
                  if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        os.kill(office[0], signal.SIGKILL)
    pdfs = convert_to_pdf({"b.docx": make_docx("Après")}, profile_dir=profile)
    assert "Après" in pdf_text(pdfs["b.docx"])
    assert listener.listener_pid(profile) not in (None, bridge)


def test_timeout_kills_the_listener_and_the_next_call_starts_another(profile):
    warm_up(profile)
    with pytest.raises(PdfConversionError, match="a dépassé le délai de 0.1 secondes et a été interrompue"):
        convert_to_pdf({"long.docx": long_docx()}, timeout=0.1, profile_dir=profile)
    assert wait_gone(listener.warm_profile(profile)) == []
    assert listener.listener_pid(profile) is None
    assert "Reprise" in pdf_text(convert_to_pdf({"a.docx": make_docx("Reprise")}, profile_dir=profile)["a.docx"])


def test_hung_listener_is_killed_at_the_time_limit(profile):
    warm_up(profile)
    office = [pid for pid in processes_using(listener.warm_profile(profile))
              if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    os.kill(office[0], signal.SIGSTOP)  # a LibreOffice that no longer answers
    with pytest.raises(PdfConversionError, match="a dépassé le délai de 2 secondes et a été interrompue"):
        convert_to_pdf({"a.docx": make_docx("Figé")}, timeout=2, profile_dir=profile)
    assert wait_gone(listener.warm_profile(profile)) == []
    assert "Relancé" in pdf_text(convert_to_pdf({"a.docx": make_docx("Relancé")}, profile_dir=profile)["a.docx"])


def test_forked_process_shares_the_listener_and_it_stops_with_its_owner(profile):
    warm_up(profile)
    bridge = listener.listener_pid(profile)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a work-horse, as RQ forks them: it converts and leaves without atexit
        try:
            pdf = convert_to_pdf({"a.docx": make_docx("Enfant")}, profile_dir=profile)["a.docx"]
            os.write(write, b"ok" if b"%PDF" in pdf[:8] else b"no")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    assert os.read(read, 2) == b"ok"
    os.close(read)
    assert listener.listener_pid(profile) == bridge


def test_warm_disabled_converts_cold_and_starts_no_listener(profile, monkeypatch):
    monkeypatch.setenv("CLAUSIER_PDF_WARM", "0")
    pdfs = convert_to_pdf({"a.docx": make_docx("À froid")}, profile_dir=profile)
    assert "À froid" in pdf_text(pdfs["a.docx"])
    assert listener.listener_pid(profile) is None
    assert warm_up(profile) is False


@pytest.mark.parametrize("python", [None, sys.executable], ids=["no-uno-python", "python-without-uno"])
def test_listener_that_cannot_start_falls_back_to_cold(profile, monkeypatch, python):
    # The venv's own Python cannot import uno: the bridge exits at once, as without python3-uno.
    monkeypatch.setattr(listener, "uno_python", lambda: python)
    pdfs = convert_to_pdf({"a.docx": make_docx("Repli")}, profile_dir=profile)
    assert "Repli" in pdf_text(pdfs["a.docx"])
    assert listener.listener_pid(profile) is None
