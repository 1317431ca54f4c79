"""Home page with the four jobs, and the status of background jobs."""

from flask import Blueprint, jsonify, render_template, request
from flask_login import login_required
from sqlalchemy import func, select

from app.domain.enums import Role
from app.models import Company, Job, Lot, Participant, Placement, Siae, Tender
from app.web.context import current_scope, get_or_404, get_session
from app.web.navigation import cards_for
from app.web.redirects import safe_local_path

bp = Blueprint("main", __name__)

@bp.route("/")
@login_required
def home():
    """Show the jobs this role does (app/web/navigation.py), and a few counts of its own data."""
    scope = current_scope()
    session = get_session()
    counts = {
        "tenders": session.scalar(select(func.count(Tender.id))),
        "lots": session.scalar(select(func.count(Lot.id))),
        "participants": session.scalar(select(func.count(Participant.id))),
        "placements": session.scalar(select(func.count(Placement.id))),
    }
    structure = None
    if scope.role == Role.SIAE:
        structure = session.get(Siae, scope.siae_id)
    elif scope.role == Role.ENTREPRISE:
        structure = session.get(Company, scope.company_id)
    return render_template("home.html", cards=cards_for(scope), counts=counts, structure=structure)


JOB_TITLES = {
    "analyse_data_import": "Lecture d'un fichier à importer",
    "analyse_timesheet": "Lecture d'un relevé d'heures",
    "confirm_data_import": "Enregistrement d'un import de données",
    "build_dossier": "Constitution du dossier FSE+",
    "export_impact": "Export du tableau d'impact",
    "generate_bilan": "Rédaction d'un bilan",
    "generate_clause_pack": "Rédaction du dossier de clause",
    "summarise_tender_progress": "Recomptage des heures réalisées",
}


@bp.route("/taches/<int:job_id>")
@login_required
def job_status(job_id: int):
    """Show a background job's progress; ``suite`` is where to go once it is done."""
    following = safe_local_path(request.args.get("suite")) or ""
    job = get_or_404(Job, job_id)
    title = JOB_TITLES.get(job.kind, "Traitement en cours")
    return render_template("job.html", job=job, title=title, next_url=following)


@bp.route("/taches/<int:job_id>.json")
@login_required
def job_status_json(job_id: int):
    """Return a background job's progress for the page's script."""
    job = get_or_404(Job, job_id)
    return jsonify(status=job.status.value, label=job.status.label, progress=job.progress, message=job.message)
