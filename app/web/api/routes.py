"""API views: parse (schemas) → check the token's rights → call a service → serialise.

Row visibility comes from the request's scoped session (app.access), exactly as on the web.
"""

from datetime import date
from decimal import Decimal

from flask import url_for
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from app.domain.api.cursors import CursorError, decode_cursor, encode_cursor
from app.domain.api.tokens import TokenScope
from app.domain.numbers import minutes_to_hours
from app.models import Buyer, Company, Lot, Siae, Tender
from app.models.timesheets import ImportStatus
from app.services import audit
from app.services.api import reads
from app.services.api.figures import scope_figures
from app.services.api.hours import HoursLine, IdempotencyConflict, post_hours
from app.services.reports.exports import ReportFilter
from app.services.referential import ServiceError
from app.services.timesheets import AlreadyReceived
from app.web.api import current_holder, install_api_hooks, require_scope
from app.web.api import schemas as s
from app.web.api.problems import PROBLEM_JSON, TITLES, problem
from app.web.context import get_session

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Lecture des données et envoi des heures")
install_api_hooks(blp)
READ, WRITE, INDICATORS = TokenScope.READ_TENDERS, TokenScope.WRITE_HOURS, TokenScope.READ_INDICATORS


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


def _audit(object_type: str, object_id: int | None = None) -> None:
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
@blp.response(200, s.BuyerPage)
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def buyers(args):
    """Acheteurs (donneurs d'ordre) visibles par le jeton."""
    refused = require_scope(READ)
    after = _after(args)
    if refused or not isinstance(after, int):
        return refused or after
    page = reads.list_buyers(get_session(), after, args["limit"])
    _audit("buyer")
    return _page(page, lambda b: {"id": b.id, "name": b.name, "kind": b.kind.value, "siret": b.siret,
                                  "city": b.city})


def _tenders(args, *, upcoming: bool):
    after = _after(args)
    if not isinstance(after, int):
        return after
    holder = current_holder()
    page, figures = reads.list_tenders(get_session(), holder.scope.organisation_id, after, args["limit"],
                                       upcoming=upcoming, today=date.today())
    _audit("tender")
    return _page(page, lambda t: _tender(t, figures))


@blp.route("/tenders")
@blp.arguments(s.PageArgs, location="query")
@blp.response(200, s.TenderPage)
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def tenders(args):
    """Marchés et leurs lots, avec heures exigées et réalisées."""
    return require_scope(READ) or _tenders(args, upcoming=False)


@blp.route("/tenders/<int:tender_id>")
@blp.response(200, s.Tender)
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
    _audit("tender", row.id)
    return _tender(row, figures)


@blp.route("/pipeline")
@blp.arguments(s.PageArgs, location="query")
@blp.response(200, s.TenderPage)
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def pipeline(args):
    """Marchés à venir (repérés, à l'étude, clause rédigée, publiés) : jetons de l'organisation."""
    return require_scope(READ, organisation_only=True) or _tenders(args, upcoming=True)


@blp.route("/placements")
@blp.arguments(s.PlacementArgs, location="query")
@blp.response(200, s.PlacementPage)
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON)
def placements(args):
    """Mises en situation (celles de la structure du jeton, ou de toute l'organisation)."""
    refused = require_scope(READ, WRITE)
    after = _after(args)
    if refused or not isinstance(after, int):
        return refused or after
    page = reads.list_placements(get_session(), after, args["limit"], lot_id=args.get("lot_id"))
    _audit("placement")
    return _page(page, lambda p: {
        "id": p.id, "participant_id": p.participant_id, "participant_code": p.participant.code,
        "last_name": p.participant.last_name, "first_name": p.participant.first_name, "lot_id": p.lot_id,
        "siae_id": p.siae_id, "company_id": p.company_id, "contract_type": p.contract_type.value,
        "starts_on": p.starts_on, "ends_on": p.ends_on})


