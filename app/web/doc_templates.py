"""Document templates: one page per kind with its variables, the default to download, uploads and versions."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for

from app.domain.formats import format_count, format_number
from app.models import DocTemplate
from app.services import doc_templates as svc
from app.services.files import DOCX_TYPE
from app.services.referential import ServiceError
from app.web.context import current_scope, get_or_404, get_session, require
from forms.doc_templates import TemplateUploadForm

bp = Blueprint("doc_templates", __name__, url_prefix="/modeles")
MAX_EXAMPLE = 160


def example_text(value) -> str:
    """Show an example value in one short line (lists and nested items summarised)."""
    if isinstance(value, bool):
        text = "Vrai" if value else "Faux"
    elif isinstance(value, int):
        text = format_number(value)
    elif isinstance(value, dict):
        text = " ; ".join(f"{key} = {example_text(item)}" for key, item in value.items())
    elif isinstance(value, (list, tuple)):
        text = f"{format_count(len(value), 'élément')} : " + " | ".join(example_text(item) for item in value[:2])
        if len(value) > 2:
            text += " | …"
    else:
        text = str(value)
    return text if len(text) <= MAX_EXAMPLE else text[:MAX_EXAMPLE - 1] + "…"


def _kind(kind: str):
    if kind not in svc.DOC_KINDS:
        abort(404)
    return svc.DOC_KINDS[kind]


@bp.route("/")
@require("read")
def index():
    """List the document kinds and the template each one uses."""
    session, scope = get_session(), current_scope()
    rows = [(kind, svc.active_template(session, scope.organisation_id, kind.key).label) for kind in svc.DOC_KINDS.values()]
    return render_template("doc_templates/index.html", rows=rows)


@bp.route("/<kind>")
@require("read")
def detail(kind: str):
    """Show a kind's variables with an example, its versions, and the upload form."""
    doc_kind = _kind(kind)
    session, scope = get_session(), current_scope()
    form = TemplateUploadForm(formdata=None) if scope.can("manage_reference") else None
    return _render_detail(doc_kind, form, [], session, scope)


def _render_detail(doc_kind, form, problems, session, scope, status: int = 200):
    active = svc.active_template(session, scope.organisation_id, doc_kind.key)
    versions = svc.template_versions(session, scope.organisation_id, doc_kind.key)
    variables = [(name, description, example_text(example))
                 for name, (description, example) in sorted(doc_kind.variables.items())]
    return render_template("doc_templates/detail.html", kind=doc_kind, active=active, versions=versions,
                           variables=variables, form=form, problems=problems,
                           version_label=svc.version_label), status


@bp.route("/<kind>/modele-par-defaut.docx")
@require("read")
def default_docx(kind: str):
    """Download the default template, a starting point for a customised one."""
    doc_kind = _kind(kind)
    return send_file(io.BytesIO(doc_kind.template_path.read_bytes()), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name=doc_kind.default_template, max_age=0)


@bp.route("/<kind>", methods=["POST"])
@require("manage_reference")
def upload(kind: str):
    """Vet and store an uploaded template; a refusal lists every problem and stores nothing."""
    doc_kind = _kind(kind)
    session, scope = get_session(), current_scope()
    form = TemplateUploadForm()
    if not form.validate_on_submit():
        flash("Choisissez le fichier .docx du modèle.", "error")
        return _render_detail(doc_kind, form, [], session, scope, 400)
    upload_file = form.file.data
    try:
        template = svc.upload_template(session, scope.organisation_id, kind, upload_file.filename or "",
                                       upload_file.read(), scope.user_id)
    except svc.TemplateRejected as exc:
        session.rollback()
        flash("Le modèle a été refusé : rien n'a été enregistré. Corrigez les points ci-dessous.", "error")
        return _render_detail(doc_kind, form, exc.problems, session, scope, 422)
    except ServiceError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("doc_templates.detail", kind=kind))
    session.commit()
    flash(f"Modèle accepté : {svc.version_label(template)}, utilisée désormais pour « {doc_kind.label_fr} ».",
          "success")
    return redirect(url_for("doc_templates.detail", kind=kind))


@bp.route("/<kind>/versions/<int:template_id>/activer", methods=["POST"])
@require("manage_reference")
def activate(kind: str, template_id: int):
    """Use an earlier uploaded version again."""
    template = get_or_404(DocTemplate, template_id)
    if template.kind != kind:
        abort(404)
    svc.activate_version(get_session(), template)
    get_session().commit()
    flash(f"Le modèle utilisé est maintenant la {svc.version_label(template)}.", "success")
    return redirect(url_for("doc_templates.detail", kind=kind))


@bp.route("/<kind>/par-defaut", methods=["POST"])
@require("manage_reference")
def revert(kind: str):
    """Go back to the default template (uploaded versions are kept)."""
    _kind(kind)
    svc.revert_to_default(get_session(), current_scope().organisation_id, kind)
    get_session().commit()
    flash("Le modèle par défaut est de nouveau utilisé.", "success")
    return redirect(url_for("doc_templates.detail", kind=kind))
