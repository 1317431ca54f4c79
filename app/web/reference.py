"""Reference data pages: labour shares by trade and dated parameters, edited by an admin."""

from app.domain.formats import format_date_fr
from app.domain.clauses.reference import UNSOURCED
from app.models import LabourShareRef, ReferenceParam
from app.services.clauses import reference as svc
from app.web.crud import Column, CrudSpec, make_blueprint
from forms.reference import LabourShareEditForm, ReferenceParamEditForm


def _seed(session, scope) -> None:
    svc.ensure_reference_data(session, scope.organisation_id)


def _validity(row) -> str:
    if not row.valid_from and not row.valid_until:
        return "sans limite"
    return f"{format_date_fr(row.valid_from) or '…'} → {format_date_fr(row.valid_until) or '…'}"


def _number(value) -> str:
    return format(value.normalize(), "f").replace(".", ",")


LABOUR_SHARES = CrudSpec(
    name="labour_shares", url="/referentiel/parts-main-oeuvre", model=LabourShareRef, form=LabourShareEditForm,
    title="Parts de main-d'œuvre par métier", singular="part de main-d'œuvre", feminine=True, new_label="Nouveau métier",
    columns=[Column("Métier", lambda r: r.label), Column("Part (%)", lambda r: _number(r.share_pct)),
             Column("Préfixes CPV", lambda r: r.cpv_prefixes.replace(",", ", ") or "—"),
             Column("Source", lambda r: r.source or UNSOURCED), Column("Validité", _validity)],
    search=(LabourShareRef.label, LabourShareRef.cpv_prefixes), order_by=(LabourShareRef.label,),
    save=svc.save_labour_share, read_permissions=("read",), write_permissions=("manage_reference",), on_index=_seed,
)

PARAMS = CrudSpec(
    name="reference_params", url="/referentiel/parametres", model=ReferenceParam, form=ReferenceParamEditForm,
    title="Paramètres datés (coût horaire, taux, pénalités)", singular="paramètre", new_label="Nouvelle valeur datée",
    columns=[Column("Paramètre", lambda r: r.label), Column("Valeur", lambda r: f"{_number(r.value)} {r.unit}"),
             Column("Source", lambda r: r.source or UNSOURCED), Column("Validité", _validity)],
    search=(ReferenceParam.label,), order_by=(ReferenceParam.key, ReferenceParam.valid_from),
    save=svc.save_param, read_permissions=("read",), write_permissions=("manage_reference",), on_index=_seed,
)

BLUEPRINTS = [make_blueprint(spec) for spec in (LABOUR_SHARES, PARAMS)]
