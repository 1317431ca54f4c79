"""Download a stored file the signed-in user may see."""

from pathlib import PurePosixPath

from flask import Blueprint, abort

from app.models import Job, StoredFile
from app.services.reports import impact_export
from app.web.context import audit_here, current_scope, get_or_404, get_session, require, send_download

bp = Blueprint("files", __name__)
# Documents with no personal data keep their descriptive names; any other file leaves with an
# opaque one, so that a participant's or a structure's name never lands in a downloads folder.
DESCRIPTIVE_NAMES = frozenset({"clause_pack", "doc_template"})
# Documents Clausier generates get a human name made of what they are and their number only:
# « convention-12.pdf », never a person's or a company's name.
GENERATED_NAMES = {
    "fiche": "fiche-de-liaison",
    "convention": "convention",
    "bilan": "bilan",
    "dossier": "dossier-fse",
    "fse_operation": "piece-operation-fse",
    # An uploaded compte rendu of the activity log: its upload name may hold a person's name.
    "activity_minutes": "compte-rendu",
    "dossier_consolide": "dossier-consolide",
}


def download_name(stored: StoredFile) -> str:
    """Return the name a downloaded file gets."""
    suffix = PurePosixPath(stored.name).suffix.lower()[:8]
    if stored.owner_kind in DESCRIPTIVE_NAMES:
        return stored.name
    if stored.owner_kind in GENERATED_NAMES:
        return f"{GENERATED_NAMES[stored.owner_kind]}-{stored.owner_id}{suffix}"
    return f"clausier-{stored.sha256[:12]}{suffix}"


@bp.route("/fichiers/<int:file_id>")
@require("read", "read_own")
def download(file_id: int):
    """Send a stored file as an attachment (404 when it is not in the user's scope)."""
    stored = get_or_404(StoredFile, file_id)
    if stored.owner_kind == impact_export.OWNER:
        # A tableau d'impact written in the background is for the user who asked, like its page.
        job = get_session().get(Job, stored.owner_id)
        if job is None or job.user_id != current_scope().user_id:
            abort(404)
    audit_here("export", stored.owner_kind, stored.owner_id, "téléchargement d'un fichier")
    get_session().commit()
    return send_download(stored.data, stored.content_type, download_name(stored))
