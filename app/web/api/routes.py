"""API views: parse (schemas) → check the token's rights → call a service → serialise.

Row visibility comes from the request's scoped session (app.access), exactly as on the web.
"""

from datetime import date
from decimal import Decimal

from flask_smorest import Blueprint

from app.domain.api.cursors import CursorError, decode_cursor, encode_cursor
from app.domain.api.tokens import TokenScope
from app.domain.numbers import minutes_to_hours
from app.models import Lot, Tender
from app.services import audit
from app.services.api import reads
from app.web.api import current_holder, install_api_hooks, require_scope
from app.web.api import schemas as s
from app.web.api.problems import PROBLEM_JSON, TITLES, problem
from app.web.context import get_session

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Lecture des données et envoi des heures")
install_api_hooks(blp)
READ, WRITE = TokenScope.READ_TENDERS, TokenScope.WRITE_HOURS


def errors(*codes: int):
    """Document the problem+json answers an operation can give."""

    def decorator(view):
        for code in codes:
            view = blp.alt_response(code, schema=s.Problem, content_type=PROBLEM_JSON,
                                    description=TITLES.get(code, "Erreur"))(view)
        return view

    return decorator


COMMON = (400, 401, 403, 413, 422, 429)
NOT_MODIFIED = {"description": "Inchangé depuis l'ETag envoyé dans If-None-Match"}


def dec(value) -> str:
    """Write a decimal as a plain string (never an exponent)."""
    return format(Decimal(value), "f")


def euros(cents: int | None) -> str:
    """Write stored cents as euros with two decimals."""
    return dec((Decimal(cents or 0) / 100).quantize(Decimal("0.01")))


def audit_read(object_type: str, object_id: int | None = None) -> None:
    # Like a web read: who (the token), what, never a name; committed with the answer.
    holder = current_holder()
    session = get_session()
    audit.record(session, organisation_id=holder.scope.organisation_id, user_id=None, action="read",
                 object_type=object_type, object_id=object_id, detail=f"API, jeton n° {holder.token_id}")
    session.commit()


def _after(args) -> int | None:
    try:
        return decode_cursor(args.get("cursor"))
    except CursorError as exc:
        return problem(422, errors={"cursor": str(exc)})


def _page(page, serialise) -> dict:
    return {"items": [serialise(item) for item in page.items],
            "next_cursor": encode_cursor(page.next_after) if page.next_after is not None else None}


def _lot(lot: Lot, figures) -> dict:
    status = figures.get(lot.id)
    return {"id": lot.id, "number": lot.number, "label": lot.label, "trade": lot.trade, "company_id": lot.company_id,
            "amount": euros(lot.amount_cents),
            "hours_required": dec(status.required if status else lot.hours_required or 0),
            "hours_done": dec(status.done if status else 0)}


def _tender(tender: Tender, figures) -> dict:
    return {"id": tender.id, "buyer_id": tender.buyer_id, "reference": tender.reference, "object": tender.object,
            "cpv": tender.cpv, "status": tender.status.value, "amount": euros(tender.amount_cents),
            "notified_on": tender.notified_on, "starts_on": tender.starts_on, "ends_on": tender.ends_on,
            "planned_publication_on": tender.planned_publication_on, "planned_award_on": tender.planned_award_on,
            "planned_works_on": tender.planned_works_on,
            "lots": [_lot(lot, figures) for lot in sorted(tender.lots, key=lambda lot: lot.number)]}


@blp.route("/buyers")
@blp.arguments(s.PageArgs, location="query")
@blp.response(200, s.BuyerPage, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def buyers(args):
    """Acheteurs (donneurs d'ordre) visibles par le jeton."""
    refused = require_scope(READ)
    after = _after(args)
    if refused or not isinstance(after, int):
        return refused or after
    page = reads.list_buyers(get_session(), after, args["limit"])
    audit_read("buyer")
    return _page(page, lambda b: {"id": b.id, "name": b.name, "kind": b.kind.value, "siret": b.siret,
                                  "city": b.city})


def _tenders(args, *, upcoming: bool):
    after = _after(args)
    if not isinstance(after, int):
        return after
    holder = current_holder()
    page, figures = reads.list_tenders(get_session(), holder.scope.organisation_id, after, args["limit"],
                                       upcoming=upcoming, today=date.today())
    audit_read("tender")
    return _page(page, lambda t: _tender(t, figures))


@blp.route("/tenders")
@blp.arguments(s.PageArgs, location="query")
@blp.response(200, s.TenderPage, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def tenders(args):
    """Marchés et leurs lots, avec heures exigées et réalisées."""
    return require_scope(READ) or _tenders(args, upcoming=False)


@blp.route("/tenders/<int:tender_id>")
@blp.response(200, s.Tender, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON, 404)
def tender(tender_id: int):
    """Un marché et ses lots, avec heures exigées et réalisées."""
    refused = require_scope(READ)
    if refused:
        return refused
    if tender_id > s.MAX_ID:
        return problem(404)
    row, figures = reads.get_tender(get_session(), current_holder().scope.organisation_id, tender_id,
                                    today=date.today())
    if row is None:
        return problem(404)
    audit_read("tender", row.id)
    return _tender(row, figures)


@blp.route("/pipeline")
@blp.arguments(s.PageArgs, location="query")
@blp.response(200, s.TenderPage, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def pipeline(args):
    """Marchés à venir (repérés, à l'étude, clause rédigée, publiés) : jetons de l'organisation."""
    return require_scope(READ, organisation_only=True) or _tenders(args, upcoming=True)


@blp.route("/placements")
@blp.arguments(s.PlacementArgs, location="query")
@blp.response(200, s.PlacementPage, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def placements(args):
    """Mises en situation (celles de la structure du jeton, ou de toute l'organisation)."""
    refused = require_scope(READ, WRITE)
    after = _after(args)
    if refused or not isinstance(after, int):
        return refused or after
    page = reads.list_placements(get_session(), after, args["limit"], lot_id=args.get("lot_id"))
    audit_read("placement")
    return _page(page, lambda p: {
        "id": p.id, "participant_id": p.participant_id, "participant_code": p.participant.code,
        "last_name": p.participant.last_name, "first_name": p.participant.first_name, "lot_id": p.lot_id,
        "siae_id": p.siae_id, "company_id": p.company_id, "contract_type": p.contract_type.value,
        "starts_on": p.starts_on, "ends_on": p.ends_on})


@blp.route("/hour-records")
@blp.arguments(s.HourRecordArgs, location="query")
@blp.response(200, s.HourRecordPage, description="Réponse")
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def hour_records(args):
    """Heures mensuelles enregistrées, filtrables par mois, lot et structure."""
    refused = require_scope(READ, WRITE)
    after = _after(args)
    if refused or not isinstance(after, int):
        return refused or after
    kind, _, raw = (args.get("structure") or "").partition(":")
    month = date(int(args["month"][:4]), int(args["month"][5:]), 1) if args.get("month") else None
    page = reads.list_hour_records(get_session(), after, args["limit"], month_on=month, lot_id=args.get("lot_id"),
                                   siae_id=int(raw) if kind == "siae" else None,
                                   company_id=int(raw) if kind == "company" else None)
    audit_read("hour_record")
    return _page(page, lambda r: {
        "id": r.id, "placement_id": r.placement_id, "participant_id": r.placement.participant_id,
        "lot_id": r.placement.lot_id, "month": r.month_on.strftime("%Y-%m"), "hours": dec(minutes_to_hours(r.minutes)),
        "training_hours": dec(minutes_to_hours(r.training_minutes)), "source": r.source.value,
        "import_id": r.import_id})
