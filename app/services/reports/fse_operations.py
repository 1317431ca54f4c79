"""FSE+ operations: their dates, scope and targets, saved from the form and copied into the spec
a dossier job, the operation page and the CLI measure and build from.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.access import Scope
from app.domain.sheetmap import header_key
from app.domain.reports.targets import CATALOGUE, Breakdown, DurableRule, Target, TargetKind, target_label
from app.models import Buyer, FseOperation, FseTarget, Operation, Organisation, Tender
from app.services.referential import ServiceError, require_visible
from app.services.reports.exports import ReportFilter
from app.services.reports.targets import held_until, measure_targets


def _period(data: dict) -> tuple[date, date]:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        raise ServiceError("Indiquez la date de début de l'opération.", "starts_on")
    if ends_on is None:
        raise ServiceError("Indiquez la date de fin de l'opération.", "ends_on")
    if ends_on < starts_on:
        raise ServiceError("La fin de l'opération précède son début.", "ends_on")
    if (ends_on - starts_on).days > 366 * 7:
        raise ServiceError("Une opération FSE+ dure au plus sept ans : vérifiez les dates.", "ends_on")
    return starts_on, ends_on


def check_target(kind: TargetKind, value, breakdown: Breakdown | None, starts_on: date | None,
                 ends_on: date | None, operation_starts: date, operation_ends: date, field_name: str) -> Decimal:
    """Return a target's value once its public and dates fit the catalogue and the operation."""
    if value is None or Decimal(value) <= 0:
        raise ServiceError(f"La cible « {kind.label} » doit être un nombre positif.", field_name)
    if breakdown is not None and not CATALOGUE[kind].breakdowns:
        raise ServiceError(f"La cible « {kind.label} » ne se décompose pas par public : laissez « Tous ».",
                           field_name)
    first, last = starts_on or operation_starts, ends_on or operation_ends
    if last < first:
        raise ServiceError(f"La période de la cible « {kind.label} » finit avant de commencer.", field_name)
    if first < operation_starts or last > operation_ends:
        raise ServiceError(f"La période de la cible « {kind.label} » sort des dates de l'opération "
                           f"({operation_starts:%d/%m/%Y} – {operation_ends:%d/%m/%Y}).", field_name)
    return Decimal(value)


def _target_period(starts_on: date | None, ends_on: date | None, operation: FseOperation) -> str:
    if starts_on is None and ends_on is None:
        return ""
    return f"du {(starts_on or operation.starts_on):%d/%m/%Y} au {(ends_on or operation.ends_on):%d/%m/%Y}"


def save_operation(session: Session, scope: Scope, data: dict, operation: FseOperation | None = None
                   ) -> FseOperation:
    """Create or update an FSE+ operation, its scope and its targets (any number, any kind).

    ``data["targets"]`` lists dicts with ``kind``, ``target``, optional ``breakdown``,
    ``starts_on`` and ``ends_on``; the operation's targets become exactly these.
    """
    starts_on, ends_on = _period(data)
    title = (data.get("title") or "").strip()
    if not title:
        raise ServiceError("Indiquez l'intitulé de l'opération.", "title")
    tenders = [require_visible(session, Tender, row_id, "tender_ids", "Ce marché est introuvable.")
               for row_id in data.get("tender_ids") or []]
    buyers = [require_visible(session, Buyer, row_id, "buyer_ids", "Ce donneur d'ordre est introuvable.")
              for row_id in data.get("buyer_ids") or []]
    programmes = [require_visible(session, Operation, row_id, "programme_ids",
                                  "Cette opération (programme) est introuvable.")
                  for row_id in data.get("programme_ids") or []]
    wanted = []
    for index, item in enumerate(data.get("targets") or []):
        kind = TargetKind(item["kind"])
        breakdown = Breakdown(item["breakdown"]) if item.get("breakdown") else None
        value = check_target(kind, item.get("target"), breakdown, item.get("starts_on"), item.get("ends_on"),
                             starts_on, ends_on, f"targets-{index}")
        wanted.append((kind, value, breakdown, item.get("starts_on"), item.get("ends_on")))
    if operation is None:
        operation = FseOperation(organisation_id=scope.organisation_id)
        session.add(operation)
    operation.starts_on, operation.ends_on, operation.title = starts_on, ends_on, title[:200]
    operation.operation_number = (data.get("operation_number") or "").strip()[:40]
    operation.territory = (data.get("territory") or "").strip()[:200]
    operation.description = (data.get("description") or "").strip()
    operation.priority = (data.get("priority") or "").strip()[:300]
    operation.specific_objective = (data.get("specific_objective") or "").strip()[:300]
    operation.funding_body = (data.get("funding_body") or "").strip()[:200]
    operation.site_areas = ", ".join(site_areas(data.get("site_areas") or ""))[:500]
    operation.durable_rule = DurableRule(data.get("durable_rule") or DurableRule.SIX_MONTHS_OR_MORE)
    operation.is_fse_funded = bool(data.get("is_fse_funded", True))
    operation.tenders, operation.buyers, operation.programmes = tenders, buyers, programmes
    # Targets are rewritten in the order given: the sheet's order is the dossier's.
    operation.targets.clear()
    session.flush()
    for kind, value, breakdown, first, last in wanted:
        operation.targets.append(FseTarget(
            organisation_id=operation.organisation_id, kind=kind, target=value, breakdown=breakdown,
            starts_on=first, ends_on=last,
            label=target_label(kind, value, breakdown, _target_period(first, last, operation))))
    session.flush()
    return operation


