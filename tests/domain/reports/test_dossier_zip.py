import csv
import hashlib
import io
import json
import tracemalloc
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from app.domain.reports.indicators import DEFINITIONS
from app.domain.reports.targets import Breakdown, Proof, Target, TargetKind
from app.domain.reports.dossier import (
    DossierPiece,
    build_dossier_zip,
    indicators_csv,
    write_dossier_zip,
)

AS_OF = date(2026, 12, 31)
TARGETS = [
    Target("80 000 heures d'insertion", TargetKind.HOURS, Decimal(80_000), Decimal("70123.5")),
    Target("90 marchés clausés", TargetKind.TENDERS, Decimal(90), Decimal(93)),
]
PIECES = [
    DossierPiece(
        "tableau_impact.xlsx",
        b"PK\x03\x04 xlsx " * 500,
        "Heures réalisées par participant",
        "80 000 heures",
    ),
    DossierPiece("bilans/bilan_2026.docx", b"PK\x03\x04 docx " * 500, "Bilan de l'action"),
    DossierPiece(
        "liste_operations.pdf",
        b"%PDF-1.7 " * 500,
        "Liste des marchés clausés",
        "90 marchés clausés",
    ),
    DossierPiece("graphique.png", b"\x89PNG\r\n\x1a\n" * 100, "Heures par mois"),
    DossierPiece(
        "extraction_heures.csv", b"code;heures\nP-1;7,5\n" * 4000, "Extraction du logiciel"
    ),
    DossierPiece("=formule.txt", "Notes — équipe".encode(), '=HYPERLINK("x")'),
]


def build(pieces=PIECES, targets=TARGETS) -> bytes:
    return build_dossier_zip(
        pieces,
        operation_title="Clauses d'insertion, Agen",
        data_as_of=AS_OF,
        indicators_vs_targets=targets,
    )


@pytest.fixture
def archive() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build()))


def test_build_dossier_zip_compressed_formats_stored_large_text_deflated(archive):
    kinds = {info.filename: info.compress_type for info in archive.infolist()}
    for name in (
        "tableau_impact.xlsx",
        "bilans/bilan_2026.docx",
        "liste_operations.pdf",
        "graphique.png",
        # Text of a few kilobytes: deflating it would save nothing worth a compressor.
        "=formule.txt",
        "manifest.csv",
        "manifest.json",
        "indicateurs_vs_cibles.csv",
    ):
        assert kinds[name] == zipfile.ZIP_STORED
    assert kinds["extraction_heures.csv"] == zipfile.ZIP_DEFLATED
    manifest = {p["filename"]: p for p in json.loads(archive.read("manifest.json"))["pieces"]}
    assert manifest["extraction_heures.csv"]["compression"] == "deflated"
    assert manifest["=formule.txt"]["compression"] == "stored"
    assert archive.testzip() is None
    assert all(info.date_time == (2026, 12, 31, 0, 0, 0) for info in archive.infolist())


def test_build_dossier_zip_manifest_hashes_match_contents(archive):
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["operation"] == "Clauses d'insertion, Agen"
    assert manifest["data_as_of"] == "2026-12-31"
    listed = [p["filename"] for p in manifest["pieces"]]
    assert listed == [p.filename for p in PIECES] + ["indicateurs_vs_cibles.csv"]
    for entry in manifest["pieces"]:
        data = archive.read(entry["filename"])
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert manifest["pieces"][0]["target"] == "80 000 heures"
    assert manifest["pieces"][0]["compression"] == "stored"


def test_build_dossier_zip_manifest_csv_excel_fr_and_formula_safe(archive):
    raw = archive.read("manifest.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Fichier", "Ce que la pièce prouve", "Cibles justifiées", "Taille (octets)", "SHA-256"]
    by_name = {row[0]: row for row in rows[1:]}
    xlsx = by_name["tableau_impact.xlsx"]
    assert xlsx[1:4] == [
        "Heures réalisées par participant",
        "80 000 heures",
        str(len(PIECES[0].data)),
    ]
    assert xlsx[4] == hashlib.sha256(PIECES[0].data).hexdigest()
    assert by_name["'=formule.txt"][1] == '\'=HYPERLINK("x")'


def test_build_dossier_zip_indicators_vs_targets_piece(archive):
    text = archive.read("indicateurs_vs_cibles.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        ["Indicateur", "Type", "Public", "Du", "Au", "Cible", "Réalisé", "Taux de réalisation (%)", "Définition",
         "Pièces justificatives"],
        ["80 000 heures d'insertion", "Heures d'insertion", "Tous", "", "", "80000", "70123,5", "87,7",
         DEFINITIONS["hours_done"], "Aucune pièce du dossier"],
        ["90 marchés clausés", "Marchés clausés", "Tous", "", "", "90", "93", "103,3", DEFINITIONS["tenders"],
         "liste_operations.pdf"],
    ]
    assert TARGETS[0].pct == Decimal("0.8765")


