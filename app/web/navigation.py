"""The top menu and the home cards, from one table: Clausier's four jobs, the référentiel, administration.

Each entry names an endpoint only; whether a role sees it is read from that view's own
``require(...)`` permissions (``required_permissions``), so the menu cannot promise a page the
view would refuse. ``hidden_for`` only ever hides more: an entry a role may open but that shows
it nothing (an SIAE has no fiche de liaison) — it never opens a page to anyone.
"""

from dataclasses import dataclass, field

from flask import current_app, has_request_context, request

from app.access import Scope
from app.domain.enums import Role


@dataclass(frozen=True)
class Entry:
    """A page of the menu: its label, its endpoint, and what the home card says of it."""

    label: str
    endpoint: str
    hint: str = ""
    hidden_for: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Section:
    """A group of the menu; the four jobs are also the home cards."""

    key: str
    title: str
    entries: tuple[Entry, ...]
    # The page a home card stands for: no card when the role may not open it (an SIAE reads
    # the marchés of its people but does not calculate clauses), nor when no entry is left.
    card_endpoint: str | None = None
    card_text: str = ""


STRUCTURES = frozenset({Role.SIAE, Role.ENTREPRISE})

SECTIONS: tuple[Section, ...] = (
    Section("clauses", "Clauses", (
        Entry("Marchés", "tenders.index", "les marchés, leurs lots et les heures d'insertion de la clause"),
        Entry("Repérage", "pipeline.index", "les marchés en préparation, de l'idée à la publication"),
        Entry("Veille DECP", "veille.index", "les marchés publiés par les acheteurs du territoire"),
        Entry("Acheteurs", "buyers.index", hidden_for=STRUCTURES),
        Entry("Opérations et chantiers", "programmes.index", "les projets qui regroupent des marchés"),
    ), card_endpoint="clauses.calculator",
        card_text="Les heures d'insertion des marchés et la clause du DCE (CCAP, RC, acte d'engagement)."),
    Section("fiches", "Fiches & conventions", (
        Entry("Fiches de liaison", "fiches.index", "les besoins de recrutement et les candidats positionnés",
              hidden_for=frozenset({Role.SIAE})),
        Entry("Conventions", "conventions.index", "les conventions avec les entreprises et les SIAE, et leurs échéances"),
        Entry("Entreprises", "companies.index", hidden_for=frozenset({Role.SIAE})),
        Entry("Participants", "participants.index", hidden_for=STRUCTURES),
        Entry("Partenaires", "partners.index", "les partenaires et prescripteurs qui reçoivent les fiches"),
    ), card_endpoint="fiches.index",
        card_text="Les besoins de recrutement des entreprises et les personnes qui y répondent."),
    Section("releves", "Relevés d'heures", (
        Entry("Relevés d'heures", "timesheets.index", "les fiches de suivi déposées et les heures lues par personne"),
        Entry("Déposer un relevé", "timesheets.upload", "la fiche de suivi du mois telle qu'elle est (Excel, CSV, PDF)"),
        Entry("Mises en situation", "placements.index", "qui travaille sur quel lot, et pour quelle structure"),
        Entry("Participants", "participants.index", hidden_for=frozenset(Role) - STRUCTURES),
        Entry("SIAE", "siaes.index", hidden_for=frozenset({Role.ENTREPRISE})),
    ), card_endpoint="timesheets.index",
        card_text="Les heures réalisées chaque mois, par personne et par lot."),
    Section("suivi", "Suivi & FSE+", (
        Entry("Tableau de bord", "dashboards.index", "heures exigées et réalisées, projections et alertes"),
        Entry("Relances à 6 mois", "dashboards.follow_ups"),
        Entry("Actions collectives", "actions.index"),
        Entry("Exports et bilans", "exports.index", "tableau d'impact, listes, statistiques et bilans"),
        Entry("Dossier FSE+", "dossiers.index", "les pièces justificatives de l'opération, en un ZIP"),
        Entry("Journal d'activité", "activities.index", "contacts, visites, comités et mises en relation"),
        Entry("Consolidation", "consolidation.index", "les indicateurs des territoires partenaires, sans aucun nom"),
    ), card_endpoint="dashboards.index",
        card_text="Le suivi des heures et des parcours, et la justification de l'opération FSE+."),
    Section("referentiel", "Référentiel", (
        Entry("Parts de main-d'œuvre", "labour_shares.index"),
        Entry("Paramètres de calcul", "reference_params.index"),
        Entry("Modèles de documents", "doc_templates.index"),
        Entry("Engagements types des conventions", "conventions.clauses"),
        Entry("Règles « clausable »", "veille.rules"),
    )),
    Section("admin", "Administration", (
        Entry("Comptes", "users.index"),
        Entry("Journal d'audit", "users.journal"),
        Entry("Jetons d'API", "api_tokens.index"),
        Entry("Messages envoyés", "mail.index"),
        Entry("Modèles de messages", "mail.templates"),
        Entry("Profils de lecture", "reading_profiles.index"),
        Entry("Importer des données", "dataimport.index",
              "les entreprises, SIAE, acheteurs, marchés, participants… d'un autre outil ou d'un tableur"),
    )),
)


def may_open(scope: Scope | None, endpoint: str) -> bool:
    """Tell whether ``scope`` passes the permission check of ``endpoint``'s view.

    A view without ``require`` only needs a signed-in user (the home page, Mon compte).
    """
    if scope is None or scope.role is None:
        return False
    needed = getattr(current_app.view_functions[endpoint], "required_permissions", None)
    return needed is None or scope.can_any(*needed)


def _shown(scope: Scope, entry: Entry) -> bool:
    return scope.role not in entry.hidden_for and may_open(scope, entry.endpoint)


@dataclass(frozen=True)
class Group:
    """A section as one role sees it: only the entries it may open."""

    section: Section
    entries: list[Entry] = field(default_factory=list)
    current: bool = False


def menu_for(scope: Scope | None) -> list[Group]:
    """Return the menu groups of ``scope``, each with the entries it may open (empty groups left out)."""
    if scope is None or scope.role is None:
        return []
    here = request.endpoint if has_request_context() else None
    groups = []
    for section in SECTIONS:
        entries = [entry for entry in section.entries if _shown(scope, entry)]
        if entries:
            current = any(entry.endpoint == here for entry in entries)
            groups.append(Group(section, entries, current))
    return groups


def cards_for(scope: Scope | None) -> list[Group]:
    """Return the home cards of ``scope``: the jobs whose main page it may open, with their links."""
    return [group for group in menu_for(scope)
            if group.section.card_endpoint and may_open(scope, group.section.card_endpoint)]