@blp.route("/hour-records")
@blp.arguments(s.HourRecordArgs, location="query")
@blp.response(200, s.HourRecordPage)
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
    _audit("hour_record")
    return _page(page, lambda r: {
        "id": r.id, "placement_id": r.placement_id, "participant_id": r.placement.participant_id,
        "lot_id": r.placement.lot_id, "month": r.month_on.strftime("%Y-%m"), "hours": dec(minutes_to_hours(r.minutes)),
        "training_hours": dec(minutes_to_hours(r.training_minutes)), "source": r.source.value,
        "import_id": r.import_id})


SUBJECTS = {"buyer_id": Buyer, "tender_id": Tender, "lot_id": Lot, "company_id": Company, "siae_id": Siae}


@blp.route("/indicators")
@blp.arguments(s.IndicatorArgs, location="query")
@blp.response(200, s.Indicators)
@blp.alt_response(304, **NOT_MODIFIED)
@errors(*COMMON, 404)
def indicators(args):
    """Indicateurs d'un périmètre (territoire, acheteur, marché, lot, entreprise ou SIAE) sur une période."""
    refused = require_scope(INDICATORS, organisation_only=True)
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
    _audit("indicators", args.get(chosen[0]) if chosen else None)
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


def _import_answer(result) -> dict:
    imp = result.imp
    if imp.status == ImportStatus.CONFIRMED:
        hours = minutes_to_hours(imp.total_minutes)
    else:
        hours = sum((Decimal(p["hours"]) for p in (imp.preview or {}).get("people", [])), Decimal(0))
    return {"id": imp.id, "status": imp.status.value, "month": imp.month_on.strftime("%Y-%m") if imp.month_on else None,
            "records_count": imp.records_count, "hours": dec(hours.quantize(Decimal("0.01"))), "doubts": result.doubts,
            "preview_url": url_for("timesheets.detail", import_id=imp.id, _external=True),
            "replayed": result.replayed}


@blp.route("/hours", methods=["POST"])
@blp.arguments(s.IdempotencyHeader, location="headers", as_kwargs=True)
@blp.arguments(s.HoursPostArgs, location="query", as_kwargs=True)
@blp.arguments(s.HoursPost, location="json", as_kwargs=True)
@blp.response(201, s.HoursImport)
@blp.alt_response(200, schema=s.HoursImport, description="Même clé d'idempotence : le relevé déjà créé")
@errors(*COMMON, 409, 415)
def post_month_hours(idempotency_key: str, confirm: bool, month: str, lines: list[dict], structure: str = ""):
    """Envoyer les heures d'un mois, par personne et par lot : mêmes contrôles qu'un fichier déposé.

    Le relevé est créé « à vérifier » ; avec ``?confirm=true`` il est enregistré en une transaction
    quand aucun doute ne bloque, sinon la réponse liste les doutes et le relevé attend dans Clausier.
    """
    refused = require_scope(WRITE)
    if refused:
        return refused
    session = get_session()
    parsed = [HoursLine(lot_id=line["lot_id"], hours=Decimal(line["hours"]),
                        training_hours=Decimal(line.get("training_hours") or "0"),
                        participant_id=line.get("participant_id"), last_name=line.get("last_name") or "",
                        first_name=line.get("first_name") or "") for line in lines]
    call = lambda: post_hours(session, current_holder(), structure=structure or "", month=month,  # noqa: E731
                              lines=parsed, idempotency_key=idempotency_key, confirm=confirm)
    try:
        try:
            result = call()
            session.commit()
        except IntegrityError:
            # The same key sent twice at once: the other request created the import; answer with it.
            session.rollback()
            result = call()
            session.commit()
    except AlreadyReceived as exc:
        session.rollback()
        return problem(409, str(exc), import_id=exc.import_id)
    except IdempotencyConflict as exc:
        session.rollback()
        return problem(422, str(exc), errors={"Idempotency-Key": str(exc)})
    except ServiceError as exc:
        session.rollback()
        return problem(422, str(exc), errors={exc.field or "lines": str(exc)})
    return _import_answer(result), 200 if result.replayed else 201
