"""POST /api/v1/hours: a month of hours per person and lot, through the timesheet intake."""

from decimal import Decimal

from flask import url_for
from sqlalchemy.exc import IntegrityError

from app.domain.api.tokens import TokenScope
from app.domain.numbers import minutes_to_hours
from app.models.timesheets import ImportStatus
from app.services.api.hours import HoursLine, IdempotencyConflict, post_hours
from app.services.referential import ServiceError
from app.services.timesheets import AlreadyReceived
from app.web.api import current_holder, require_scope
from app.web.api import schemas as s
from app.web.api.problems import problem
from app.web.api.routes import COMMON, blp, dec, errors
from app.web.context import get_session

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
@blp.response(201, s.HoursImport, description="Relevé créé (à vérifier, ou enregistré)")
@blp.alt_response(200, schema=s.HoursImport, description="Même clé d'idempotence : le relevé déjà créé")
@errors(*COMMON, 409, 415)
def post_month_hours(idempotency_key: str, confirm: bool, month: str, lines: list[dict], structure: str = ""):
    """Envoyer les heures d'un mois, par personne et par lot : mêmes contrôles qu'un fichier déposé.

    Le relevé est créé « à vérifier » ; avec ``?confirm=true`` il est enregistré en une transaction
    quand aucun doute ne bloque, sinon la réponse liste les doutes et le relevé attend dans Clausier.
    """
    refused = require_scope(TokenScope.WRITE_HOURS)
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
