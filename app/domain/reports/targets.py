"""The catalogue of FSE+ operation targets and how each one's achieved figure is measured.

Every target an operation sheet names (DOMAIN.md §8: heures, marchés, opérations suivies,
donneurs d'ordre, entreprises impliquées, visites de chantier, comités, conventions, actions de
sensibilisation, participants, and the relations-entreprises side) is one ``TargetKind`` here,
with its definition and the dossier pieces that prove it. ``measure`` computes the achieved
figure from the facts of one period and scope (``TargetSources``); the figures of the clause
side come from the indicators module, so a target reads exactly what the dashboards print.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.enums import Criterion, LabelledEnum, PartyKind, Sex
from app.domain.formats import format_number, plural
from app.domain.reports.activities import COUNTED_KINDS, ActivityKind
from app.domain.reports.attendance import ActionKind
from app.domain.reports.common import ratio
from app.domain.reports.exits import ExitCategory
from app.domain.reports.impact_row import ImpactRow
from app.domain.reports.indicators import DEFINITIONS, Figures, compute_indicators


class TargetKind(LabelledEnum):
    """What an FSE+ operation target counts (the catalogue below gives its definition)."""

    HOURS = "hours", "Heures d'insertion"
    TENDERS = "tenders", "Marchés clausés"
    LOTS = "lots", "Lots clausés"
    OPERATIONS = "operations", "Opérations et chantiers suivis"
    BUYERS = "buyers", "Donneurs d'ordre accompagnés"
    COMPANIES = "companies", "Entreprises impliquées"
    BODIES_INVOLVED = "bodies_involved", "Collectivités et entreprises impliquées"
    EMPLOYERS_CHECKED = "employers_checked", "Employeurs contrôlés"
    SITE_VISITS = "site_visits", "Visites de chantier"
    COMMITTEES = "committees", "Comités et commissions"
    CONVENTIONS = "conventions", "Conventions actives"
    AWARENESS_ACTIONS = "awareness_actions", "Actions de sensibilisation"
    PARTICIPANTS = "participants", "Participants"
    EXITS_DURABLE = "exits_durable", "Sorties en emploi durable"
    EXITS_DYNAMIC = "exits_dynamic", "Sorties dynamiques"
    COMPANIES_CONTACTED = "companies_contacted", "Entreprises contactées"
    COMPANIES_VISITED = "companies_visited", "Entreprises visitées"
    PARTNER_COMPANIES = "partner_companies", "Entreprises partenaires"
    SMALL_COMPANIES = "small_companies", "TPE accompagnées"
    OFFERS_COLLECTED = "offers_collected", "Offres collectées"
    OFFERS_DIFFUSED = "offers_diffused", "Offres diffusées"
    POSTS_TRANSMITTED = "posts_transmitted", "Postes transmis"
    MATCHINGS = "matchings", "Mises en relation"
    PREPARATIONS = "preparations", "Préparations de candidats"
    COLLECTIVE_ACTIONS = "collective_actions", "Actions collectives"
    JOB_EVENTS = "job_events", "Événements emploi"
    INTERVIEWS = "interviews", "Entretiens"


class Breakdown(LabelledEnum):
    """« dont … »: the public a target counts among its participants."""

    BRSA = "brsa", "dont bénéficiaires du RSA"
    UNDER_26 = "under_26", "dont moins de 26 ans à l'entrée"
    WOMEN = "women", "dont femmes"
    QPV = "qpv", "dont résidents d'un QPV"
    RQTH = "rqth", "dont travailleurs handicapés (RQTH)"
    SENIOR = "senior", "dont 50 ans et plus à l'entrée"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "dont demandeurs d'emploi de longue durée"


class DurableRule(LabelledEnum):
    """How an operation sheet defines « emploi durable » for a CDD or a mission d'intérim."""

    SIX_MONTHS_OR_MORE = "six_months_or_more", "CDD ou intérim de 6 mois et plus"
    MORE_THAN_SIX_MONTHS = "more_than_six_months", "CDD ou intérim de plus de 6 mois"


