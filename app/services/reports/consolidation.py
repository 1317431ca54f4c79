"""Consolidating bodies: the agreements between organisations, and the one gate through which a body
reads a partner territory.

Each organisation is a tenant: a web session only sees its own rows (app.access). A consolidating
body (the « postes supports » of a département) compiles the figures of partner organisations that
agreed to it. ``read_territory`` is the only function that reads another organisation's rows: it
checks the agreement, then reads with an explicit ``organisation_id`` through an unscoped session,
as jobs do, and hands back figures and pseudonymised rows only — never a name.

``ConsolidationAgreement`` belongs to no tenant (two organisations share it), so the scoped session
does not filter it: every query below names the signed-in organisation on one side.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.access import Scope
from app.db import db
from app.domain.reports.consolidation import Territory, pseudonymise_row, total_figures
from app.domain.reports.indicators import Figures
from app.models import ConsolidationAgreement, Organisation
from app.models.base import utcnow
from app.services import audit
from app.services.referential import ServiceError
from app.services.reports.exports import ReportFilter, impact_rows
from app.services.reports.figures import scope_figures

AUDIT_TYPE = "consolidation"


class NotAgreed(LookupError):
    """The body has no active agreement with that organisation: nothing of it is read."""


@dataclass(frozen=True)
class OrganisationName:
    """What anyone may know of an organisation: its name and territory (public information)."""

    id: int
    name: str
    territory: str

    @property
    def label(self) -> str:
        """Return « PLIE du Lensois (Lens-Liévin) »."""
        return f"{self.name} ({self.territory})" if self.territory and self.territory != self.name else self.name


@dataclass(frozen=True)
class AgreementLine:
    """An agreement as one side sees it: the other organisation, its state and dates."""

    id: int
    other: OrganisationName
    requested_at: datetime
    agreed_at: datetime | None
    ended_at: datetime | None

    @property
    def is_pending(self) -> bool:
        """Tell whether the partner has not answered yet."""
        return self.agreed_at is None and self.ended_at is None

    @property
    def is_active(self) -> bool:
        """Tell whether the partner agreed and nobody ended it."""
        return self.agreed_at is not None and self.ended_at is None

    @property
    def state(self) -> str:
        """Return the French state: en attente, acceptée, refusée (or withdrawn before an answer), terminée."""
        if self.is_pending:
            return "En attente de réponse"
        if self.is_active:
            return "Acceptée"
        return "Refusée ou retirée" if self.agreed_at is None else "Terminée"


def organisation_names(session: Session, ids: list[int] | None = None) -> dict[int, OrganisationName]:
    """Return the names and territories of organisations (all, or ``ids``), whatever the session's scope.

    Only these two public columns are read; the scope would otherwise hide every organisation but
    the user's own.
    """
    statement = select(Organisation.id, Organisation.name, Organisation.territory).order_by(Organisation.name)
    if ids is not None:
        statement = statement.where(Organisation.id.in_(ids or [-1]))
    rows = session.execute(statement, execution_options={"unscoped": True})
    return {row.id: OrganisationName(row.id, row.name, row.territory or "") for row in rows}


def organisations_to_ask(session: Session, scope: Scope) -> list[OrganisationName]:
    """Return the organisations a body may ask to join: every other one without a pending or active agreement."""
    taken = set(session.scalars(select(ConsolidationAgreement.partner_id).where(
        ConsolidationAgreement.consolidating_id == scope.organisation_id, ConsolidationAgreement.ended_at.is_(None))))
    return [org for org in organisation_names(session).values()
            if org.id != scope.organisation_id and org.id not in taken]


def agreements_of(session: Session, scope: Scope) -> tuple[list[AgreementLine], list[AgreementLine]]:
    """Return the agreements the organisation asked for (as a body), and those asked of it (as a partner)."""
    org_id = scope.organisation_id
    rows = session.scalars(select(ConsolidationAgreement).where(or_(
        ConsolidationAgreement.consolidating_id == org_id, ConsolidationAgreement.partner_id == org_id))
        .order_by(ConsolidationAgreement.requested_at.desc(), ConsolidationAgreement.id.desc())).all()
    names = organisation_names(session, [row.partner_id if row.consolidating_id == org_id else row.consolidating_id
                                         for row in rows])
    as_body, as_partner = [], []
    for row in rows:
        mine = row.consolidating_id == org_id
        other = names[row.partner_id if mine else row.consolidating_id]
        (as_body if mine else as_partner).append(
            AgreementLine(row.id, other, row.requested_at, row.agreed_at, row.ended_at))
    return as_body, as_partner


def _audit(session: Session, scope: Scope, agreement: ConsolidationAgreement, what: str) -> None:
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="update",
                 object_type=AUDIT_TYPE, object_id=agreement.id, detail=what)


def request_agreement(session: Session, scope: Scope, partner_id: int) -> ConsolidationAgreement:
    """Ask ``partner_id`` to let the signed-in organisation consolidate its figures."""
    if partner_id == scope.organisation_id or partner_id not in organisation_names(session, [partner_id]):
        raise ServiceError("Choisissez une autre organisation dans la liste.", field="partner_id")
    row = session.scalar(select(ConsolidationAgreement).where(
        ConsolidationAgreement.consolidating_id == scope.organisation_id,
        ConsolidationAgreement.partner_id == partner_id))
    if row is not None and row.ended_at is None:
        raise ServiceError("Une demande à cette organisation est déjà en cours ou acceptée.", field="partner_id")
    if row is None:
        row = ConsolidationAgreement(consolidating_id=scope.organisation_id, partner_id=partner_id)
        session.add(row)
    # A refused or ended agreement is asked again on the same row (one row per pair of organisations).
    row.requested_at, row.requested_by_id = utcnow(), scope.user_id
    row.agreed_at = row.agreed_by_id = row.ended_at = None
    session.flush()
    _audit(session, scope, row, "demande de consolidation")
    return row


def _agreement(session: Session, scope: Scope, agreement_id: int, *, as_partner: bool) -> ConsolidationAgreement:
    """Return an agreement the signed-in organisation is party to (``as_partner``: the asked side only)."""
    condition = ConsolidationAgreement.partner_id == scope.organisation_id
    if not as_partner:
        condition = or_(condition, ConsolidationAgreement.consolidating_id == scope.organisation_id)
    row = session.scalar(select(ConsolidationAgreement).where(ConsolidationAgreement.id == agreement_id, condition))
    if row is None:
        raise NotAgreed(agreement_id)
    return row


def agree(session: Session, scope: Scope, agreement_id: int) -> ConsolidationAgreement:
    """Accept a pending request: the body will see this organisation's figures, never its names."""
    row = _agreement(session, scope, agreement_id, as_partner=True)
    if row.agreed_at is not None or row.ended_at is not None:
        raise ServiceError("Cette demande n'est plus en attente : rien n'a été changé.")
    row.agreed_at, row.agreed_by_id = utcnow(), scope.user_id
    _audit(session, scope, row, "consolidation acceptée")
    return row


