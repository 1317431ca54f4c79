"""GET /api/v1/indicators: the figures of a scope and period, from services/api/figures."""

from datetime import date

from app.domain.api.tokens import TokenScope
from app.models import Buyer, Company, Lot, Siae, Tender
from app.services.api.figures import scope_figures
from app.services.reports.exports import ReportFilter
from app.web.api import current_holder, require_scope
from app.web.api import schemas as s
from app.web.api.problems import problem
from app.web.api.routes import COMMON, NOT_MODIFIED, audit_read, blp, dec, errors
from app.web.context import get_session

SUBJECTS = {"buyer_id": Buyer, "tender_id": Tender, "lot_id": Lot, "company_id": Company, "siae_id": Siae}


@blp.route("/indicators")
@blp.arguments(s.IndicatorArgs, location="query")
@blp.response(200, s.Indicators, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON, 404)
def indicators(args):
    """Indicateurs d'un périmètre (territoire, acheteur, marché, lot, entreprise ou SIAE) sur une période."""
    refused = require_scope(TokenScope.READ_INDICATORS, organisation_only=True)
    if refused:
        return refused
    chosen = [name for name in SUBJECTS if args.get(name) is not None]
    if len(chosen) > 1:
        return problem(422, "Choisissez un seul périmètre (acheteur, marché, lot, entreprise ou SIAE).",
                       errors={name: "Un seul périmètre à la fois." for name in chosen})
    start, end = args.get("start"), args.get("end")
    if start and end and start > end:
        return problem(422, errors={"from": "La période commence après sa fin."})
    session = get_session()
    if chosen and session.get(SUBJECTS[chosen[0]], args[chosen[0]]) is None:
        return problem(404)
    holder = current_holder()
    subject = {name: args.get(name) for name in SUBJECTS}
    flt = ReportFilter(holder.scope.organisation_id, starts_on=start, ends_on=end, buyer_id=subject["buyer_id"],
                       company_id=subject["company_id"], siae_id=subject["siae_id"], lot_id=subject["lot_id"],
                       tender_ids=(subject["tender_id"],) if subject["tender_id"] else None)
    today = date.today()
    figures = scope_figures(session, flt, today=today)
    audit_read("indicators", args.get(chosen[0]) if chosen else None)
    found = figures.indicators
    return {
        "period_from": start, "period_to": end, "measured_on": today, "lots": len(figures.lots),
        "tenders": len({lot.tender_id for lot in figures.lots}), "hours_required": dec(figures.required),
        "hours_done": dec(figures.done), "hours_remaining": dec(figures.remaining),
        "hours_projected_at_end": dec(figures.projected_at_end), "done_ratio": dec(figures.pct),
        "lots_behind": len(figures.behind), "participants": found.participants,
        "participants_women": found.participants_women, "participants_under_26": found.participants_under_26,
        "participants_brsa": found.participants_brsa, "training_hours": dec(found.training_hours),
        "contracts_by_type": {str(key): value for key, value in found.contracts_by_type.items()},
        "exits_by_category": {str(getattr(key, "value", key)): value for key, value in found.exits_by_category.items()},
        "hours_by_clause_type": {str(key): dec(value) for key, value in found.hours_by_clause_type.items()},
        "months": [{"month": month, "hours": dec(hours)} for month, hours in figures.months],
    }