class Group(LabelledEnum):
    """The sections of the catalogue, in the order forms and documents list them."""

    CLAUSES = "clauses", "Clauses sociales"
    PUBLICS = "publics", "Participants et sorties"
    COMPANY_RELATIONS = "company_relations", "Relations entreprises"


class Proof(LabelledEnum):
    """The families of dossier pieces a target is proven by (the manifest links them)."""

    BILAN = "bilan", "Bilan de l'action"
    TENDERS_LIST = "tenders_list", "Liste des marchés clausés"
    OPERATIONS_LIST = "operations_list", "Liste des opérations suivies"
    BUYERS_LIST = "buyers_list", "Liste des donneurs d'ordre accompagnés"
    IMPACT = "impact", "Tableau d'impact"
    CONVENTIONS = "conventions", "Conventions actives et conventions signées"
    ACTIONS = "actions", "Actions collectives, émargements et comptes rendus"
    ACTIVITY_LOG = "activity_log", "Extrait du journal d'activité"
    CLAUSE_PACKS = "clause_packs", "Clause de chaque marché (article du CCAP, annexe à l'AE, mention du RC)"
    CONTRACT_DOCUMENTS = "contract_documents", "Pièces contractuelles signées"
    COMMON_INDICATORS = "common_indicators", "Indicateurs communs FSE+ des participants"
    SIGNED_SHEET = "signed_sheet", "Fiche opération signée"


@dataclass(frozen=True)
class Indicator:
    """One entry of the catalogue: its group, unit, definition, proofs and possible breakdowns."""

    kind: TargetKind
    group: Group
    unit: tuple[str, str]
    definition: str
    proofs: tuple[Proof, ...]
    breakdowns: bool = False

    @property
    def label(self) -> str:
        """Return the target's French name."""
        return self.kind.label

    def noun(self, value: Decimal) -> str:
        """Return the unit agreed with ``value`` (« 1 visite », « 3 visites »)."""
        return plural(value, *self.unit)


_PEOPLE_PROOFS = (Proof.BILAN, Proof.IMPACT, Proof.COMMON_INDICATORS)
_LOG = (Proof.ACTIVITY_LOG,)