def test_pieces_linked_to_targets_by_their_family_of_proof():
    targets = [*TARGETS, Target("12 visites de chantier", TargetKind.SITE_VISITS, Decimal(12), Decimal(3),
                                starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)),
               Target("40 participants, dont femmes", TargetKind.PARTICIPANTS, Decimal(40), Decimal(12),
                      Breakdown.WOMEN)]
    pieces = [DossierPiece("liste.xlsx", b"x", "Liste des marchés", proof=Proof.TENDERS_LIST),
              DossierPiece("journal.xlsx", b"y", "Journal", proof=Proof.ACTIVITY_LOG),
              DossierPiece("impact.xlsx", b"z", "Tableau d'impact", proof=Proof.IMPACT)]
    archive = zipfile.ZipFile(io.BytesIO(build(pieces, targets=targets)))
    manifest = json.loads(archive.read("manifest.json"))
    by_piece = {p["filename"]: p["target"] for p in manifest["pieces"] if p["filename"] != "indicateurs_vs_cibles.csv"}
    assert by_piece == {"liste.xlsx": "80 000 heures d'insertion ; 90 marchés clausés",
                        "journal.xlsx": "12 visites de chantier",
                        "impact.xlsx": "80 000 heures d'insertion ; 40 participants, dont femmes"}
    by_target = {t["label"]: t for t in manifest["indicators_vs_targets"]}
    assert by_target["80 000 heures d'insertion"]["pieces"] == ["liste.xlsx", "impact.xlsx"]
    assert by_target["12 visites de chantier"]["pieces"] == ["journal.xlsx"]
    assert by_target["12 visites de chantier"]["starts_on"] == "2026-01-01"
    women = by_target["40 participants, dont femmes"]
    assert women["breakdown"] == "women" and women["pieces"] == ["impact.xlsx"]
    rows = list(csv.reader(io.StringIO(archive.read("indicateurs_vs_cibles.csv").decode("utf-8-sig")), delimiter=";"))
    visits = next(row for row in rows if row[0] == "12 visites de chantier")
    assert visits[2:5] == ["Tous", "01/01/2026", "30/06/2026"] and visits[-1] == "journal.xlsx"
    assert next(row for row in rows if row[0].startswith("40 participants"))[2] == "dont femmes"


def test_build_dossier_zip_same_inputs_same_bytes():
    assert build() == build()
    assert build() != build(targets=TARGETS[:1])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evasion.pdf", "chemin relatif"),
        ("/etc/passwd", "chemin relatif"),
        ("dossier\\piece.pdf", "chemin relatif"),
        ("manifest.json", "réservé"),
        ("tableau_impact.xlsx", "deux fois"),
    ],
)
def test_build_dossier_zip_unsafe_or_duplicate_name_raises(name, message):
    with pytest.raises(ValueError, match=message):
        build([*PIECES[:1], DossierPiece(name, b"x", "test")])


def test_write_dossier_zip_generator_streams_into_file(tmp_path):
    made = []

    def pieces():
        for i in range(3):
            made.append(i)
            yield DossierPiece(f"convention_{i}.pdf", bytes([i]) * 1000, f"Convention n° {i}")

    path = tmp_path / "dossier.zip"
    with path.open("wb") as out:
        entries = write_dossier_zip(
            out, pieces(), operation_title="Op", data_as_of=AS_OF, indicators_vs_targets=[]
        )
    assert made == [0, 1, 2]
    assert [e.filename for e in entries][:3] == [
        "convention_0.pdf",
        "convention_1.pdf",
        "convention_2.pdf",
    ]
    with zipfile.ZipFile(path) as archive:
        assert archive.read("convention_2.pdf") == b"\x02" * 1000


def test_indicators_csv_no_targets_header_only():
    assert indicators_csv([]).decode("utf-8-sig").strip() == (
        "Indicateur;Type;Public;Du;Au;Cible;Réalisé;Taux de réalisation (%);Définition;Pièces justificatives"
    )


def test_write_dossier_zip_generator_keeps_at_most_two_pieces_in_memory(tmp_path):
    piece_size = 2 * 1024 * 1024

    def pieces():
        for i in range(20):  # 40 MB in all
            yield DossierPiece(f"piece_{i:02d}.pdf", bytes([i]) * piece_size, "Pièce")

    tracemalloc.start()
    try:
        with (tmp_path / "dossier.zip").open("wb") as out:
            write_dossier_zip(
                out, pieces(), operation_title="Op", data_as_of=AS_OF, indicators_vs_targets=[]
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * piece_size
