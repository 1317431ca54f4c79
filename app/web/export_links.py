"""Links to the exports of the data a page shows, so no file is only reachable from « Exports et bilans ».

Each link is offered only when the role may open its export (the view's own permissions, as the
menu does), and carries the page's filter (a buyer, a company) when the export takes it.
"""

from datetime import date

from flask import url_for

from app.domain.formats import format_date_fr
from app.access import Scope
from app.web.navigation import may_open


def bilan_query(subject: str, starts_on: date, ends_on: date, *, buyer_id: int | None = None,
                company_id: int | None = None, with_pdf: bool = False) -> dict:
    """Return the query of the page preparing a bilan (« exports.prepare_bilan ») for this subject and period."""
    query = {"bilan-subject": subject}
    if buyer_id:
        query["bilan-buyer_id"] = buyer_id
    if company_id:
        query["bilan-company_id"] = company_id
    query.update({"bilan-starts_on": format_date_fr(starts_on), "bilan-ends_on": format_date_fr(ends_on)})
    if with_pdf:
        query["bilan-with_pdf"] = "y"
    return query


def _allowed(scope: Scope | None, links: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(label, url) for label, endpoint, url in links if may_open(scope, endpoint)]


def report_links(scope: Scope | None, *, buyer_id: int | None = None,
                 company_id: int | None = None) -> list[tuple[str, str]]:
    """Return the exports and the bilan of a dashboard: the territory's, a buyer's or a company's."""
    filters = {name: value for name, value in (("buyer_id", buyer_id), ("company_id", company_id)) if value}
    # The bilan's form without arguments is the territory's, from the 1st of January to today;
    # for a buyer or a company it is given the same period.
    bilan = {}
    if filters:
        today = date.today()
        bilan = bilan_query("buyer" if buyer_id else "company", today.replace(month=1, day=1), today,
                            buyer_id=buyer_id, company_id=company_id, with_pdf=True)
    return _allowed(scope, [
        ("Tableau d'impact (XLSX)", "exports.impact", url_for("exports.impact", **filters)),
        ("Liste des marchés clausés (XLSX)", "exports.operations",
         url_for("exports.operations", extension="xlsx", **filters)),
        ("Liste des marchés clausés (PDF)", "exports.operations",
         url_for("exports.operations", extension="pdf", **filters)),
        ("Statistiques agrégées (XLSX)", "exports.statistics", url_for("exports.statistics", **filters)),
        ("Rédiger un bilan", "exports.prepare_bilan", url_for("exports.prepare_bilan", **bilan)),
        ("Tous les exports", "exports.index", url_for("exports.index")),
    ])


def tender_list_links(scope: Scope | None) -> list[tuple[str, str]]:
    """Return the exports of the tender list."""
    return _allowed(scope, [
        ("Liste des marchés clausés (XLSX)", "exports.operations", url_for("exports.operations", extension="xlsx")),
        ("Liste des marchés clausés (PDF)", "exports.operations", url_for("exports.operations", extension="pdf")),
        ("Tableau d'impact (XLSX)", "exports.impact", url_for("exports.impact")),
    ])


def participant_list_links(scope: Scope | None) -> list[tuple[str, str]]:
    """Return the exports about participants: the FSE+ list (chosen by operation) and the impact table."""
    return _allowed(scope, [
        ("Participants FSE+ et complétude (XLSX)", "exports.index", url_for("exports.index", _anchor="participants-fse")),
        ("Tableau d'impact (XLSX)", "exports.impact", url_for("exports.impact")),
    ])


def exports_page_link(scope: Scope | None) -> list[tuple[str, str]]:
    """Return the link to the exports page, for a dashboard whose filter the exports do not take."""
    return _allowed(scope, [("Exports et bilans", "exports.index", url_for("exports.index"))])