CATALOGUE: Mapping[TargetKind, Indicator] = {entry.kind: entry for entry in (
    Indicator(TargetKind.HOURS, Group.CLAUSES, ("heure d'insertion", "heures d'insertion"), DEFINITIONS["hours_done"],
              (Proof.BILAN, Proof.TENDERS_LIST, Proof.IMPACT, Proof.CLAUSE_PACKS, Proof.CONTRACT_DOCUMENTS),
              breakdowns=True),
    Indicator(TargetKind.TENDERS, Group.CLAUSES, ("marché clausé", "marchés clausés"), DEFINITIONS["tenders"],
              (Proof.TENDERS_LIST, Proof.CLAUSE_PACKS, Proof.CONTRACT_DOCUMENTS)),
    Indicator(TargetKind.LOTS, Group.CLAUSES, ("lot clausé", "lots clausés"), DEFINITIONS["tenders"],
              (Proof.TENDERS_LIST, Proof.CLAUSE_PACKS)),
    Indicator(TargetKind.OPERATIONS, Group.CLAUSES, ("opération suivie", "opérations suivies"),
              DEFINITIONS["operations"], (Proof.OPERATIONS_LIST, Proof.TENDERS_LIST)),
    Indicator(TargetKind.BUYERS, Group.CLAUSES, ("donneur d'ordre accompagné", "donneurs d'ordre accompagnés"),
              DEFINITIONS["buyers"], (Proof.BUYERS_LIST, Proof.TENDERS_LIST)),
    Indicator(TargetKind.COMPANIES, Group.CLAUSES, ("entreprise impliquée", "entreprises impliquées"),
              DEFINITIONS["companies"], (Proof.TENDERS_LIST, Proof.IMPACT)),
    Indicator(TargetKind.BODIES_INVOLVED, Group.CLAUSES,
              ("collectivité ou entreprise impliquée", "collectivités et entreprises impliquées"),
              "Collectivités et entreprises impliquées : les donneurs d'ordre accompagnés plus les entreprises "
              "impliquées, chacun compté une fois.", (Proof.BUYERS_LIST, Proof.TENDERS_LIST)),
    Indicator(TargetKind.EMPLOYERS_CHECKED, Group.CLAUSES, ("employeur contrôlé", "employeurs contrôlés"),
              "Employeur contrôlé : une entreprise ou une structure d'insertion ayant au moins un « contrôle d'un "
              "employeur » au journal d'activité sur la période, comptée une fois.", _LOG),
    Indicator(TargetKind.SITE_VISITS, Group.CLAUSES, ("visite de chantier", "visites de chantier"),
              "Visite de chantier : chaque « visite de chantier » du journal d'activité sur la période.",
              (Proof.ACTIVITY_LOG, Proof.ACTIONS)),
    Indicator(TargetKind.COMMITTEES, Group.CLAUSES, ("comité ou commission", "comités et commissions"),
              "Comités et commissions : les comités de pilotage et commissions clauses du journal d'activité, "
              "plus les comités de suivi tenus en action collective, sur la période.",
              (Proof.ACTIVITY_LOG, Proof.ACTIONS)),
    Indicator(TargetKind.CONVENTIONS, Group.CLAUSES, ("convention active", "conventions actives"),
              "Convention active : une convention signée dont les dates couvrent au moins un jour de la période.",
              (Proof.CONVENTIONS,)),
    Indicator(TargetKind.AWARENESS_ACTIONS, Group.CLAUSES, ("action de sensibilisation", "actions de sensibilisation"),
              "Action de sensibilisation : une action collective de ce type tenue sur la période, avec sa feuille "
              "d'émargement.", (Proof.ACTIONS,)),
    Indicator(TargetKind.PARTICIPANTS, Group.PUBLICS, ("participant", "participants"), DEFINITIONS["participants"],
              _PEOPLE_PROOFS, breakdowns=True),
    Indicator(TargetKind.EXITS_DURABLE, Group.PUBLICS, ("sortie en emploi durable", "sorties en emploi durable"),
              DEFINITIONS["exits"] + " Emploi durable selon la définition retenue par l'opération.",
              (Proof.BILAN, Proof.IMPACT), breakdowns=True),
    Indicator(TargetKind.EXITS_DYNAMIC, Group.PUBLICS, ("sortie dynamique", "sorties dynamiques"),
              DEFINITIONS["exits"] + " Sortie dynamique : emploi durable, emploi de transition ou sortie positive.",
              (Proof.BILAN, Proof.IMPACT), breakdowns=True),
    Indicator(TargetKind.COMPANIES_CONTACTED, Group.COMPANY_RELATIONS, ("entreprise contactée", "entreprises contactées"),
              "Entreprise contactée : une entreprise ayant au moins un contact, une visite ou un rendez-vous au "
              "journal d'activité sur la période, comptée une fois.", _LOG),
    Indicator(TargetKind.COMPANIES_VISITED, Group.COMPANY_RELATIONS, ("entreprise visitée", "entreprises visitées"),
              "Entreprise visitée : une entreprise ayant au moins une visite au journal d'activité sur la période, "
              "comptée une fois.", _LOG),
    Indicator(TargetKind.PARTNER_COMPANIES, Group.COMPANY_RELATIONS, ("entreprise partenaire", "entreprises partenaires"),
              "Entreprise partenaire : une entreprise signataire d'une convention active sur la période ou ayant un "
              "partenariat formalisé au journal d'activité, comptée une fois.", (Proof.ACTIVITY_LOG, Proof.CONVENTIONS)),
    Indicator(TargetKind.SMALL_COMPANIES, Group.COMPANY_RELATIONS, ("TPE accompagnée", "TPE accompagnées"),
              "TPE accompagnée : une entreprise de moins de 10 salariés ayant au moins un « accompagnement d'une "
              "TPE » au journal d'activité sur la période, comptée une fois.", _LOG),
    Indicator(TargetKind.OFFERS_COLLECTED, Group.COMPANY_RELATIONS, ("offre collectée", "offres collectées"),
              "Offre collectée : une fiche de liaison reçue sur la période, plus les offres collectées notées au "
              "journal d'activité (avec leur quantité).", _LOG),
    Indicator(TargetKind.OFFERS_DIFFUSED, Group.COMPANY_RELATIONS, ("offre diffusée", "offres diffusées"),
              "Offre diffusée : une fiche de liaison diffusée à au moins un partenaire sur la période, plus les "
              "offres diffusées notées au journal d'activité (avec leur quantité).", _LOG),
    Indicator(TargetKind.POSTS_TRANSMITTED, Group.COMPANY_RELATIONS, ("poste transmis", "postes transmis"),
              "Postes transmis : les postes des fiches de liaison diffusées sur la période, plus les postes "
              "transmis notés au journal d'activité.", _LOG),
    Indicator(TargetKind.MATCHINGS, Group.COMPANY_RELATIONS, ("mise en relation", "mises en relation"),
              "Mise en relation : un candidat positionné sur une fiche de liaison sur la période, plus les mises "
              "en relation notées au journal d'activité.", _LOG),
    Indicator(TargetKind.PREPARATIONS, Group.COMPANY_RELATIONS, ("préparation", "préparations"),
              "Préparation : chaque préparation d'un candidat (entretien, prise de poste) notée au journal "
              "d'activité sur la période.", _LOG),
    Indicator(TargetKind.COLLECTIVE_ACTIONS, Group.COMPANY_RELATIONS, ("action collective", "actions collectives"),
              "Action collective : une réunion d'information, un job dating ou une action de sensibilisation tenue "
              "sur la période, avec sa feuille d'émargement.", (Proof.ACTIONS,)),
    Indicator(TargetKind.JOB_EVENTS, Group.COMPANY_RELATIONS, ("événement emploi", "événements emploi"),
              "Événement emploi : un job dating tenu en action collective, ou un forum, salon ou job dating noté "
              "au journal d'activité, sur la période.", (Proof.ACTIONS, Proof.ACTIVITY_LOG)),
    Indicator(TargetKind.INTERVIEWS, Group.COMPANY_RELATIONS, ("entretien", "entretiens"),
              "Entretien : chaque entretien noté au journal d'activité sur la période (avec sa quantité).", _LOG),
)}


