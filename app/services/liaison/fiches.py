"""Fiches de liaison: save a draft, submit it, follow its status, produce its documents and the
list of open needs. Callers commit.
"""

from dataclasses import fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.fr import siret as stdnum_siret

from app.access import Scope
from app.domain.enums import ContractType, Modality
from app.domain.liaison.fiche import (
    FicheData, FieldProblem, build_fiche_context, missing_fields, normalise_rome_code, validate_fiche,
)
from app.domain.liaison.need_hours import estimate_need_hours
from app.domain.liaison.open_needs import build_open_needs_xlsx, open_need_from_fiche
from app.domain.liaison.workflow import FicheStatus, transition
from app.models import Company, Fiche, FicheStatusChange, Lot, Organisation, Tender
from app.models.base import utcnow
from app.models.fiches import CREATED_BY_FACILITATOR
from app.services.actors import Actor, as_utc
from app.services.doc_templates import PARIS, render_and_store
from app.services.referential import ServiceError

# The modalities a company may ask for on a fiche (issue #4): hire, lending by an SIAE/GEIQ, subcontracting.
FICHE_MODALITIES = (Modality.EMBAUCHE_DIRECTE, Modality.ETTI, Modality.AI, Modality.GEIQ, Modality.SOUS_TRAITANCE)
# FicheData.lot is stored as ``lot_label``: ``Fiche.lot`` is the relationship to the Lot row.
_COLUMN = {"lot": "lot_label"}
DATA_FIELDS = tuple(field.name for field in fields(FicheData))
TEXT_FIELDS = tuple(field.name for field in fields(FicheData) if field.type == "str")
# Statuses of a need still to fill, for the list sent to partners.
OPEN_STATUSES = (FicheStatus.RECUE, FicheStatus.DIFFUSEE, FicheStatus.CANDIDATS_POSITIONNES)
# The company-side fields a company fills through its link (the clause context is the facilitator's;
# the request date is the day the company sends the fiche).
COMPANY_FIELDS = tuple(name for name in DATA_FIELDS
                       if name not in ("tender_reference", "tender_object", "lot", "hours_covered", "requested_on"))


class FicheInvalid(ServiceError):
    """A fiche cannot be submitted; ``problems`` are the blocking ones, field by field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("La fiche ne peut pas être envoyée : corrigez les champs signalés.")
        self.problems = problems


def fiche_data(fiche: Fiche) -> FicheData:
    """Return the domain view of a fiche."""
    return FicheData(**{name: getattr(fiche, _COLUMN.get(name, name)) for name in DATA_FIELDS})


def _clean(data: dict, names) -> dict:
    values = {}
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        values[name] = value
    if "company_siret" in values:
        values["company_siret"] = stdnum_siret.compact(values["company_siret"])[:20]
    if "rome_code" in values:
        values["rome_code"] = normalise_rome_code(values["rome_code"])[:10]
    if "posts" in values and values["posts"] is None:
        values["posts"] = 1
    if "outdoor_work" in values:
        values["outdoor_work"] = bool(values["outdoor_work"])
    for name, enum in (("contract_type", ContractType), ("modality", Modality)):
        if name in values:
            values[name] = enum(values[name]) if values[name] else None
    return values


def _reference_date(fiche: Fiche, today: date) -> date:
    # A submitted fiche is checked against the day it was received: its start date may pass since.
    if fiche.submitted_at is None:
        return today
    return min(today, as_utc(fiche.submitted_at).astimezone(PARIS).date())


def fiche_problems(fiche: Fiche, today: date) -> list[FieldProblem]:
    """Return what validate_fiche says about the fiche as stored."""
    return validate_fiche(fiche_data(fiche), _reference_date(fiche, today))


def hours_estimate(fiche: Fiche):
    """Return the insertion hours the need brings (posts × weekly hours × length), None when unknown."""
    return estimate_need_hours(fiche.posts, fiche.weekly_hours, fiche.contract_length, fiche.contract_type)


def _link_rows(session: Session, fiche: Fiche, data: dict) -> None:
    for key, model, message in (("tender_id", Tender, "Ce marché est introuvable."),
                                ("lot_id", Lot, "Ce lot est introuvable."),
                                ("company_id", Company, "Cette entreprise est introuvable.")):
        if key in data:
            row_id = data[key]
            if row_id is not None and session.get(model, row_id) is None:
                raise ServiceError(message, key)
            setattr(fiche, key, row_id)
    lot = session.get(Lot, fiche.lot_id) if fiche.lot_id else None
    if lot is not None and fiche.tender_id is None:
        fiche.tender_id = lot.tender_id
    if lot is not None and lot.tender_id != fiche.tender_id:
        raise ServiceError("Ce lot n'appartient pas au marché choisi.", "lot_id")


def prefill_from_rows(session: Session, fiche: Fiche) -> None:
    """Copy the company's and the tender's details into empty fields (they stay editable)."""
    company = session.get(Company, fiche.company_id) if fiche.company_id else None
    if company is not None:
        address = ", ".join(part for part in (company.address, f"{company.postcode} {company.city}".strip()) if part)
        for name, value in (("company_name", company.name), ("company_siret", company.siret),
                            ("company_address", address), ("contact_name", company.contact_name),
                            ("contact_phone", company.contact_phone), ("contact_email", company.contact_email)):
            if not getattr(fiche, name):
                setattr(fiche, name, value or "")
    tender = session.get(Tender, fiche.tender_id) if fiche.tender_id else None
    if tender is not None:
        fiche.tender_reference, fiche.tender_object = tender.reference, tender.object[:500]
    lot = session.get(Lot, fiche.lot_id) if fiche.lot_id else None
    if lot is not None:
        fiche.lot_label = f"{lot.number} – {lot.label}"[:300]
        if fiche.hours_covered is None and lot.hours_required:
            fiche.hours_covered = lot.hours_required


def record_status(session: Session, fiche: Fiche, target: FicheStatus, actor: Actor, note: str = "", *,
                  initial: bool = False) -> None:
    """Record a status change of ``fiche`` (dated, with its author); ``initial``: its creation."""
    session.add(FicheStatusChange(organisation_id=fiche.organisation_id, fiche=fiche,
                                  from_status=None if initial else fiche.status, to_status=target,
                                  changed_at=utcnow(), by_user_id=actor.user_id, by_label=actor.label[:200],
                                  note=note[:500]))
    fiche.status = target


def new_fiche(scope: Scope, *, created_via: str = CREATED_BY_FACILITATOR, created_by_id: int | None = None) -> Fiche:
    """Return an unsaved draft fiche of the scope's organisation."""
    # Column defaults only apply at flush: validate_fiche reads the fields before that.
    blanks = {_COLUMN.get(name, name): "" for name in TEXT_FIELDS}
    return Fiche(organisation_id=scope.organisation_id, status=FicheStatus.BROUILLON, is_draft=True,
                 created_via=created_via, created_by_id=created_by_id, posts=1, outdoor_work=False, **blanks)


