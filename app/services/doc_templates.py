"""Document templates: the one each document kind renders from, uploads vetted in the sandbox,
versions kept, and generated documents that remember the version they used. Callers commit.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain.clauses.kinds import CLAUSE_KINDS
from app.domain.documents.kinds import DocKind, check_kind_template
from app.domain.documents.docx_safety import MAX_DOCX_BYTES
from app.domain.documents.rendering import DocumentError, render_docx
from app.domain.formats import format_date_fr
from app.domain.liaison.kinds import LIAISON_KINDS
from app.domain.reports.kinds import REPORT_KINDS
from app.models import DocTemplate, StoredFile
from app.models.base import utcnow
from app.pdf import PdfConversionError, convert_to_pdf, pdf_available
from app.sandbox import SandboxLimits, SandboxRefusal, run_sandboxed
from app.services.actors import as_utc
from app.services.files import DOCX_TYPE, PDF_TYPE, store_file
from app.services.referential import ServiceError

DEFAULT_LABEL = "modèle par défaut"
# Each job declares its own customisable kinds; the catalogue is assembled here, so the rendering
# toolkit (domain/documents) never imports a job package.
DOC_KINDS: dict[str, DocKind] = {kind.key: kind for kind in (*LIAISON_KINDS, *CLAUSE_KINDS, *REPORT_KINDS)}
PARIS = ZoneInfo("Europe/Paris")
# An administrator's template is code (Jinja): the sandboxed environment refuses the known memory
# bombs, these limits stop the rest (« '%999999999s' % x », int.to_bytes, loops holding a worker).
# A real template renders in well under a second; the upload check answers within 5 s.
TEMPLATE_LIMITS = SandboxLimits(memory_mb=1024, cpu_seconds=4, wall_seconds=5.0)


@dataclass(frozen=True)
class ActiveTemplate:
    """The template a document kind renders from: its bytes and which version it is."""

    data: bytes
    version_id: int | None  # None: the default template shipped in templates_docs/
    label: str  # « modèle par défaut » or « version 3 du 22/11/2026 »


class TemplateRejected(ServiceError):
    """An uploaded template was refused; ``problems`` lists every reason, in French."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Le modèle a été refusé : " + " ".join(problems), "file")
        self.problems = problems


def version_label(template: DocTemplate) -> str:
    """Return « version 3 du 22/11/2026 » (the upload day in Paris)."""
    day = as_utc(template.uploaded_at).astimezone(PARIS).date()
    return f"version {template.version} du {format_date_fr(day)}"


def find_kind(kind: str) -> DocKind:
    """Return the document kind ``kind`` or refuse it in French."""
    try:
        return DOC_KINDS[kind]
    except KeyError:
        raise ServiceError(f"Type de document inconnu : « {kind} ».") from None


def active_template(session: Session, organisation_id: int, kind: str) -> ActiveTemplate:
    """Return the organisation's active template for ``kind``, else the default one."""
    doc_kind = find_kind(kind)
    row = session.scalar(select(DocTemplate).where(
        DocTemplate.organisation_id == organisation_id, DocTemplate.kind == kind, DocTemplate.is_active)
        .order_by(DocTemplate.version.desc()).limit(1))
    if row is None:
        return ActiveTemplate(doc_kind.template_path.read_bytes(), None, DEFAULT_LABEL)
    return ActiveTemplate(row.file.data, row.id, version_label(row))


def template_versions(session: Session, organisation_id: int, kind: str) -> list[DocTemplate]:
    """Return every uploaded version of ``kind``, newest first."""
    return list(session.scalars(select(DocTemplate).where(
        DocTemplate.organisation_id == organisation_id, DocTemplate.kind == kind)
        .order_by(DocTemplate.version.desc())))