def refuse(session: Session, scope: Scope, agreement_id: int) -> ConsolidationAgreement:
    """Refuse a pending request."""
    row = _agreement(session, scope, agreement_id, as_partner=True)
    if row.agreed_at is not None or row.ended_at is not None:
        raise ServiceError("Cette demande n'est plus en attente : rien n'a été changé.")
    row.ended_at = utcnow()
    _audit(session, scope, row, "consolidation refusée")
    return row


def end_agreement(session: Session, scope: Scope, agreement_id: int) -> ConsolidationAgreement:
    """End an agreement (the partner) or withdraw it (the body): from now on nothing more is read."""
    row = _agreement(session, scope, agreement_id, as_partner=False)
    if row.ended_at is not None:
        raise ServiceError("Cet accord est déjà terminé.")
    row.ended_at = utcnow()
    _audit(session, scope, row, "consolidation terminée" if row.agreed_at else "demande retirée")
    return row


def _is_active(session: Session, body_id: int, organisation_id: int) -> bool:
    return session.scalar(select(ConsolidationAgreement.id).where(
        ConsolidationAgreement.consolidating_id == body_id, ConsolidationAgreement.partner_id == organisation_id,
        ConsolidationAgreement.agreed_at.is_not(None), ConsolidationAgreement.ended_at.is_(None))) is not None


def partner_ids(session: Session, body_id: int) -> list[int]:
    """Return the organisations whose active agreement lets ``body_id`` consolidate them."""
    return list(session.scalars(select(ConsolidationAgreement.partner_id).where(
        ConsolidationAgreement.consolidating_id == body_id, ConsolidationAgreement.agreed_at.is_not(None),
        ConsolidationAgreement.ended_at.is_(None)).order_by(ConsolidationAgreement.partner_id)))


def read_territory(body_id: int, organisation_id: int, starts_on: date, ends_on: date) -> Territory:
    """Return a territory's figures and pseudonymised rows for the body ``body_id`` — the only cross-tenant read.

    The body reads itself freely; any other organisation needs an agreement accepted and not ended,
    checked in the same unscoped session that then reads its rows by explicit ``organisation_id``.
    Raise NotAgreed otherwise, before anything of it is read.
    """
    with db.session_scope() as session:
        if organisation_id != body_id and not _is_active(session, body_id, organisation_id):
            raise NotAgreed(organisation_id)
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotAgreed(organisation_id)
        flt = ReportFilter(organisation_id, starts_on=starts_on, ends_on=ends_on)
        rows = impact_rows(session, flt)
        figures = scope_figures(session, flt, rows)
        return Territory(organisation_id, organisation.name, organisation.territory or "", figures,
                         tuple(pseudonymise_row(row) for row in rows))


@dataclass(frozen=True)
class Consolidation:
    """The territories a body compiles for a period, and their total."""

    starts_on: date
    ends_on: date
    territories: tuple[Territory, ...]
    total: Figures


def consolidate(session: Session, body_id: int, starts_on: date, ends_on: date) -> Consolidation:
    """Return every partner territory of ``body_id`` (and its own when it has data), and their total."""
    territories = [read_territory(body_id, partner_id, starts_on, ends_on)
                   for partner_id in partner_ids(session, body_id)]
    own = read_territory(body_id, body_id, starts_on, ends_on)
    if own.has_data:
        territories.insert(0, own)
    return Consolidation(starts_on, ends_on, tuple(territories), total_figures(territories))


def record_export(session: Session, scope: Scope, organisation_id: int, what: str) -> None:
    """Write a pseudonymised export of a territory to the audit trail (its kind, never a name)."""
    audit.record(session, organisation_id=scope.organisation_id, user_id=scope.user_id, action="export",
                 object_type=AUDIT_TYPE, object_id=organisation_id, detail=what)
