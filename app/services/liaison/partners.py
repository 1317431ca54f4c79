"""Partners and prescribers of the directory: save them, send fiches de liaison to them
(diffusions), and say who sent a positioned candidate. Callers commit.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.access import Scope
from app.domain.reports.activities import PartnerKind
from app.models import Fiche, FicheDiffusion, Partner, Positioning, Siae
from app.services.actors import Actor
from app.services.referential import ServiceError, require_visible

TEXT_FIELDS = ("name", "contact_name", "email", "phone", "city")


def save_partner(session: Session, scope: Scope, data: dict, partner: Partner | None = None) -> Partner:
    """Create or update a partner; only an SIAE partner keeps its link to the referential's SIAE."""
    kind = PartnerKind(data["kind"])
    siae_id = data.get("siae_id") if kind is PartnerKind.SIAE else None
    require_visible(session, Siae, siae_id, "siae_id", "Cette structure d'insertion est introuvable.")
    if partner is None:
        partner = Partner(organisation_id=scope.organisation_id)
        session.add(partner)
    for name in TEXT_FIELDS:
        setattr(partner, name, (data.get(name) or "").strip())
    partner.kind, partner.siae_id = kind, siae_id
    partner.is_active = bool(data.get("is_active"))
    session.flush()
    return partner


def active_partners(session: Session) -> list[Partner]:
    """Return the active partners, by name (the choices of a diffusion or a prescriber)."""
    return list(session.scalars(select(Partner).where(Partner.is_active.is_(True)).order_by(Partner.name)))


@dataclass
class Diffusion:
    """What a diffusion did: partners newly added, and those that already had the fiche (first date kept)."""

    added: list[Partner] = field(default_factory=list)
    already: list[FicheDiffusion] = field(default_factory=list)

    def message(self) -> str:
        """Return the French summary shown after the diffusion."""
        parts = []
        if self.added:
            parts.append("Fiche diffusée à " + ", ".join(p.name for p in self.added) + ".")
        if self.already:
            parts.append("Déjà diffusée à " + ", ".join(
                f"{d.partner.name} (le {d.diffused_on:%d/%m/%Y}, date gardée)" for d in self.already) + ".")
        return " ".join(parts)


def diffuse_fiche(session: Session, fiche: Fiche, partner_ids: list[int], on: date, actor: Actor, today: date
                  ) -> Diffusion:
    """Record that ``fiche`` was sent to each partner on ``on`` (one row per fiche × partner).

    A partner that already had the fiche keeps its first date: the targets count a fiche once,
    on the day it first went out.
    """
    if not partner_ids:
        raise ServiceError("Cochez au moins un partenaire destinataire.", "partner_ids")
    if fiche.is_draft:
        raise ServiceError("Un brouillon ne se diffuse pas : enregistrez d'abord la fiche complète.")
    if on > today:
        raise ServiceError("La date de diffusion ne peut pas être dans le futur.", "diffused_on")
    existing = {d.partner_id: d for d in recipients(session, fiche)}
    result = Diffusion()
    for partner_id in dict.fromkeys(partner_ids):
        partner = require_visible(session, Partner, partner_id, "partner_ids", "Ce partenaire est introuvable.")
        if partner_id in existing:
            result.already.append(existing[partner_id])
            continue
        session.add(FicheDiffusion(organisation_id=fiche.organisation_id, fiche_id=fiche.id, partner_id=partner.id,
                                   diffused_on=on, by_user_id=actor.user_id))
        result.added.append(partner)
    session.flush()
    return result


def recipients(session: Session, fiche: Fiche) -> list[FicheDiffusion]:
    """Return the diffusions of ``fiche``, first sent first."""
    return list(session.scalars(select(FicheDiffusion).where(FicheDiffusion.fiche_id == fiche.id)
                                .options(selectinload(FicheDiffusion.partner))
                                .order_by(FicheDiffusion.diffused_on, FicheDiffusion.id)))


def set_prescriber(session: Session, positioning: Positioning, partner_id: int | None) -> None:
    """Record which partner sent a positioned candidate (None: unknown or the facilitator's own)."""
    require_visible(session, Partner, partner_id, "prescriber_id", "Ce prescripteur est introuvable.")
    positioning.prescriber_id = partner_id
    session.flush()
