"""Statistics by territory and sector: lots grouped by commune, EPCI, CPV division and trade add up to the totals."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.domain.reports.breakdowns import build_breakdowns_xlsx, compute_breakdowns, cpv_division
from app.domain.reports.indicators import LotFigure, compute_figures

CALA = "Communauté d'agglomération de Lens-Liévin"


def lot(lot_id, tender_id, *, city="", epci="", cpv="", trade="", required="0", done="0", conditional=False):
    return LotFigure(lot_id=lot_id, tender_id=tender_id, operation_id=None, buyer_id=1, company_id=None,
                     required=Decimal(required), done=Decimal(done), is_conditional=conditional, site_city=city,
                     site_epci=epci, cpv=cpv, trade=trade)


LOTS = (
    lot(1, 10, city="Liévin", epci=CALA, cpv="45453000-7", trade="Maçon", required="700", done="212.5"),
    lot(2, 10, city="Liévin", epci=CALA, cpv="45453000-7", trade="Peintre en bâtiment", required="350", done="96"),
    lot(3, 11, city="Lens", epci=CALA, cpv="77310000-6", trade="Ouvrier paysagiste", required="420", done="430"),
    lot(4, 12, city="Béthune", epci="CABBALR", cpv="45214200-2", trade="Maçon", required="900", done="0"),
    # A per-tranche lot owes nothing yet: it counts as a lot, not in the hours due.
    lot(5, 13, cpv="", trade="", required="250", done="12", conditional=True),
)


@pytest.mark.parametrize("cpv, expected", [
    ("45453000-7", "45 — Travaux de construction"),
    ("71000000", "71 — Services d'architecture, de construction, d'ingénierie et d'inspection"),
    ("77310000-6", "77 — Services agricoles, sylvicoles, horticoles, aquacoles et apicoles"),
    ("90910000-9", "90 — Services relatifs aux eaux usées, aux déchets, au nettoyage et à l'environnement"),
    ("50700000-2", "50 — Services de réparation et d'entretien"),
    ("33100000", "Division 33"),
    ("", "Non renseigné"),
    ("4", "Non renseigné"),
])
def test_cpv_division_names_the_common_divisions(cpv, expected):
    assert cpv_division(cpv) == expected


@pytest.mark.parametrize("key", ["city", "epci", "cpv", "trade"])
def test_every_breakdown_adds_up_to_the_figures_totals(key):
    figures = compute_figures(LOTS, ())
    lines = compute_breakdowns(LOTS).dimension(key)
    assert sum(line.hours_required for line in lines) == figures.hours_required == Decimal(2370)
    assert sum(line.hours_done for line in lines) == figures.hours_done_to_date == Decimal("750.5")
    assert sum(line.lots for line in lines) == figures.lots_count == 5
    if key != "trade":
        assert sum(line.tenders for line in lines) == figures.tenders == 4


def test_breakdowns_sort_by_hours_due_with_the_unknown_last():
    breakdowns = compute_breakdowns(LOTS)
    assert [(line.label, line.hours_required, line.lots, line.tenders) for line in breakdowns.by_city] == [
        ("Liévin", Decimal(1050), 2, 1), ("Béthune", Decimal(900), 1, 1), ("Lens", Decimal(420), 1, 1),
        ("Non renseigné", Decimal(0), 1, 1)]
    # By trade a tender counts under each trade of its lots: Maçon spans tenders 10 and 12.
    assert [(line.label, line.tenders) for line in breakdowns.by_trade][0] == ("Maçon", 2)
    assert breakdowns.by_cpv[0].label == "45 — Travaux de construction"
    assert breakdowns.by_cpv[0].hours_done == Decimal("308.5")


def test_breakdowns_workbook_has_a_sheet_per_dimension_with_a_territory_column():
    data = build_breakdowns_xlsx([("PLIE de Lens-Liévin", compute_breakdowns(LOTS[:3])),
                                  ("Ensemble des territoires", compute_breakdowns(LOTS))],
                                 title="Statistiques 2026", generated_on=date(2026, 11, 22))
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Par commune", "Par EPCI", "Par division CPV", "Par métier"]
    rows = [row for row in book["Par EPCI"].iter_rows(values_only=True) if row and row[0]]
    header = rows.index(("Territoire", "EPCI", "Heures exigées", "Heures réalisées depuis le démarrage",
                         "Lots clausés", "Marchés clausés"))
    assert rows[header + 1] == ("PLIE de Lens-Liévin", CALA, 1470, 738.5, 3, 2)
    assert rows[header + 2:] == [("Ensemble des territoires", CALA, 1470, 738.5, 3, 2),
                                 ("Ensemble des territoires", "CABBALR", 900, 0, 1, 1),
                                 ("Ensemble des territoires", "Non renseigné", 0, 12, 1, 1)]
