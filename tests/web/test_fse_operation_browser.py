"""In a real browser, the gestionnaire FSE+ sets up an operation with five targets, logs an activity
with its minutes, then builds and downloads the dossier (issue 14)."""

import io
import json
import re
import zipfile

import pytest

from app.domain.enums import Role
from tests.services.liaison.fiche_helpers import pdf_bytes
from tests.web.test_browser import sign_in

pytestmark = pytest.mark.browser

TARGETS = [  # indicator, value, public, from, to — as the operation sheet lists them
    ("hours", "12 000", "", "", ""),
    ("participants", "60", "brsa", "", ""),
    ("operations", "8", "", "", ""),
    ("site_visits", "6", "", "2025-09-01", "2026-02-28"),
    ("companies_contacted", "40", "", "", ""),
]


def test_gestionnaire_sets_up_an_operation_logs_an_activity_and_downloads_the_dossier(page, live_server, tmp_path):
    sign_in(page, live_server, Role.GESTIONNAIRE)
    page.goto(f"{live_server}/fse/")
    page.get_by_role("link", name="Nouvelle opération FSE+").click()
    # Labels print the typographic apostrophe; date fields are the browser's date pickers (ISO values).
    page.get_by_label("Intitulé de l’opération", exact=True).fill("Clauses et relations entreprises 2025-2026")
    page.get_by_label("Début de l’opération", exact=True).fill("2025-09-01")
    page.get_by_label("Fin de l’opération", exact=True).fill("2026-08-31")
    page.get_by_label("Organisme financeur").fill("Département du Pas-de-Calais")
    for index, (kind, value, public, first, last) in enumerate(TARGETS):
        page.locator(f"#targets-{index}-kind").select_option(kind)
        page.locator(f"#targets-{index}-target").fill(value)
        if public:
            page.locator(f"#targets-{index}-breakdown").select_option(public)
        if first:
            page.locator(f"#targets-{index}-starts_on").fill(first)
            page.locator(f"#targets-{index}-ends_on").fill(last)
    page.screenshot(path=str(tmp_path / "form.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(r".*/fse/operations/\d+$"))
    operation_url = page.url
    assert page.get_by_text("Opération FSE+ enregistrée.").is_visible()
    table = page.locator("table.list").first
    for label in ("12\u202f000 heures d’insertion", "60 participants, dont bénéficiaires du RSA",
                  "8 opérations suivies", "6 visites de chantier (du 01/09/2025 au 28/02/2026)",
                  "40 entreprises contactées"):
        assert table.get_by_text(label).is_visible(), label
    page.screenshot(path=str(tmp_path / "operation.png"), full_page=True)

    # An activity with its minutes, from the operation's page.
    minutes = tmp_path / "compte-rendu-comite.pdf"
    minutes.write_bytes(pdf_bytes())
    page.get_by_role("link", name="Noter une activité").click()
    page.get_by_label("Type").select_option("steering_committee")
    page.get_by_label("Date", exact=True).fill("2026-03-12")
    page.get_by_label("Intitulé").fill("Comité de pilotage des clauses du 12 mars")
    page.get_by_label("Note (pas de données de santé ni d’appréciation sur une personne)").fill(
        "Point sur les heures du quartier Gare ; relance de deux entreprises.")
    page.locator("input[type=file][name=minutes]").set_input_files(str(minutes))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/journal/\d+$"))
    assert page.get_by_text("Comité de pilotage des clauses du 12 mars").first.is_visible()

    # The dossier, built from the page and downloaded.
    page.goto(operation_url)
    page.get_by_label("Joindre aussi le bilan en PDF").uncheck()
    page.get_by_role("button", name="Constituer le dossier avec les données du jour").click()
    page.wait_for_url(re.compile(r".*/fse/dossiers/\d+$"))
    link = page.get_by_role("link", name=re.compile(r"Télécharger dossier-fse-.*\.zip"))
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "dossier.zip"
    download.value.save_as(str(path))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        minutes_pieces = [n for n in names if n.startswith("05-actions/comptes-rendus/")]
        assert len(minutes_pieces) == 1 and archive.read(minutes_pieces[0]) == pdf_bytes()
        log = archive.read("06-extrait-du-journal-d-activite.xlsx")
    assert manifest["operation"] == "Clauses et relations entreprises 2025-2026"
    targets = {t["kind"]: t for t in manifest["indicators_vs_targets"]}
    assert set(targets) == {kind for kind, *_ in TARGETS}
    assert targets["site_visits"]["starts_on"] == "2025-09-01" and targets["participants"]["breakdown"] == "brsa"
    assert "06-extrait-du-journal-d-activite.xlsx" in targets["companies_contacted"]["pieces"]
    from openpyxl import load_workbook
    cells = [c.value for row in load_workbook(io.BytesIO(log)).active.iter_rows() for c in row]
    assert "Comité de pilotage des clauses du 12 mars" in cells
