"""Typed schemas of the API (marshmallow): the OpenAPI document is generated from them.

Dates are ISO 8601, months ``AAAA-MM``, decimals strings (``"151.67"``): a JSON number would
be read as a float by most clients, and hours or euros must stay exact.
"""

from marshmallow import Schema, fields, validate

DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
HOURS = r"^[0-9]{1,4}(\.[0-9]{1,2})?$"
MONTH = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"
# No control character reaches the database (the same rule as app/web/input_guard.py for forms).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
# Ids stay below 2**31 (PostgreSQL integer): nine digits at most.
STRUCTURE = r"^(siae|company):[1-9][0-9]{0,8}$"
MAX_ID = 2**31 - 1
ID = {"validate": validate.Range(min=1, max=MAX_ID)}


def decimal_field(description: str = "", **kwargs) -> fields.String:
    """A decimal written as a string."""
    metadata = {"example": "151.67", **({"description": description} if description else {})}
    return fields.String(validate=validate.Regexp(DECIMAL), metadata=metadata, **kwargs)


class Problem(Schema):
    """An error, RFC 9457 (application/problem+json), in French."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())
    doubts = fields.List(fields.Dict(keys=fields.String(), values=fields.String()))
    import_id = fields.Integer()


class PageArgs(Schema):
    """Cursor pagination: ``next_cursor`` of a page gives the following one."""

    cursor = fields.String(validate=validate.Length(max=64))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class Buyer(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    siret = fields.String(allow_none=True, required=True)
    city = fields.String(required=True)


class Lot(Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    label = fields.String(required=True)
    trade = fields.String(required=True)
    company_id = fields.Integer(allow_none=True, required=True)
    amount = decimal_field("Montant HT en euros", required=True)
    hours_required = decimal_field(required=True)
    hours_done = decimal_field(required=True)


class Tender(Schema):
    id = fields.Integer(required=True)
    buyer_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    object = fields.String(required=True)
    cpv = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "Étape du repérage"})
    amount = decimal_field("Montant HT en euros", required=True)
    notified_on = fields.Date(allow_none=True, required=True)
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    planned_publication_on = fields.Date(allow_none=True, required=True)
    planned_award_on = fields.Date(allow_none=True, required=True)
    planned_works_on = fields.Date(allow_none=True, required=True)
    lots = fields.List(fields.Nested(Lot), required=True)


class Placement(Schema):
    id = fields.Integer(required=True)
    participant_id = fields.Integer(required=True)
    participant_code = fields.String(required=True)
    last_name = fields.String(required=True)
    first_name = fields.String(required=True)
    lot_id = fields.Integer(required=True)
    siae_id = fields.Integer(allow_none=True, required=True)
    company_id = fields.Integer(allow_none=True, required=True)
    contract_type = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, required=True)


class HourRecord(Schema):
    id = fields.Integer(required=True)
    placement_id = fields.Integer(required=True)
    participant_id = fields.Integer(required=True)
    lot_id = fields.Integer(required=True)
    month = fields.String(required=True, metadata={"example": "2026-10"})
    hours = decimal_field(required=True)
    training_hours = decimal_field(required=True)
    source = fields.String(required=True)
    import_id = fields.Integer(allow_none=True, required=True)


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a page of ``item``."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "next_cursor": fields.String(allow_none=True, required=True)}, name=name)


BuyerPage = page_of(Buyer, "BuyerPage")
TenderPage = page_of(Tender, "TenderPage")
PlacementPage = page_of(Placement, "PlacementPage")
HourRecordPage = page_of(HourRecord, "HourRecordPage")


class HourRecordArgs(PageArgs):
    month = fields.String(validate=validate.Regexp(MONTH))
    lot_id = fields.Integer(**ID)
    structure = fields.String(validate=validate.Regexp(STRUCTURE),
                              metadata={"description": "« siae:ID » ou « company:ID »"})


class PlacementArgs(PageArgs):
    lot_id = fields.Integer(**ID)


class IndicatorArgs(Schema):
    buyer_id = fields.Integer(**ID)
    tender_id = fields.Integer(**ID)
    lot_id = fields.Integer(**ID)
    company_id = fields.Integer(**ID)
    siae_id = fields.Integer(**ID)
    start = fields.Date(data_key="from", metadata={"description": "Début de la période (incluse)"})
    end = fields.Date(data_key="to", metadata={"description": "Fin de la période (incluse)"})


class MonthHours(Schema):
    month = fields.String(required=True)
    hours = decimal_field(required=True)


class Indicators(Schema):
    period_from = fields.Date(allow_none=True, required=True)
    period_to = fields.Date(allow_none=True, required=True)
    measured_on = fields.Date(required=True)
    lots = fields.Integer(required=True)
    tenders = fields.Integer(required=True)
    hours_required = decimal_field(required=True)
    hours_done = decimal_field(required=True)
    hours_remaining = decimal_field(required=True)
    hours_projected_at_end = decimal_field(required=True)
    done_ratio = decimal_field("Heures réalisées ÷ exigées", required=True)
    lots_behind = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    participants_women = fields.Integer(required=True)
    participants_under_26 = fields.Integer(required=True)
    participants_brsa = fields.Integer(required=True)
    training_hours = decimal_field(required=True)
    contracts_by_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    exits_by_category = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    hours_by_clause_type = fields.Dict(keys=fields.String(), values=decimal_field(), required=True)
    months = fields.List(fields.Nested(MonthHours), required=True)


class HoursLine(Schema):
    participant_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                                    metadata={"description": "Identifiant du participant (voir /placements)"})
    last_name = fields.String(validate=[validate.Length(max=120), validate.Regexp(PRINTABLE)],
                              metadata={"description": "Sans participant_id"})
    first_name = fields.String(validate=[validate.Length(max=120), validate.Regexp(PRINTABLE)])
    lot_id = fields.Integer(required=True, **ID)
    hours = fields.String(required=True, validate=validate.Regexp(HOURS), metadata={"example": "151.67"})
    training_hours = fields.String(load_default="0", validate=validate.Regexp(HOURS))


class HoursPost(Schema):
    structure = fields.String(validate=validate.Regexp(STRUCTURE),
                              metadata={"description": "Obligatoire pour un jeton de l'organisation"})
    month = fields.String(required=True, validate=validate.Regexp(MONTH), metadata={"example": "2026-10"})
    lines = fields.List(fields.Nested(HoursLine), required=True, validate=validate.Length(min=1, max=2000))


class HoursPostArgs(Schema):
    confirm = fields.Boolean(load_default=False,
                             metadata={"description": "Confirmer tout de suite quand aucun doute ne bloque"})


class IdempotencyHeader(Schema):
    idempotency_key = fields.String(required=True, data_key="Idempotency-Key",
                                    validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{8,200}$"))


class Doubt(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class HoursImport(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "preview, confirmed…"})
    month = fields.String(allow_none=True, required=True)
    records_count = fields.Integer(required=True)
    hours = decimal_field(required=True)
    doubts = fields.List(fields.Nested(Doubt), required=True)
    preview_url = fields.String(required=True, metadata={"description": "La page de l'aperçu dans Clausier"})
    replayed = fields.Boolean(required=True)