@dataclass(frozen=True)
class TargetSpec:
    """A stored target, copied so a job can measure it outside the session."""

    kind: TargetKind
    label: str
    target: Decimal
    breakdown: Breakdown | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class DossierSpec:
    """What a dossier covers, read once: plain values a job or the CLI can keep outside a session."""

    organisation_id: int
    title: str
    starts_on: date
    ends_on: date
    territory: str
    is_fse_funded: bool
    operation_id: int | None = None
    tender_ids: tuple[int, ...] | None = None
    targets: tuple[TargetSpec, ...] = ()
    operation_number: str = ""  # given by the FSE+ managing authority; empty until known
    durable_rule: DurableRule = DurableRule.SIX_MONTHS_OR_MORE
    priority: str = ""
    specific_objective: str = ""
    funding_body: str = ""

    @property
    def heading(self) -> str:
        """Return « Clauses sociales 2026 (opération n° 202501234) », how the bilan names the operation."""
        return f"{self.title} (opération n° {self.operation_number})" if self.operation_number else self.title

    def held_until(self, data_as_of: date) -> date:
        """Return the last day whose actions and log entries a dossier of ``data_as_of`` counts."""
        return held_until(self.starts_on, self.ends_on, data_as_of)

    @property
    def period(self) -> str:
        """Return « du 01/09/2025 au 31/08/2026 »."""
        return f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    def report_filter(self) -> ReportFilter:
        """Return the filter every report of the dossier reads with."""
        return ReportFilter(self.organisation_id, starts_on=self.starts_on, ends_on=self.ends_on,
                            tender_ids=self.tender_ids,
                            strictly_more_durable=self.durable_rule is DurableRule.MORE_THAN_SIX_MONTHS)

    def target_for(self, *kinds: TargetKind) -> str | None:
        """Return the labels of the operation's targets a piece supports (None: none set)."""
        labels = [target.label for target in self.targets if target.kind in kinds]
        return " ; ".join(labels) or None


def site_areas(text: str) -> list[str]:
    """Return the communes or EPCI of an operation's territory, as typed (« Lens, CA de Lens-Liévin »)."""
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def scope_tender_ids(session: Session, operation: FseOperation) -> tuple[int, ...] | None:
    """Return the tenders an operation covers: those listed, its buyers' and programmes', and those
    whose works are in one of its communes or EPCI (case, accents and hyphens aside). None: every tender."""
    areas = {header_key(area) for area in site_areas(operation.site_areas)}
    if not (operation.tenders or operation.buyers or operation.programmes or areas):
        return None
    ids = {tender.id for tender in operation.tenders}
    if areas:
        sites = session.execute(select(Tender.id, Tender.site_city, Tender.site_epci).where(
            Tender.organisation_id == operation.organisation_id))
        ids |= {tender_id for tender_id, city, epci in sites if header_key(city) in areas or header_key(epci) in areas}
    buyer_ids = [buyer.id for buyer in operation.buyers]
    programme_ids = [programme.id for programme in operation.programmes]
    if buyer_ids:
        ids |= set(session.scalars(select(Tender.id).where(Tender.buyer_id.in_(buyer_ids))))
    if programme_ids:
        ids |= set(session.scalars(select(Tender.id).where(Tender.operation_id.in_(programme_ids))))
    return tuple(sorted(ids))


def spec_for(operation: FseOperation) -> DossierSpec:
    """Return the dossier spec of a stored operation."""
    session = object_session(operation)
    return DossierSpec(
        organisation_id=operation.organisation_id, title=operation.title, starts_on=operation.starts_on,
        ends_on=operation.ends_on, territory=operation.territory, is_fse_funded=operation.is_fse_funded,
        operation_id=operation.id, tender_ids=scope_tender_ids(session, operation),
        targets=tuple(TargetSpec(t.kind, t.label, t.target, t.breakdown, t.starts_on, t.ends_on)
                      for t in operation.targets),
        operation_number=operation.operation_number, durable_rule=operation.durable_rule,
        priority=operation.priority, specific_objective=operation.specific_objective,
        funding_body=operation.funding_body)


def default_spec(session: Session, organisation_id: int, year: int) -> DossierSpec:
    """Return a spec for a year without a recorded operation: every tender, no target."""
    organisation = session.get(Organisation, organisation_id)
    return DossierSpec(organisation_id=organisation_id, title=f"Clauses sociales d'insertion {year}",
                       starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
                       territory=organisation.territory or organisation.name, is_fse_funded=True)


def measured_targets(session: Session, spec: DossierSpec, data_as_of: date, rows: list | None = None
                     ) -> list[Target]:
    """Return the operation's targets with what was achieved, each over its own period, on the data of
    ``data_as_of`` (``rows``: the impact rows of the operation's dates, when already read)."""
    return measure_targets(session, spec.report_filter(), spec.targets, spec.operation_id, data_as_of, rows)

