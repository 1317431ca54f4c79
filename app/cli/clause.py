"""``clausier clause``: write a tender's clause pack (CCAP article, RC, AE annex, note de calcul).

Pure command: reads a JSON file (docs/clause-render-input.md), needs no database. Exit codes:
0 written (with ``--pdf`` and no LibreOffice, DOCX only and a notice on stderr); 1 the PDF
conversion or a template failed; 2 bad input (file, JSON or fields), nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.cli.french import CliError, CliInputError, FrenchGroup, require_options
from app.domain.clauses.pack import ClauseInputError, attention_points, render_clause_pack
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import DocumentError
from app.domain.numbers import parse_decimal_fr
from app.pdf import DEFAULT_TIMEOUT, PdfConversionError, convert_to_pdf, pdf_available

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a tender description, not a data dump
JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets doubles attendu",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Extra data": "contenu en trop après la fin de l'objet JSON",
    "Invalid control character at": "caractère de contrôle interdit",
}


@click.group(name="clause", cls=FrenchGroup,
             help="Rédiger la clause sociale d'un marché : article du CCAP, mention du RC, "
                  "annexe à l'acte d'engagement et note de calcul.")
def clause() -> None:
    """Group the clause-pack commands."""


def _read_input(ctx: click.Context, path: Path) -> dict:
    """Load the JSON input, or raise CliInputError with a French reason."""
    if not path.is_file():
        raise CliInputError(f"fichier introuvable : {path}.", ctx.command_path)
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise CliInputError(f"le fichier {path.name} est trop volumineux (2 Mo au plus).", ctx.command_path)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise CliInputError(f"le fichier {path.name} n'est pas encodé en UTF-8.",
                            ctx.command_path) from None
    except json.JSONDecodeError as exc:
        raise CliInputError(f"JSON invalide dans {path.name}, ligne {exc.lineno}, colonne {exc.colno} : "
                            f"{JSON_MESSAGES.get(exc.msg, exc.msg)}.", ctx.command_path) from None


@clause.command("render", short_help="Produire le dossier de clause à partir d'un fichier JSON.",
                help="Produire le dossier de clause (ccap_article, rc_mention, ae_annex, note_calcul) "
                     "à partir d'un fichier JSON décrivant le marché (voir docs/clause-render-input.md).")
@click.option("--input", "input_path", metavar="FICHIER",
              help="Fichier JSON décrivant le marché (obligatoire).")
@click.option("--out", "out_dir", metavar="DOSSIER", help="Dossier où écrire les documents (obligatoire).")
@click.option("--pdf", is_flag=True, help="Produire aussi les PDF, en une seule conversion LibreOffice.")
@click.option("--timeout", default=str(int(DEFAULT_TIMEOUT)), metavar="SECONDES",
              help=f"Délai maximal de la conversion PDF (défaut : {int(DEFAULT_TIMEOUT)} s).")
@click.pass_context
def render(ctx, input_path, out_dir, pdf, timeout):
    """Render the clause pack of one tender to a directory."""
    require_options(ctx, input=input_path, out=out_dir)
    try:
        seconds = float(parse_decimal_fr(timeout, label="le délai"))
    except ValueError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None
    try:
        request = parse_clause_input(_read_input(ctx, Path(input_path)))
    except ClauseInputError as exc:
        raise CliInputError(str(exc), ctx.command_path) from None
    try:
        files = render_clause_pack(request)
    except DocumentError as exc:
        raise CliError(f"Échec de la production des documents : {exc}") from None
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
    except OSError as exc:
        raise CliInputError(f"impossible d'écrire dans {target} ({exc.strerror}).",
                            ctx.command_path) from None
    for name in files:
        click.echo(f"Écrit : {target / name}")
    # Points d'attention are for the facilitator, never printed in the DCE documents.
    for point in attention_points(request):
        click.echo(f"Point d'attention : {point}", err=True)
    if not pdf:
        return
    available, reason = pdf_available()
    if not available:
        click.echo(f"PDF non produits : {reason}", err=True)
        return
    try:
        pdfs = convert_to_pdf(files, timeout=seconds)
    except PdfConversionError as exc:
        raise CliError(f"{exc} Les fichiers DOCX ont bien été écrits.") from None
    for name, data in pdfs.items():
        path = target / f"{Path(name).stem}.pdf"
        path.write_bytes(data)
        click.echo(f"Écrit : {path}")