@dataclass(frozen=True)
class ActivityFact:
    """One entry of the activity log, as targets count it (no note, no person)."""

    kind: ActivityKind
    on: date
    quantity: int = 1
    company_id: int | None = None
    siae_id: int | None = None
    buyer_id: int | None = None
    is_small_company: bool = False


@dataclass(frozen=True)
class ConventionFact:
    """An active convention of the period: who signed it."""

    party_kind: PartyKind
    company_id: int | None = None


@dataclass(frozen=True)
class TargetSources:
    """Every fact of one period and scope a target may count, read once by the services."""

    figures: Figures
    rows: Sequence[ImpactRow] = ()
    conventions: Sequence[ConventionFact] = ()
    actions: Sequence[ActionKind] = ()
    activities: Sequence[ActivityFact] = ()
    fiches_received: int = 0
    # One (fiche id, posts) per fiche diffused to at least one partner in the period.
    fiches_diffused: Sequence[tuple[int, int]] = ()
    positionings: int = 0


def _is_of(breakdown: Breakdown, rows: Sequence[ImpactRow]) -> bool:
    """Tell whether a person (all their rows) belongs to ``breakdown``, read on their first clause."""
    first = min(rows, key=lambda r: r.entry_on)
    criteria = frozenset().union(*(r.criteria for r in rows))
    age = first.age_at_entry
    return {
        Breakdown.BRSA: Criterion.BRSA in criteria,
        Breakdown.UNDER_26: first.is_under_26,
        Breakdown.WOMEN: first.sex is Sex.FEMME,
        Breakdown.QPV: Criterion.QPV in criteria,
        Breakdown.RQTH: Criterion.RQTH in criteria,
        Breakdown.SENIOR: age is not None and age >= 50,
        Breakdown.LONG_TERM_UNEMPLOYED: bool(criteria & {Criterion.DELD, Criterion.DETLD}),
    }[breakdown]


