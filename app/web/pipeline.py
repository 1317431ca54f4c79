"""The tender pipeline (repérage) per buyer and for the territory, and « marchés à venir » as XLSX."""

from io import BytesIO

from flask import Blueprint, flash, render_template, request, send_file

from app.domain.enums import TenderStatus
from app.models import Buyer
from app.services import referential as ref_svc
from app.services.files import XLSX_TYPE
from app.services.reperage.pipeline import PipelineFilters, board, pipeline_tenders, upcoming_xlsx
from app.web.context import get_session, require
from forms.fields import select_choices
from forms.reperage import PipelineFilterForm

bp = Blueprint("pipeline", __name__, url_prefix="/reperage")


def _filters() -> tuple[PipelineFilterForm, PipelineFilters]:
    form = PipelineFilterForm(request.args)
    form.buyer_id.choices = select_choices(ref_svc.choices(get_session(), Buyer, lambda b: b.name, (Buyer.name,),
                                                           optional="Tous les acheteurs"))
    if request.args and not form.validate():
        flash("Certains filtres sont invalides et ont été ignorés : corrigez les champs signalés.", "error")
    data = {name: None if form[name].errors else form[name].data for name in form.data}
    status = data.get("status") or ""
    filters = PipelineFilters(
        buyer_id=data.get("buyer_id"), status=TenderStatus(status) if status in TenderStatus._value2member_map_ else None,
        upcoming_only=status == "a_venir", from_on=data.get("from_on"), to_on=data.get("to_on"),
        cpv=(data.get("cpv") or "").strip(), amount_min=data.get("amount_min"), amount_max=data.get("amount_max"))
    return form, filters


@bp.route("/")
@require("read")
def index():
    """Show the pipeline as a table or as columns per step."""
    form, filters = _filters()
    tenders = pipeline_tenders(get_session(), filters)
    view = "board" if request.args.get("view") == "board" else "table"
    return render_template("pipeline/index.html", form=form, tenders=tenders, columns=board(tenders), view=view,
                           query=request.query_string.decode())


@bp.route("/marches-a-venir.xlsx")
@require("read")
def upcoming():
    """Download the not-yet-awarded tenders matching the filters, for a comité or a club."""
    _form, filters = _filters()
    data = upcoming_xlsx(get_session(), filters)
    return send_file(BytesIO(data), mimetype=XLSX_TYPE, as_attachment=True, download_name="marches-a-venir.xlsx")
