"""Generate a clause pack (DOCX, and PDF when LibreOffice is there) in a job, and keep its files."""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import db
from app.domain.clauses.pack import CLAUSE_PACK_DOCUMENTS, ClauseInputError
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import DocumentError, docx_text
from app.models import ClausePack, StoredFile
from app.pdf import PdfConversionError, convert_to_pdf, pdf_available
from app.services.doc_templates import active_template, render_template
from app.services.files import DOCX_TYPE, PDF_TYPE, store_file
from app.services.jobs import JobFailure

OWNER = "clause_pack"
TITLES = {"ccap_article": "Article CCAP", "rc_mention": "Mention RC-AAPC", "ae_annex": "Annexe AE",
          "note_calcul": "Note de calcul"}


def run_clause_pack(pack_id: int, progress=lambda pct, msg: None) -> None:
    """Render the pack's four documents from its stored input; re-running replaces its files."""
    with db.session_scope() as session:
        pack = session.get(ClausePack, pack_id)
        if pack is None:
            raise JobFailure("Ce dossier de clause n'existe plus.")
        data = dict(pack.request)
        with_pdf = bool(data.pop("with_pdf", False))
        templates = {kind: active_template(session, pack.organisation_id, kind) for kind in CLAUSE_PACK_DOCUMENTS}
        reference = pack.tender.reference
    progress(15, "Rédaction de l'article, de la mention, de l'annexe et de la note de calcul…")
    try:
        request = parse_clause_input(data)
        files = {kind: render_template(templates[kind], build(request)) for kind, build in CLAUSE_PACK_DOCUMENTS.items()}
    except (ClauseInputError, DocumentError) as exc:
        raise JobFailure(f"Le dossier n'a pas pu être rédigé : {exc}") from None
    pdfs, note = {}, ""
    if with_pdf:
        available, reason = pdf_available()
        if available:
            progress(55, "Conversion en PDF (LibreOffice)…")
            try:
                pdfs = convert_to_pdf({f"{kind}.docx": content for kind, content in files.items()})
            except PdfConversionError as exc:
                note = f"PDF non produits : {exc}. Les documents Word sont disponibles."
        else:
            note = f"PDF non produits : {reason} Les documents Word sont disponibles."
    progress(90, "Enregistrement des fichiers…")
    with db.session_scope() as session:
        pack = session.get(ClausePack, pack_id)
        session.execute(delete(StoredFile).where(StoredFile.owner_kind == OWNER, StoredFile.owner_id == pack_id))
        safe_ref = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)[:60]
        for kind, content in files.items():
            base = f"{TITLES[kind].replace(' ', '-')}-{safe_ref}"
            store_file(session, pack.organisation_id, OWNER, pack_id, f"{base}.docx", DOCX_TYPE, content)
            if f"{kind}.docx" in pdfs:
                store_file(session, pack.organisation_id, OWNER, pack_id, f"{base}.pdf", PDF_TYPE, pdfs[f"{kind}.docx"])
        pack.template_versions = {kind: {"version_id": t.version_id, "label": t.label} for kind, t in templates.items()}
        pack.pdf_note = note


def pack_files(session: Session, pack_id: int) -> list[StoredFile]:
    """Return the files of a pack (without loading their bytes)."""
    return session.scalars(select(StoredFile).where(StoredFile.owner_kind == OWNER, StoredFile.owner_id == pack_id)
                           .order_by(StoredFile.id)).all()


def article_preview(session: Session, pack_id: int) -> list[str]:
    """Return the CCAP article's paragraphs, for the pack page."""
    stored = next((f for f in pack_files(session, pack_id) if f.name.startswith("Article-CCAP")
                   and f.name.endswith(".docx")), None)
    if stored is None:
        return []
    return [line for line in docx_text(stored.data).splitlines() if line.strip()]