def rows_of(breakdown: Breakdown | None, rows: Sequence[ImpactRow]) -> list[ImpactRow]:
    """Return the impact rows of the people in ``breakdown`` (all rows without one)."""
    if breakdown is None:
        return list(rows)
    people: dict[str, list[ImpactRow]] = {}
    for row in rows:
        people.setdefault(row.participant_code, []).append(row)
    return [row for person in people.values() if _is_of(breakdown, person) for row in person]


def _sum(activities: Sequence[ActivityFact], *kinds: ActivityKind) -> int:
    return sum((a.quantity if a.kind in COUNTED_KINDS else 1) for a in activities if a.kind in kinds)


def _distinct(activities: Sequence[ActivityFact], *kinds: ActivityKind, small: bool = False) -> set:
    found = set()
    for a in activities:
        if a.kind in kinds and a.company_id is not None and (a.is_small_company or not small):
            found.add(("company", a.company_id))
    return found


def _employers(activities: Sequence[ActivityFact]) -> set:
    found = set()
    for a in activities:
        if a.kind is ActivityKind.EMPLOYER_CHECK:
            if a.company_id is not None:
                found.add(("company", a.company_id))
            if a.siae_id is not None:
                found.add(("siae", a.siae_id))
    return found


_DYNAMIC = (ExitCategory.EMPLOI_DURABLE, ExitCategory.EMPLOI_TRANSITION, ExitCategory.SORTIE_POSITIVE)