def save_fiche(session: Session, fiche: Fiche, data: dict, actor: Actor, *, today: date, submit: bool = False,
               allowed: tuple[str, ...] = DATA_FIELDS + ("tender_id", "lot_id", "company_id")) -> list[FieldProblem]:
    """Save the fields of ``data`` named in ``allowed``; submit the draft when asked.

    A draft is saved whatever validate_fiche says (the problems are returned); submitting, or
    editing a fiche already received, is refused while a blocking problem remains.
    """
    is_new = fiche.id is None
    _link_rows(session, fiche, {key: data[key] for key in ("tender_id", "lot_id", "company_id")
                                if key in data and key in allowed})
    for name, value in _clean(data, [name for name in allowed if name in DATA_FIELDS]).items():
        setattr(fiche, _COLUMN.get(name, name), value)
    prefill_from_rows(session, fiche)
    problems = fiche_problems(fiche, today)
    blocking = [problem for problem in problems if problem.severity == "error"]
    if blocking and (submit or not fiche.is_draft):
        raise FicheInvalid(blocking)
    if is_new:
        session.add(fiche)
        record_status(session, fiche, FicheStatus.BROUILLON, actor, f"Fiche créée ({fiche.created_via})",
                      initial=True)
    if submit and fiche.is_draft:
        fiche.is_draft, fiche.submitted_at = False, utcnow()
        if fiche.requested_on is None:
            fiche.requested_on = today  # the day the company (or the facilitator for it) sent the need
        record_status(session, fiche, transition(fiche.status, FicheStatus.RECUE), actor)
    session.flush()
    return problems


def change_status(session: Session, fiche: Fiche, target: FicheStatus, actor: Actor, note: str = "") -> None:
    """Move a received fiche along « diffusée → candidats positionnés → pourvue / annulée »."""
    if fiche.is_draft:
        raise ServiceError("Cette fiche est un brouillon : complétez-la et envoyez-la avant de changer son statut.")
    record_status(session, fiche, transition(fiche.status, target), actor, note.strip())
    session.flush()


def generate_documents(session: Session, fiche: Fiche, *, today: date, with_pdf: bool = True) -> None:
    """Render the fiche as DOCX (and PDF) with the organisation's active template."""
    data = fiche_data(fiche)
    if missing := missing_fields(data):
        raise ServiceError("La fiche de liaison ne peut pas être produite : indiquez " + ", ".join(missing) + ".")
    organisation = session.get(Organisation, fiche.organisation_id)
    context = build_fiche_context(fiche_data(fiche), organisation_name=organisation.name, generated_on=today,
                                  organisation_article=organisation.name_article)
    render_and_store(session, fiche, organisation_id=fiche.organisation_id, owner_kind="fiche",
                     kind="fiche_liaison", context=context, base_name=f"fiche-de-liaison-{fiche.id}",
                     with_pdf=with_pdf)


def open_fiches(session: Session) -> list[Fiche]:
    """Return the fiches still to fill, visible in the session."""
    return list(session.scalars(select(Fiche).where(Fiche.status.in_(OPEN_STATUSES)).order_by(Fiche.start_on)))


def open_needs_xlsx(session: Session, *, organisation_name: str, facilitator_contact: str, today: date) -> bytes:
    """Return the XLSX of open needs to send to partners (France Travail, SIAE, Mission locale…)."""
    needs = [open_need_from_fiche(fiche_data(fiche), facilitator_contact=facilitator_contact)
             for fiche in open_fiches(session)]
    return build_open_needs_xlsx(needs, title=f"{organisation_name} — besoins en recrutement", generated_on=today)
