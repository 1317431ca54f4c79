"""The partnership convention between the facilitator's structure and a buyer, company or SIAE.

``STANDARD_CLAUSES`` holds the default commitments of each party kind; an administrator
edits them and the service passes the edited text in ``ConventionData``. Article numbers are
computed here so that the co-funding article appears only for FSE+-funded actions without
leaving a gap in the numbering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from stdnum.fr import siret as stdnum_siret

from app.domain.enums import PartyKind
from app.domain.formats import format_date_fr, with_article


# How the other party is called in the articles.
PARTY_NOUNS = {PartyKind.ACHETEUR: "l'acheteur", PartyKind.ENTREPRISE: "l'entreprise",
               PartyKind.SIAE: "la structure d'insertion"}
FACILITATOR = "facilitateur"

STANDARD_CLAUSES: dict[str, tuple[str, ...]] = {
    FACILITATOR: (
        "Informer les entreprises et les structures d'insertion sur les modalités de mise en œuvre "
        "de la clause sociale d'insertion.",
        "Identifier et présenter des candidats, en lien avec France Travail, les missions locales, "
        "le PLIE et les structures d'insertion du territoire.",
        "Vérifier l'éligibilité de chaque candidat sur pièces justificatives datant de moins de "
        "trois mois, avant toute prise de poste.",
        "Assurer le suivi des personnes recrutées pendant leur parcours et faciliter leur accès à "
        "la formation.",
        "Consolider les heures d'insertion réalisées et établir les bilans de l'action.",
    ),
    PartyKind.ACHETEUR.value: (
        "Insérer une clause sociale d'insertion dans les marchés entrant dans le périmètre de la "
        "présente convention, selon la rédaction proposée par le facilitateur.",
        "Associer le facilitateur à la préparation des consultations et lui communiquer les "
        "informations utiles : calendrier, montants, attributaires, avenants.",
        "Rappeler aux titulaires leurs obligations et appliquer, le cas échéant, les stipulations "
        "contractuelles prévues en cas de manquement.",
        "Participer au comité de suivi et désigner un référent pour la durée de la convention.",
    ),
    PartyKind.ENTREPRISE.value: (
        "Transmettre au facilitateur, pour chaque besoin de recrutement, une fiche de liaison "
        "décrivant le poste, les conditions d'emploi et la date de démarrage souhaitée.",
        "Déclarer chaque mois au facilitateur les heures d'insertion réalisées, accompagnées des "
        "justificatifs demandés.",
        "Accueillir les personnes recrutées dans de bonnes conditions et désigner un tuteur chargé "
        "de leur intégration sur le chantier ou le site.",
        "Informer sans délai le facilitateur de toute difficulté, absence prolongée ou rupture de "
        "contrat.",
    ),
    PartyKind.SIAE.value: (
        "Transmettre chaque mois au facilitateur la fiche de suivi des heures réalisées par chaque "
        "salarié en insertion, par marché et par lot.",
        "Assurer l'encadrement technique des salariés en insertion mis à disposition ou affectés "
        "à l'exécution des marchés.",
        "Assurer l'accompagnement socioprofessionnel des salariés en insertion et préparer avec "
        "eux leur sortie vers l'emploi ou la formation.",
        "Informer le facilitateur des entrées, des sorties et de leur motif.",
    ),
}


def default_reporting(kind: PartyKind, reporting_day: int = 10) -> tuple[tuple[str, str], ...]:
    """Return the default reporting calendar (what, when) for a party kind."""
    monthly = {
        PartyKind.ENTREPRISE: "Relevé des heures d'insertion réalisées le mois précédent",
        PartyKind.SIAE: "Fiche de suivi mensuelle des heures par salarié en insertion",
        PartyKind.ACHETEUR: "Liste des marchés notifiés et des avenants du mois précédent",
    }[kind]
    return (
        (monthly, f"au plus tard le {reporting_day} de chaque mois"),
        ("Bilan trimestriel de l'action, établi par le facilitateur",
         "dans le mois qui suit la fin de chaque trimestre"),
        ("Bilan final de la convention", "dans les deux mois qui suivent son échéance"),
    )


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


@dataclass(frozen=True)
class Party:
    kind: PartyKind
    name: str
    siret: str
    signatory: Signatory
    address: str = ""
    article: str = "aucun"  # a company's or an SIAE's name is used bare; a buyer's takes its stored article


@dataclass(frozen=True)
class ScopeItem:
    """A tender or an operation the convention covers."""

    reference: str
    label: str
    lot: str = ""


@dataclass(frozen=True)
class ConventionData:
    """Everything the convention states; commitments default to ``STANDARD_CLAUSES``."""

    facilitator_name: str
    facilitator_signatory: Signatory
    party: Party
    object: str
    scope: tuple[ScopeItem, ...]
    starts_on: date
    ends_on: date
    facilitator_address: str = ""
    reference: str = ""
    facilitator_commitments: tuple[str, ...] | None = None
    party_commitments: tuple[str, ...] | None = None
    reporting: tuple[tuple[str, str], ...] | None = None
    data_protection_contact: str = ""  # the facilitator's DPO or privacy address
    facilitator_article: str = ""  # key of formats.ARTICLES, empty: guessed from the name
    committee_members: tuple[str, ...] = ()
    committee_frequency: str = "au moins deux fois par an"
    is_fse_funded: bool = False
    fse_operation: str = ""  # operation number or title in the FSE+ programme
    annexes: tuple[str, ...] = field(default_factory=tuple)
    signed_at_place: str = ""


def _facilitator(data: ConventionData, form: str = "le") -> str:
    return with_article(data.facilitator_name, data.facilitator_article, form)


def _party(data: ConventionData, form: str = "le") -> str:
    return with_article(data.party.name, data.party.article, form)


def data_protection_paragraphs(data: ConventionData) -> list[str]:
    """Return the GDPR article: purposes, legal basis, retention, rights, health data."""
    contact = f" ({data.data_protection_contact})" if data.data_protection_contact else ""
    paragraphs = [
        f"{_facilitator(data, 'Le')} est responsable du traitement des données personnelles des "
        "participants, mis en œuvre pour le repérage et l'accompagnement des candidats, le suivi des "
        "heures d'insertion et l'établissement des bilans de l'action.",
        "Ce traitement repose sur l'exécution d'une mission d'intérêt public (article 6.1.e du "
        "règlement (UE) 2016/679, RGPD). Seules les données nécessaires à ces finalités sont "
        "collectées ; le numéro de sécurité sociale n'est jamais demandé.",
        "La reconnaissance de la qualité de travailleur handicapé (RQTH) est une donnée de santé "
        "(article 9 du RGPD) : elle n'est recueillie qu'avec l'accord exprès de la personne, n'est "
        "connue que du facilitateur et n'est jamais transmise à l'employeur sans son consentement.",
        "Les données d'accompagnement sont conservées deux ans après le dernier contact avec la "
        "personne, puis supprimées ; les bilans transmis aux partenaires sont anonymisés ou agrégés.",
        "Les personnes disposent des droits d'accès, de rectification, d'effacement, de limitation "
        "et d'opposition, qu'elles exercent auprès du délégué à la protection des données "
        f"{_facilitator(data, 'de')}{contact}. Elles peuvent saisir la CNIL.",
        "Chaque partie garde confidentielles les informations relatives aux participants dont elle "
        "a connaissance et ne les utilise que pour l'exécution de la présente convention.",
        _controller_roles(data),
    ]
    if data.is_fse_funded:
        # FSE+ audits can reach back years: proof documents outlive the two-year purge.
        paragraphs.append("Les pièces justificatives de l'opération cofinancée par le FSE+ sont "
                          "conservées, en accès restreint, pendant la durée exigée par la "
                          "réglementation européenne.")
    return paragraphs


def _controller_roles(data: ConventionData) -> str:
    """Return who is controller of what: an employer that sends nominative sheets is a separate controller."""
    if data.party.kind is PartyKind.ACHETEUR:
        return (f"{_party(data, 'Le')} ne reçoit du facilitateur que des données agrégées ou anonymisées ; "
                "il n'est destinataire d'aucune donnée nominative relative aux participants.")
    return (f"{_party(data, 'Le')} et {_facilitator(data)} sont responsables de traitement distincts : "
            f"{_party(data, 'Le')} traite les données de ses salariés pour la gestion de son personnel, le "
            "facilitateur pour le suivi de la clause. Les fiches de suivi nominatives que "
            f"{_party(data)} transmet ne contiennent que les données nécessaires à ce suivi (nom, "
            "heures, contrat) ; aucune des parties n'agit comme sous-traitant de l'autre au sens de "
            "l'article 28 du RGPD.")


def fse_mention(operation: str = "") -> str:
    """Return the EU co-funding sentence printed on FSE+-funded documents."""
    suffix = f" (opération « {operation} »)" if operation else ""
    return ("Cette action est cofinancée par l'Union européenne dans le cadre du programme FSE+ "
            f"2021-2027{suffix}.")


def validate_convention(data: ConventionData) -> list[str]:
    """Return the French problems that prevent producing the convention (empty: fine)."""
    problems = []
    if data.ends_on < data.starts_on:
        problems.append("La date de fin de la convention précède sa date de début.")
    if not stdnum_siret.is_valid(data.party.siret):
        problems.append(f"Le SIRET {_party(data, 'de')} est invalide : « {data.party.siret} ».")
    for who, signatory in ((_facilitator(data), data.facilitator_signatory), (_party(data), data.party.signatory)):
        if not signatory.name.strip() or not signatory.role.strip():
            problems.append(f"Indiquez le nom et la qualité du signataire pour {who}.")
    if not data.scope:
        problems.append("Indiquez au moins un marché ou une opération dans le périmètre.")
    # A convention goes out signed: no « n° — », no facilitator without an address.
    if not data.reference.strip():
        problems.append("Indiquez le numéro de la convention.")
    if not data.facilitator_address.strip():
        problems.append(f"Indiquez l'adresse {_facilitator(data, 'de')}.")
    return problems


def build_convention_context(data: ConventionData, generated_on: date) -> dict:
    """Return the DOCX context of a convention (dates and numbering ready to print)."""
    kind = data.party.kind
    siret = data.party.siret
    return {
        "generated_on": format_date_fr(generated_on),
        "reference": data.reference,
        "facilitator_name": data.facilitator_name,
        "facilitator_subject": _facilitator(data, "Le"),
        "facilitator_the": _facilitator(data),
        "facilitator_address": data.facilitator_address,
        "facilitator_signatory_name": data.facilitator_signatory.name,
        "facilitator_signatory_role": data.facilitator_signatory.role,
        "party_kind": kind.value,
        "party_kind_label": kind.label,
        "party_noun": PARTY_NOUNS[kind],
        "party_name": data.party.name,
        "party_the": _party(data),
        "party_siret": stdnum_siret.format(siret) if stdnum_siret.is_valid(siret) else siret,
        "party_address": data.party.address,
        "party_signatory_name": data.party.signatory.name,
        "party_signatory_role": data.party.signatory.role,
        "object": data.object,
        "scope": [{"reference": item.reference, "label": item.label, "lot": item.lot or "sans objet"}
                  for item in data.scope],
        "starts_on": format_date_fr(data.starts_on),
        "ends_on": format_date_fr(data.ends_on),
        "facilitator_commitments": list(data.facilitator_commitments or STANDARD_CLAUSES[FACILITATOR]),
        "party_commitments": list(data.party_commitments or STANDARD_CLAUSES[kind.value]),
        "reporting": [{"what": what, "when": when}
                      for what, when in (data.reporting or default_reporting(kind))],
        "data_protection": data_protection_paragraphs(data),
        "committee_members": list(data.committee_members) or [
            f"un représentant {_facilitator(data, 'de')}", f"un représentant {_party(data, 'de')}"],
        "committee_frequency": data.committee_frequency,
        "is_fse_funded": data.is_fse_funded,
        "fse_mention": fse_mention(data.fse_operation) if data.is_fse_funded else "",
        "annexes_article_number": "11" if data.is_fse_funded else "10",
        "annexes": list(data.annexes) or ["Aucune annexe."],
        "signed_at_place": data.signed_at_place or "……………………",
    }