_MEASURES: Mapping[TargetKind, Callable[[TargetSources], int | Decimal]] = {
    TargetKind.HOURS: lambda s: s.figures.hours_done,
    TargetKind.TENDERS: lambda s: s.figures.tenders,
    TargetKind.LOTS: lambda s: s.figures.lots_count,
    TargetKind.OPERATIONS: lambda s: s.figures.operations,
    TargetKind.BUYERS: lambda s: s.figures.buyers,
    TargetKind.COMPANIES: lambda s: s.figures.companies,
    TargetKind.BODIES_INVOLVED: lambda s: s.figures.buyers + s.figures.companies,
    TargetKind.EMPLOYERS_CHECKED: lambda s: len(_employers(s.activities)),
    TargetKind.SITE_VISITS: lambda s: _sum(s.activities, ActivityKind.SITE_VISIT),
    TargetKind.COMMITTEES: lambda s: _sum(s.activities, ActivityKind.STEERING_COMMITTEE, ActivityKind.CLAUSE_COMMISSION)
    + sum(kind is ActionKind.STEERING_COMMITTEE for kind in s.actions),
    TargetKind.CONVENTIONS: lambda s: len(s.conventions),
    TargetKind.AWARENESS_ACTIONS: lambda s: sum(kind is ActionKind.AWARENESS_ACTION for kind in s.actions),
    TargetKind.PARTICIPANTS: lambda s: s.figures.people.participants,
    TargetKind.EXITS_DURABLE: lambda s: s.figures.people.exits_by_category.get(ExitCategory.EMPLOI_DURABLE, 0),
    TargetKind.EXITS_DYNAMIC: lambda s: sum(s.figures.people.exits_by_category.get(c, 0) for c in _DYNAMIC),
    TargetKind.COMPANIES_CONTACTED: lambda s: len(_distinct(
        s.activities, ActivityKind.CONTACT, ActivityKind.VISIT, ActivityKind.MEETING)),
    TargetKind.COMPANIES_VISITED: lambda s: len(_distinct(s.activities, ActivityKind.VISIT)),
    TargetKind.PARTNER_COMPANIES: lambda s: len(_distinct(s.activities, ActivityKind.PARTNERSHIP) | {
        ("company", c.company_id) for c in s.conventions
        if c.party_kind is PartyKind.ENTREPRISE and c.company_id is not None}),
    TargetKind.SMALL_COMPANIES: lambda s: len(_distinct(s.activities, ActivityKind.SMALL_COMPANY_SUPPORT, small=True)),
    TargetKind.OFFERS_COLLECTED: lambda s: s.fiches_received + _sum(s.activities, ActivityKind.OFFER_COLLECTED),
    TargetKind.OFFERS_DIFFUSED: lambda s: len(s.fiches_diffused) + _sum(s.activities, ActivityKind.OFFER_DIFFUSED),
    TargetKind.POSTS_TRANSMITTED: lambda s: sum(posts for _, posts in s.fiches_diffused)
    + _sum(s.activities, ActivityKind.POSTS_TRANSMITTED),
    TargetKind.MATCHINGS: lambda s: s.positionings + _sum(s.activities, ActivityKind.MATCHING),
    TargetKind.PREPARATIONS: lambda s: _sum(s.activities, ActivityKind.PREPARATION),
    TargetKind.COLLECTIVE_ACTIONS: lambda s: sum(kind is not ActionKind.STEERING_COMMITTEE for kind in s.actions),
    TargetKind.JOB_EVENTS: lambda s: sum(kind is ActionKind.JOB_DATING for kind in s.actions)
    + _sum(s.activities, ActivityKind.JOB_EVENT),
    TargetKind.INTERVIEWS: lambda s: _sum(s.activities, ActivityKind.INTERVIEW),
}


def measure(kind: TargetKind, sources: TargetSources, breakdown: Breakdown | None = None) -> Decimal:
    """Return the achieved figure of a target on the facts of its period and scope."""
    if breakdown is not None:
        if not CATALOGUE[kind].breakdowns:
            raise ValueError(f"La cible « {kind.label} » ne se décompose pas par public.")
        people = compute_indicators(rows_of(breakdown, sources.rows))
        sources = TargetSources(figures=Figures(sources.figures.lots, people))
    return Decimal(_MEASURES[kind](sources))


def target_label(kind: TargetKind, value: Decimal, breakdown: Breakdown | None = None,
                 period: str = "") -> str:
    """Return how a target reads on the sheet: « 80 000 heures d'insertion, dont bénéficiaires du RSA »."""
    shown = format_number(value, 0 if value == value.to_integral_value() else 2)
    text = f"{shown} {CATALOGUE[kind].noun(value)}"
    if breakdown is not None:
        text += f", {breakdown.label}"
    return f"{text} ({period})" if period else text


@dataclass(frozen=True)
class Target:
    """A target of the operation sheet and what was achieved against it."""

    label: str
    kind: TargetKind
    target: Decimal
    achieved: Decimal
    breakdown: Breakdown | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    # The manifest's names of the pieces proving it, filled when the dossier is written.
    pieces: tuple[str, ...] = field(default=())

    @property
    def pct(self) -> Decimal:
        """Return achieved ÷ target."""
        return ratio(self.achieved, self.target)

    @property
    def definition(self) -> str:
        """Return the catalogue's definition of what the target counts."""
        return CATALOGUE[self.kind].definition
