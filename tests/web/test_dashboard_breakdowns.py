"""The territory dashboard's statistics by territory and sector: shown at the end, adding up to its totals."""

from datetime import date

from app.domain.enums import Role
from app.domain.reports.breakdowns import compute_breakdowns
from app.models import Tender
from app.services.reports.dashboards import build_dashboard
from app.services.reports.exports import ReportFilter
from tests.conftest import page_text
from tests.services.reports.followup_helpers import make_site


def test_territory_dashboard_breakdowns_add_up_to_its_totals(login, session, world):
    site = make_site(session, world, lots=2, people=3, tag="STATS")
    tender = session.get(Tender, site.tender_id)
    tender.site_city, tender.site_epci = "Liévin", "Communauté d'agglomération de Lens-Liévin"
    for lot, trade in zip(tender.lots, ("Maçon", "Couvreur")):
        lot.trade = trade
    session.commit()
    page = page_text(login(Role.FACILITATEUR).get("/tableaux-de-bord/"))
    section = page.split("Par territoire et par secteur")[1]
    assert "Liévin" in section and "45 — Travaux de construction" in section and "Couvreur" in section
    dashboard = build_dashboard(session, ReportFilter(world.a.organisation_id), title="", today=date.today())
    breakdowns = compute_breakdowns(dashboard.figures.lots)
    for key in ("city", "epci", "cpv", "trade"):
        lines = breakdowns.dimension(key)
        assert sum(line.hours_required for line in lines) == dashboard.figures.hours_required
        assert sum(line.hours_done for line in lines) == dashboard.figures.hours_done_to_date
        assert sum(line.lots for line in lines) == dashboard.figures.lots_count
    assert [line.label for line in breakdowns.by_city] == ["Liévin", "Non renseigné"]


def test_demo_tenders_have_a_commune_and_an_epci(session):
    from app.services.demo.seed import seed_demo

    organisation_id = seed_demo(session).organisation_id
    lots = build_dashboard(session, ReportFilter(organisation_id), title="", today=date.today()).figures.lots
    breakdowns = compute_breakdowns(lots)
    assert {line.label for line in breakdowns.by_epci} <= {"Communauté de communes Flandre Lys",
                                                           "Métropole européenne de Lille"}
    assert "Non renseigné" not in {line.label for line in breakdowns.by_city}
    assert breakdowns.by_cpv[0].label == "45 — Travaux de construction"
