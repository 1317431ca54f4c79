"""The sheet mapping toolkit: signatures that survive a new month, stored mappings checked."""

from datetime import date, timedelta

import pytest

from app.domain.sheetmap import (
    MappingError,
    SheetMapping,
    cell_text,
    find_header,
    header_signature,
    preview_sheet,
    skipped,
    with_skip_labels,
)

ROLES = frozenset({"ignore", "last", "hours"})


def test_header_signature_same_layout_next_month_matches():
    march = ["Nom", "Prénom", *range(1, 32), "Total"]
    february = ["NOM ", "prenom", *range(1, 29), None, "total"]
    assert header_signature(march) == header_signature(february)


@pytest.mark.parametrize("other", [
    ["Nom", "Heures"], ["Prénom", "Nom", "Total"], ["Nom", "Prénom", "Formation", "Total"],
])
def test_header_signature_other_layout_differs(other):
    assert header_signature(["Nom", "Prénom", "Total"]) != header_signature(other)


def test_find_header_title_block_grown_finds_the_line():
    header = ["Ressource", "Code RH", "Réalisé (h)"]
    rows = [["Export"], ["Filtre"], ["Période : avril 2026"], header, ["DUPONT Marie", "E1", 7]]
    assert find_header(rows, header_signature(header)) == 3
    assert find_header(rows, "") is None


def test_mapping_round_trip_keeps_roles_and_skip_labels():
    rows = [["Nom", "Heures"], ["DUPONT", 7], ["Total général", 7]]
    mapping = with_skip_labels(SheetMapping(0, {0: "last", 1: "hours"}, skip_rows=frozenset({2})), rows)
    again = SheetMapping.from_dict(mapping.to_dict(), ROLES)
    assert again.columns == {0: "last", 1: "hours"}
    assert again.skip_labels == {"total general"} and again.signature == header_signature(rows[0])
    assert skipped(again, 9, ["  TOTAL Général ", 12]) and not skipped(again, 1, rows[1])


@pytest.mark.parametrize("data", [
    {"columns": {"0": "drop table"}}, {"columns": {"-1": "last"}}, {"columns": 3}, {"header_row": "x"},
])
def test_mapping_from_dict_unknown_or_broken_refused(data):
    with pytest.raises(MappingError):
        SheetMapping.from_dict(data, ROLES)


def test_cell_text_writes_cells_the_french_way():
    assert [cell_text(v) for v in (7.5, 151.0, date(2026, 3, 2), timedelta(hours=151, minutes=40), None)] == [
        "7,5", "151", "02/03/2026", "151:40", ""]


def test_preview_sheet_trailing_blank_columns_dropped():
    preview = preview_sheet("Feuille 1", [["Nom", "Heures", None, None], ["DUPONT", 7, None]])
    assert preview.width == 2 and preview.rows == [["Nom", "Heures"], ["DUPONT", "7"]]
