"""The clausable rules of an organisation: from which amount a CPV division can carry a clause.

The defaults come from the trades' labour shares: a contract can carry a clause when it yields at
least MIN_HOURS hours at the default rate and hourly cost, i.e. from
MIN_HOURS × hourly cost ÷ (labour share × rate). An administrator edits them afterwards.
"""

from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.clauses import reference as clause_defaults
from app.domain.decp import ClausableRule
from app.domain.formats import format_number
from app.domain.numbers import euros_to_cents
from app.models import ClausableRuleRef
from app.services.referential import ServiceError

# Below 150 hours a clause is not worth its follow-up: the P.A.C.T. Propreté sets no clause under it.
MIN_HOURS = Decimal(150)
MIN_HOURS_SOURCE = "inserpropre.fr (P.A.C.T. Propreté : pas de clause sous 150 h)"


def default_rules() -> list[ClausableRule]:
    """Return one rule per CPV division of the labour-share table, from its most labour-intensive trade."""
    cost = clause_defaults.DEFAULT_HOURLY_COST.value
    rate = clause_defaults.DEFAULT_INSERTION_RATE.value / 100
    best: dict[str, clause_defaults.LabourShare] = {}
    for share in clause_defaults.LABOUR_SHARES:
        for prefix in share.cpv_prefixes:
            division = prefix[:2]
            if division not in best or share.share_pct > best[division].share_pct:
                best[division] = share
    rules = []
    for division, share in sorted(best.items()):
        amount = MIN_HOURS * cost / (share.share_pct / 100 * rate)
        amount = Decimal(int((amount / 1000).to_integral_value(rounding=ROUND_CEILING)) * 1000)
        source = (f"{format_number(MIN_HOURS)} h × {cost} €/h ÷ ({share.share_pct} % de main-d'œuvre, "
                  f"{share.label} × {clause_defaults.DEFAULT_INSERTION_RATE.value} %) ; {MIN_HOURS_SOURCE} ; "
                  f"part de main-d'œuvre : {share.source_label}")
        rules.append(ClausableRule(division, amount, f"Division CPV {division}", source))
    return rules


def ensure_clausable_rules(session: Session, organisation_id: int) -> None:
    """Copy the default rules into an organisation's table the first time they are needed."""
    present = session.scalar(select(ClausableRuleRef.id).where(ClausableRuleRef.organisation_id == organisation_id)
                             .limit(1), execution_options={"unscoped": True})
    if present is None:
        session.add_all(ClausableRuleRef(organisation_id=organisation_id, cpv_prefix=rule.cpv_prefix, label=rule.label,
                                         min_amount_cents=euros_to_cents(rule.min_amount), source=rule.source)
                        for rule in default_rules())
        session.flush()


def clausable_rules(session: Session, organisation_id: int) -> list[ClausableRule]:
    """Return the organisation's rules as domain values."""
    ensure_clausable_rules(session, organisation_id)
    rows = session.scalars(select(ClausableRuleRef).where(ClausableRuleRef.organisation_id == organisation_id)
                           .order_by(ClausableRuleRef.cpv_prefix)).all()
    return [ClausableRule(row.cpv_prefix, row.min_amount, row.label, row.source) for row in rows]


def save_clausable_rule(session: Session, organisation_id: int, cpv_prefix: str, min_amount: Decimal,
                        label: str = "", source: str | None = None) -> ClausableRuleRef:
    """Create or update the rule of a CPV prefix (2 to 8 digits)."""
    prefix = cpv_prefix.strip()
    if not (prefix.isdigit() and 2 <= len(prefix) <= 8):
        raise ServiceError("Le préfixe CPV doit compter de 2 à 8 chiffres (exemple : 45 ou 4531).", "cpv_prefix")
    if min_amount < 0:
        raise ServiceError("Le montant minimal ne peut pas être négatif.", "min_amount")
    row = session.scalar(select(ClausableRuleRef).where(ClausableRuleRef.organisation_id == organisation_id,
                                                        ClausableRuleRef.cpv_prefix == prefix))
    if row is None:
        row = ClausableRuleRef(organisation_id=organisation_id, cpv_prefix=prefix)
        session.add(row)
    row.min_amount_cents = euros_to_cents(min_amount)
    row.label = label.strip()[:200]
    row.source = (source or "").strip() or None
    session.flush()
    return row
