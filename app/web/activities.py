"""The activity log (« Journal d'activité »): list with filters, record an entry with its compte
rendu, show one, download the filtered list.
"""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.models import Activity, Buyer, Company, FseOperation, Participant, Partner, Siae, Tender
from app.services import referential as ref
from app.services.actors import actor_for
from app.services.files import XLSX_TYPE
from app.services.referential import ServiceError
from app.services.reports import activity_log as svc
from app.domain.reports.activities import COUNTED_KINDS, MINUTES_EXPECTED, ActivityKind
from app.web.context import audit_here, current_scope, get_or_404, get_session, require, send_download
from app.web.crud import attach_error
from forms.activities import LINK_FIELDS, ActivityEditForm, LogFilterForm
from forms.fields import select_choices

bp = Blueprint("activities", __name__, url_prefix="/journal")


@bp.context_processor
def _kinds() -> dict:
    return {"counted_kinds": COUNTED_KINDS, "minutes_expected": MINUTES_EXPECTED, "activity_links": activity_links}


def activity_links(activity: Activity) -> list[tuple[str, str, str | None]]:
    """Return what an entry is about as (label, name, page): a participant by code only."""
    links = [
        ("Entreprise", activity.company, lambda c: c.name, "companies.detail"),
        ("Donneur d'ordre", activity.buyer, lambda b: b.name, "buyers.detail"),
        ("SIAE", activity.siae, lambda s: s.name, "siaes.detail"),
        ("Partenaire", activity.partner, lambda p: p.name, "partners.detail"),
        ("Marché", activity.tender, lambda t: t.reference, "tenders.detail"),
        ("Participant", activity.participant, lambda p: p.code, "participants.detail"),
        ("Opération FSE+", activity.fse_operation, lambda o: o.title, None),
    ]
    return [(label, name(row), url_for(endpoint, row_id=row.id) if endpoint else None)
            for label, row, name, endpoint in links if row is not None]


def _operations(session) -> list:
    return [(op.id, op.title) for op in session.scalars(
        select(FseOperation).order_by(FseOperation.starts_on.desc(), FseOperation.title))]


def _link_choices(form, session) -> None:
    """Fill the link selects present on ``form``."""
    options = {
        "buyer_id": lambda: ref.choices(session, Buyer, lambda b: b.name, (Buyer.name,)),
        "company_id": lambda: ref.choices(session, Company, lambda c: c.name, (Company.name,)),
        "siae_id": lambda: ref.choices(session, Siae, lambda s: s.name, (Siae.name,)),
        # The code first, as the log and its extract show a participant.
        "participant_id": lambda: ref.choices(session, Participant, lambda p: f"{p.code} — {p.display_name}",
                                              (Participant.code,)),
        # Every partner: an entry keeps its partner after the partnership ends.
        "partner_id": lambda: ref.choices(session, Partner, lambda p: p.name + ("" if p.is_active else " (inactif)"),
                                          (Partner.name,)),
        "tender_id": lambda: ref.choices(session, Tender, lambda t: t.reference, (Tender.reference,)),
        "fse_operation_id": lambda: _operations(session),
    }
    for name in LINK_FIELDS:
        if name in form:
            form[name].choices = select_choices([("", "Aucun" if name != "fse_operation_id" else "Aucune"),
                                                 *options[name]()])


def _filter(form: LogFilterForm) -> svc.LogFilter:
    if not form.validate():
        return svc.LogFilter()
    kind = ActivityKind(form.kind.data) if form.kind.data else None
    return svc.LogFilter(kind=kind, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                         company_id=form.company_id.data, buyer_id=form.buyer_id.data,
                         fse_operation_id=form.fse_operation_id.data)


def _filter_form(session) -> LogFilterForm:
    form = LogFilterForm(request.args)
    _link_choices(form, session)
    return form


@bp.route("/")
@require("read")
def index():
    """List the entries, newest first, with filters."""
    session = get_session()
    form = _filter_form(session)
    flt = _filter(form)
    page = svc.list_activities(session, flt, request.args.get("page", 1, type=int))
    # Entries may name a participant: a read of the log is recorded, never the filter's values.
    audit_here("read", "activity", None, f"journal, page {page.page}" + ("" if flt.is_empty else ", filtré"))
    session.commit()
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("activities/index.html", page=page, form=form, args=args)


@bp.route("/export.xlsx")
@require("read")
def export():
    """Download the filtered list as a spreadsheet."""
    session, scope = get_session(), current_scope()
    flt = _filter(_filter_form(session))
    data = svc.activity_log_xlsx(session, scope.organisation_id, flt, date.today())
    audit_here("export", "activity", None, "extrait du journal d'activité")
    session.commit()
    return send_download(data, XLSX_TYPE, f"journal-activite-{date.today():%Y-%m-%d}.xlsx")


def _edit(activity: Activity | None):
    session, scope = get_session(), current_scope()
    form = ActivityEditForm()
    _link_choices(form, session)
    if request.method == "GET":
        if activity is not None:
            form.process(obj=activity)
            form.kind.data = activity.kind.value
            form.quantity.data = activity.quantity if activity.quantity != 1 else None
        else:
            form.occurred_on.data = date.today()
            form.kind.data = request.args.get("type") or form.kind.data
            for name in ("company_id", "buyer_id", "fse_operation_id"):
                if request.args.get(name, type=int):
                    form[name].data = request.args.get(name, type=int)
    if form.validate_on_submit():
        upload = form.minutes.data
        minutes = (upload.filename or "", upload.read()) if upload and getattr(upload, "filename", "") else None
        data = {name: value for name, value in form.data.items() if name not in ("csrf_token", "minutes")}
        try:
            saved = svc.save_activity(session, scope, data, activity, author=actor_for(session, scope),
                                      today=date.today(), minutes=minutes)
        except ServiceError as exc:
            # Every typed value stays in the form; only the file must be chosen again.
            session.rollback()
            attach_error(form, exc)
        else:
            audit_here("create" if activity is None else "update", "activity", saved.id)
            session.commit()
            flash("Entrée du journal enregistrée" + (" avec son compte rendu." if minutes else "."), "success")
            return redirect(url_for("activities.detail", activity_id=saved.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("activities/form.html", form=form, activity=activity)


@bp.route("/nouvelle", methods=["GET", "POST"])
@require("manage_fse")
def new():
    """Record an entry."""
    return _edit(None)


@bp.route("/<int:activity_id>/modifier", methods=["GET", "POST"])
@require("manage_fse")
def edit(activity_id: int):
    """Edit an entry."""
    return _edit(get_or_404(Activity, activity_id))


@bp.route("/<int:activity_id>")
@require("read")
def detail(activity_id: int):
    """Show an entry, its links and its compte rendu."""
    session = get_session()
    activity = get_or_404(Activity, activity_id)
    audit_here("read", "activity", activity.id)
    session.commit()
    return render_template("activities/detail.html", activity=activity)
