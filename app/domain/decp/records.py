"""Read one DECP record (2024 JSON, v1 JSON or a CSV row already mapped to JSON names)."""

from __future__ import annotations

from app.domain.decp import fields
from app.domain.decp.collect import Collector
from app.domain.decp.model import CONCESSION, MARCHE, DecpContract, Holder


def strip_keys(value: dict) -> dict:
    """Return the dict with its keys stripped (real files carry « montant  » or « id »)."""
    for key in value:  # a plain loop: this runs on every object of a 100 000-record file
        if type(key) is str and key != key.strip():
            break
    else:
        return value
    return {key.strip() if isinstance(key, str) else key: item for key, item in value.items()}


def as_list(value: object) -> list:
    """Return a list for a list, a single object or nothing."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _inner(item: object, wrapper: str) -> dict | None:
    # The 2024 schema wraps each holder: [{"titulaire": {...}}]; v1 lists them bare.
    if not isinstance(item, dict):
        return None
    item = strip_keys(item)
    inner = item.get(wrapper)
    return strip_keys(inner) if isinstance(inner, dict) else item


def _kind_of(record: dict) -> str:
    nature = fields.text(record.get("_type") or record.get("nature"), 80).lower()
    if "autoriteConcedante" in record or "concession" in nature or "délégation" in nature:
        return CONCESSION
    return MARCHE


def _is_framework(value: object) -> bool:
    if isinstance(value, dict):
        value = value.get("technique")
    names = [fields.text(item, 80) for item in as_list(value)]
    return any("accord-cadre" in name.lower() or "accord cadre" in name.lower() for name in names)


def read_record(collector: Collector, index: int, record: object, kind: str | None, where: str) -> None:
    """Read one record into the collector; warn and skip it when it has no usable key."""
    if not isinstance(record, dict):
        collector.warn("invalid_record", f"{where} : ce n'est pas un objet (ignoré).", index)
        return
    record = strip_keys(record)
    kind = kind or _kind_of(record)
    is_concession = kind == CONCESSION
    buyer = record.get("autoriteConcedante") if is_concession else None
    buyer = buyer if buyer is not None else record.get("acheteur")
    buyer = strip_keys(buyer) if isinstance(buyer, dict) else {"id": buyer}
    siret, problem = fields.read_siret(buyer.get("id"))
    if siret is None:
        collector.warn("invalid_buyer_siret", f"{where} : {problem} pour l'acheteur (ignoré).", index)
        return
    contract_id = fields.text(record.get("id"), 80)
    if not contract_id:
        collector.warn("missing_id", f"{where} : identifiant du marché absent (ignoré).", index)
        return
    contract = DecpContract(siret, contract_id, index, kind, buyer_name=fields.text(buyer.get("nom"), 200))
    contract.nature = fields.text(record.get("nature"), 80)
    contract.object = fields.text(record.get("objet"))
    contract.procedure = fields.text(record.get("procedure"), 120)
    contract.is_framework = _is_framework(record.get("techniques"))
    problems = []
    contract.cpv, problem = fields.read_cpv(record.get("codeCPV"))
    problems.append(problem)
    contract.amount, problem = fields.read_amount(record.get("valeurGlobale" if is_concession else "montant"))
    problems.append(problem)
    contract.duration_months, problem = fields.read_months(record.get("dureeMois"))
    problems.append(problem)
    day = record.get("dateSignature") or record.get("dateDebutExecution") if is_concession else None
    contract.notified_on, problem = fields.read_date(day or record.get("dateNotification"))
    problems.append(problem)
    contract.social, unknown = fields.read_social(record.get("considerationsSociales"))
    problems.extend(f"considération sociale « {value} » inconnue" for value in unknown[:3])
    wrapper = "concessionnaire" if is_concession else "titulaire"
    for item in as_list(record.get("concessionnaires" if is_concession else "titulaires")):
        holder = _holder(_inner(item, wrapper))
        if isinstance(holder, str):
            problems.append(holder)
        elif holder is not None:
            contract.add_holder(holder)
    for problem in filter(None, problems):
        collector.warn("invalid_value", f"{where} (marché {contract_id}) : {problem}.", index)
    collector.add(contract, where)


def _holder(item: dict | None) -> Holder | str | None:
    """Return the holder, a French problem, or None when the item carries nothing."""
    if item is None:
        return "titulaire illisible"
    id_type = fields.text(item.get("typeIdentifiant"), 20).upper() or "SIRET"
    name = fields.text(item.get("denominationSociale"), 200)
    if id_type != "SIRET":
        raw = fields.text(item.get("id"), 40)
        return Holder(raw, id_type, name) if raw else None
    siret, problem = fields.read_siret(item.get("id"))
    if siret is None:
        return f"{problem} pour un titulaire"
    return Holder(siret, "SIRET", name)