def upload_template(session: Session, organisation_id: int, kind: str, filename: str, data: bytes,
                    user_id: int | None) -> DocTemplate:
    """Vet an uploaded DOCX for ``kind`` and make it the active version; store nothing if refused."""
    find_kind(kind)
    name = PurePath(filename or "").name
    problems = []
    if not name.lower().endswith(".docx"):
        problems.append(f"Le fichier « {name or 'sans nom'} » n'a pas l'extension .docx : déposez un "
                        "document Word enregistré au format .docx.")
    if len(data) > MAX_DOCX_BYTES:
        problems.append(f"Le fichier dépasse {MAX_DOCX_BYTES // 1024 // 1024} Mo.")
    if not problems:
        # Sandboxed parse, variables against the kind's, then one sample render, in a limited child.
        try:
            problems = run_sandboxed(check_kind_template, find_kind(kind), data, sandbox_limits=TEMPLATE_LIMITS)
        except SandboxRefusal as exc:
            problems = [exc.template_message_fr]
    if problems:
        raise TemplateRejected(problems)
    version = (session.scalar(select(func.max(DocTemplate.version)).where(
        DocTemplate.organisation_id == organisation_id, DocTemplate.kind == kind)) or 0) + 1
    stored = store_file(session, organisation_id, "doc_template", 0, name, DOCX_TYPE, data)
    _deactivate(session, organisation_id, kind)
    template = DocTemplate(organisation_id=organisation_id, kind=kind, version=version, file_id=stored.id,
                           original_name=name[:200], uploaded_by_id=user_id, uploaded_at=utcnow(), is_active=True)
    session.add(template)
    session.flush()
    stored.owner_id = template.id
    session.flush()
    return template


def _deactivate(session: Session, organisation_id: int, kind: str) -> None:
    session.execute(update(DocTemplate).where(
        DocTemplate.organisation_id == organisation_id, DocTemplate.kind == kind, DocTemplate.is_active)
        .values(is_active=False).execution_options(synchronize_session="fetch"))


def activate_version(session: Session, template: DocTemplate) -> None:
    """Make an earlier uploaded version the active one again."""
    _deactivate(session, template.organisation_id, template.kind)
    template.is_active = True
    session.flush()


def revert_to_default(session: Session, organisation_id: int, kind: str) -> None:
    """Go back to the default template: no uploaded version stays active (all are kept)."""
    find_kind(kind)
    _deactivate(session, organisation_id, kind)
    session.flush()


def render_template(template: ActiveTemplate, context: dict) -> bytes:
    """Render ``template`` with ``context``; an uploaded one renders in a limited child process.

    The default templates ship with the code and render in-process, with their parsed form
    cached; an administrator's upload may ask for gigabytes or minutes, so it gets the limits.
    Raise DocumentError (French) when the template fails or breaks a limit.
    """
    if template.version_id is None:
        return render_docx(template.data, context)
    try:
        return run_sandboxed(render_docx, template.data, context, sandbox_limits=TEMPLATE_LIMITS)
    except SandboxRefusal as exc:
        raise DocumentError(exc.template_message_fr) from exc


def render_and_store(session: Session, row, *, organisation_id: int, owner_kind: str, kind: str,
                     context: dict, base_name: str, with_pdf: bool = True) -> None:
    """Render ``kind`` for ``row`` (a Fiche or Convention), store DOCX and PDF, record the version."""
    template = active_template(session, organisation_id, kind)
    try:
        docx = render_template(template, context)
    except DocumentError as exc:
        raise ServiceError(f"Le document n'a pas pu être produit avec le {template.label} : {exc}") from exc
    pdf, note = None, ""
    if with_pdf:
        available, reason = pdf_available()
        if not available:
            note = reason
        else:
            try:
                pdf = convert_to_pdf({f"{base_name}.docx": docx})[f"{base_name}.docx"]
            except PdfConversionError as exc:
                note = str(exc)
    old = [file_id for file_id in (row.docx_file_id, row.pdf_file_id) if file_id]
    row.docx_file_id = store_file(session, organisation_id, owner_kind, row.id, f"{base_name}.docx",
                                  DOCX_TYPE, docx).id
    row.pdf_file_id = (store_file(session, organisation_id, owner_kind, row.id, f"{base_name}.pdf",
                                  PDF_TYPE, pdf).id if pdf is not None else None)
    row.template_version_id, row.template_label = template.version_id, template.label
    row.document_generated_at, row.pdf_note = utcnow(), note[:500]
    session.flush()
    # Only the latest document of a row is kept: the row records the version it came from.
    for file_id in old:
        stale = session.get(StoredFile, file_id)
        if stale is not None:
            session.delete(stale)
    session.flush()


def generated_on_label(moment: datetime | None) -> str:
    """Return « 22/11/2026 à 14:05 » (Paris time) for a generation timestamp."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(PARIS)
    return f"{format_date_fr(local.date())} à {local:%H:%M}"
