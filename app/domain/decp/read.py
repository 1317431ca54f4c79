"""Read a DECP file: the 2024 JSON, the older flat v1 JSON, or a consolidated CSV export.

Tolerant by design (DOMAIN.md §10): a record that cannot be used is reported and skipped, the file
is refused only when it is not DECP at all.
"""

from __future__ import annotations

import csv
import io
import json
import re

from app.domain.decp.collect import Collector
from app.domain.decp.model import CONCESSION, MARCHE, DecpError, DecpFile
from app.domain.decp.records import as_list, read_record, strip_keys

# Normalised CSV header (lower case, letters and digits only) → the JSON name the record reader knows.
_CSV_COLUMNS = {
    "id": "id", "idmarche": "id", "identifiant": "id",
    "acheteurid": "acheteur", "acheteursiret": "acheteur", "siretacheteur": "acheteur",
    "autoriteconcedanteid": "acheteur",
    "acheteurnom": "acheteur_nom", "nomacheteur": "acheteur_nom",
    "titulaireid": "titulaire", "titulairesiret": "titulaire", "titulaireid1": "titulaire",
    "sirettitulaire": "titulaire",
    "titulairetypeidentifiant": "titulaire_type", "titulairetypeidentifiant1": "titulaire_type",
    "titulairedenominationsociale": "titulaire_nom", "titulairedenominationsociale1": "titulaire_nom",
    "nature": "nature", "objet": "objet", "codecpv": "codeCPV", "cpv": "codeCPV",
    "procedure": "procedure", "montant": "montant", "dureemois": "dureeMois",
    "datenotification": "dateNotification", "considerationssociales": "considerationsSociales",
    "techniques": "techniques", "technique": "techniques",
}


def parse_decp(data: bytes) -> DecpFile:
    """Return the contracts of a DECP file and what was doubtful, or raise DecpError."""
    if b"\x00" in data[:4096]:
        raise DecpError("ce fichier n'est ni du JSON ni du CSV (contenu binaire).")
    text = _decode(data)
    if not text.strip():
        raise DecpError("le fichier est vide.")
    if text.lstrip()[:1] in "{[":
        return _parse_json(text)
    return _parse_csv(text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # French exports from older tools are often Windows-1252.
        return data.decode("cp1252", errors="replace")


def _parse_json(text: str) -> DecpFile:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (ligne {exc.lineno}, colonne {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise DecpError(f"le fichier JSON est mal formé{where}.") from None
    marches = strip_keys(document).get("marches") if isinstance(document, dict) else None
    if isinstance(marches, dict):
        marches = strip_keys(marches)
        collector = Collector("v2")
        records = [(MARCHE, record) for record in as_list(marches.get("marche"))]
        records += [(CONCESSION, record) for record in as_list(marches.get("contrat-concession"))]
    elif isinstance(marches, list):
        collector = Collector("v1")
        records = [(None, record) for record in marches]
    else:
        raise DecpError("format non reconnu : ni le JSON DECP 2024 ({\"marches\": {\"marche\": [...]}}) "
                        "ni le JSON v1 ({\"marches\": [...]}).")
    for index, (kind, record) in enumerate(records):
        read_record(collector, index, record, kind, f"Enregistrement n° {index + 1}")
    collector.result.records = len(records)
    if not records:
        collector.warn("no_records", "Le fichier ne contient aucun marché.")
    return collector.result


def _parse_csv(text: str) -> DecpFile:
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(";,\t|", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
        columns = {_CSV_COLUMNS[name]: index for index, name in reversed(list(enumerate(map(_normalise, header))))
                   if name in _CSV_COLUMNS}
    except csv.Error:
        raise DecpError("le fichier CSV est illisible.") from None
    if "id" not in columns or "acheteur" not in columns:
        raise DecpError("format non reconnu : ni JSON, ni CSV DECP (colonnes « id » et « acheteur_id » "
                        "introuvables dans la première ligne).")
    collector = Collector("csv", rows_per_holder=True)
    count = 0
    try:
        for index, row in enumerate(reader):
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            values = {name: row[position] if position < len(row) else "" for name, position in columns.items()}
            read_record(collector, index, _row_to_record(values), None, f"Ligne {index + 2}")
    except csv.Error as exc:
        collector.warn("unreadable_rows", f"Lecture du CSV arrêtée ligne {reader.line_num} : {exc}.")
    collector.result.records = count
    if not count:
        collector.warn("no_records", "Le fichier ne contient aucun marché.")
    return collector.result


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def _row_to_record(values: dict[str, str]) -> dict:
    record = {key: value for key, value in values.items()
              if key not in ("acheteur", "acheteur_nom", "titulaire", "titulaire_type", "titulaire_nom")}
    record["acheteur"] = {"id": values["acheteur"], "nom": values.get("acheteur_nom", "")}
    if values.get("titulaire", "").strip():
        record["titulaires"] = [{"typeIdentifiant": values.get("titulaire_type", ""), "id": values["titulaire"],
                                 "denominationSociale": values.get("titulaire_nom", "")}]
    if "concession" in values.get("nature", "").lower():
        record["autoriteConcedante"] = record.pop("acheteur")
        record["concessionnaires"] = record.pop("titulaires", [])
        record["valeurGlobale"] = record.pop("montant", "")
    return record
