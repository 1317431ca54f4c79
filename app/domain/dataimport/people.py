"""Participants and their placements, as offices keep them in spreadsheets.

A participant line names the person (name, birth date, optionally Clausier's code) and their
eligibility criteria with proof dates, written either in one « Critères » column (« RSA, TH
(12/03/2024) ») with an optional « Date du justificatif », or one column per criterion whose cell
is ticked or holds the proof date. An import adds criteria and updates their proof dates, and
never removes one: a file that leaves a criterion out says nothing about it.

Persons are compared folded (case, accents, hyphens and spaces); a line close to a stored
person without being them (a typo, first names in another order, a missing birth date) still
creates, and says whom it resembles so that someone checks.
"""

from dataclasses import dataclass
from datetime import date

from app.domain.dataimport.kinds import (
    BOOL,
    CODES,
    DATE,
    EMAIL,
    ENUM,
    INT,
    MARK,
    PHONE,
    POSTCODE,
    SIRET,
    TEXT,
    Field,
    Kind,
)
from app.domain.enums import ContractType, Criterion, Modality, Sex
from app.domain.sheetmap import header_key

# Other tools' spellings of the criteria (folded as column titles are), beyond Clausier's codes and labels.
CRITERION_ALIASES = {
    "rsa": "brsa", "b rsa": "brsa", "beneficiaire rsa": "brsa", "allocataire rsa": "brsa", "rsa socle": "brsa",
    "beneficiaire ass": "ass", "beneficiaire aah": "aah",
    "de ld": "deld", "dld": "deld", "de longue duree": "deld", "de 12 mois": "deld",
    "demandeur d'emploi de longue duree": "deld", "chomeur de longue duree": "deld",
    "de tld": "detld", "de tres longue duree": "detld", "de 24 mois": "detld", "tres longue duree": "detld",
    "jeunes": "jeune", "-26 ans": "jeune", "- de 26 ans": "jeune", "moins de 26 ans": "jeune",
    "jeune -26 ans": "jeune", "jeune de moins de 26 ans": "jeune",
    "seniors": "senior", "+50 ans": "senior", "50 ans et plus": "senior", "plus de 50 ans": "senior",
    "senior +50 ans": "senior", "senior 50 ans et plus": "senior",
    "th": "rqth", "travailleur handicape": "rqth", "boeth": "rqth", "oeth": "rqth", "handicap": "rqth",
    "participant plie": "plie", "participant du plie": "plie", "critere plie": "plie",
    "siae": "salarie_siae", "iae": "salarie_siae", "salarie siae": "salarie_siae", "salarie iae": "salarie_siae",
    "pass iae": "salarie_siae",
    "quartier prioritaire": "qpv", "resident qpv": "qpv", "critere qpv": "qpv",
    "epide": "parcours", "e2c": "parcours", "ecole de la 2e chance": "parcours",
    "ecole de la deuxieme chance": "parcours", "parcours d'insertion": "parcours",
}

SEX_ALIASES = {"h": "M", "masculin": "M", "monsieur": "M", "mr": "M", "1": "M",
               "feminin": "F", "madame": "F", "mme": "F", "mlle": "F", "2": "F"}

MODALITY_ALIASES = {
    "embauche": "embauche_directe", "recrutement direct": "embauche_directe", "recrutement": "embauche_directe",
    "mad etti": "etti", "mise a disposition etti": "etti", "mad ai": "ai", "mise a disposition ai": "ai",
    "mad geiq": "geiq", "mise a disposition geiq": "geiq",
    "interim classique": "interim", "ett": "interim", "mad ett": "interim",
    "sous-traitance": "sous_traitance", "cotraitance": "sous_traitance", "co-traitance": "sous_traitance",
}

CONTRACT_ALIASES = {
    "cdd insertion": "cddi", "cdd d'insertion": "cddi", "contrat a duree determinee d'insertion": "cddi",
    "interim": "mission_interim", "mission interim": "mission_interim", "contrat de mission": "mission_interim",
    "ctt": "mission_interim", "mission etti": "mission_etti", "interim d'insertion": "mission_etti",
    "ctti": "mission_etti", "cddu": "cdd_usage", "cdd d'usage": "cdd_usage", "cdd usage": "cdd_usage",
    "chantier": "contrat_chantier", "contrat pro": "professionnalisation",
    "contrat de professionnalisation": "professionnalisation", "apprenti": "apprentissage",
    "contrat d'apprentissage": "apprentissage",
}

# One column per criterion (« BRSA », « RQTH », « Jeune -26 ans »): read, never exported (« Critères » is).
_CRITERION_COLUMNS = {
    Criterion.BRSA: ("BRSA", ("rsa", "beneficiaire du rsa", "allocataire rsa")),
    Criterion.ASS: ("ASS", ("beneficiaire ass",)),
    Criterion.AAH: ("AAH", ("beneficiaire aah",)),
    Criterion.DELD: ("DELD", ("de ld", "dld", "de longue duree", "de 12 mois")),
    Criterion.DETLD: ("DETLD", ("de tld", "de tres longue duree", "de 24 mois")),
    Criterion.JEUNE: ("Jeune -26 ans", ("jeune", "jeunes", "-26 ans", "moins de 26 ans", "jeune de moins de 26 ans")),
    Criterion.SENIOR: ("Senior +50 ans", ("senior", "seniors", "+50 ans", "plus de 50 ans", "50 ans et plus")),
    Criterion.RQTH: ("RQTH", ("th", "travailleur handicape", "boeth")),
    Criterion.PLIE: ("Critère PLIE", ("participant du plie",)),
    Criterion.SALARIE_SIAE: ("Salarié SIAE", ("salarie d'une siae", "salarie iae", "iae")),
    Criterion.QPV: ("Critère QPV", ()),
    Criterion.PARCOURS: ("Parcours (EPIDE, E2C…)", ("parcours", "epide", "e2c", "parcours d'insertion")),
}
CRITERION_ROLES = {f"criterion_{criterion.value}": criterion for criterion in _CRITERION_COLUMNS}


def person_fields(required: bool) -> tuple[Field, ...]:
    """Return the columns naming a person: Clausier's code, or name, first name and birth date."""
    return (
        Field("participant_code", "Code Clausier", TEXT, False, ("code participant", "code du participant",
                                                                 "code pseudonyme", "n clausier"), 20),
        Field("last_name", "Nom", TEXT, required, ("nom de famille", "nom d'usage", "nom usage",
                                                   "nom du participant", "nom du salarie"), 120),
        Field("first_name", "Prénom", TEXT, required, ("prenoms", "prenom du participant", "prenom du salarie"), 120),
        Field("birth_on", "Date de naissance", DATE, False, ("ne le", "nee le", "ne e le", "naissance",
                                                             "date naissance", "ddn")),
    )


PARTICIPANTS = Kind("participants", "Participants", (
    *person_fields(required=True),
    Field("sex", "Sexe", ENUM, False, ("genre", "civilite", "h f", "f h"), enum=Sex, aliases=SEX_ALIASES),
    Field("postcode", "Code postal", POSTCODE, False, ("cp", "c p", "code postal domicile")),
    Field("is_qpv", "QPV", BOOL, False, ("quartier prioritaire", "resident qpv", "habite en qpv", "zone qpv")),
    Field("qualification_level", "Niveau de qualification", TEXT, False, (
        "niveau", "niveau de formation", "niveau d'etudes", "niveau de diplome", "qualification"), 40),
    Field("is_plie_followed", "Suivi PLIE", BOOL, False, ("suivi par le plie", "plie", "accompagnement plie")),
    Field("plie_entry_on", "Date d'entrée PLIE", DATE, False, ("entree plie", "date entree plie",
                                                               "date d'entree dans le plie", "entree dans le plie")),
    Field("phone", "Téléphone", PHONE, False, ("tel", "tel.", "portable", "mobile", "telephone portable"), 30),
    Field("email", "E-mail", EMAIL, False, ("email", "mail", "courriel", "adresse mail", "adresse e-mail"), 254),
    Field("criteria", "Critères", CODES, False, ("critere", "criteres d'eligibilite", "critere d'eligibilite",
                                                 "eligibilite", "public", "publics", "public cible",
                                                 "categorie de public"), enum=Criterion, aliases=CRITERION_ALIASES),
    Field("proof_on", "Date du justificatif", DATE, False, ("date justificatif", "justificatif",
                                                            "date des justificatifs", "date de justificatif")),
    *(Field(role, label, MARK, False, synonyms, exported=False)
      for role, (label, synonyms) in zip(CRITERION_ROLES, _CRITERION_COLUMNS.values(), strict=True)),
), ("last_name", "first_name", "birth_on"), frozenset({"birth_on"}))

def full_name_field() -> Field:
    """Return the one column some files name a person in (« DUPONT Marie »), read to find a stored person.

    Which words are the last name cannot be told from the cell alone (« DA SILVA Ana », « Marie
    DUPONT »): the store tries every split against the stored people, so this column finds
    people, never creates them.
    """
    return Field("full_name", "Nom et prénom", TEXT, False, (
        "nom prenom", "nom et prenom", "prenom nom", "prenom et nom", "nom prenom du salarie", "salarie",
        "beneficiaire", "participant", "identite", "nom complet", "personne"), 240, exported=False)


def lot_fields() -> tuple[Field, ...]:
    """Return the columns naming a lot: the tender's reference and the lot's number (none for a one-lot tender)."""
    return (
        Field("tender_reference", "Référence du marché", TEXT, True, (
            "reference", "reference marche", "ref marche", "ref. marche", "n de marche", "numero de marche",
            "marche", "reference du marche public", "n marche", "operation"), 80),
        Field("lot_number", "N° de lot", INT, False, ("lot", "numero de lot", "n lot", "no lot", "num lot")),
    )


PLACEMENTS = Kind("placements", "Mises en situation", (
    *person_fields(required=False),
    full_name_field(),
    *lot_fields(),
    Field("company_siret", "SIRET de l'employeur", SIRET, False, (
        "siret", "siret employeur", "siret entreprise", "siret de l'entreprise", "siret titulaire",
        "siret attributaire")),
    Field("siae_siret", "SIRET de la SIAE", SIRET, False, ("siret siae", "siret structure",
                                                           "siret de la structure", "siret structure d'insertion")),
    Field("modality", "Modalité", ENUM, True, ("modalite de mise en oeuvre", "mode", "type de mise a l'emploi",
                                               "modalite d'execution"), enum=Modality, aliases=MODALITY_ALIASES),
    Field("contract_type", "Type de contrat", ENUM, True, ("contrat", "type contrat", "nature du contrat"),
          enum=ContractType, aliases=CONTRACT_ALIASES),
    Field("starts_on", "Date de début", DATE, True, ("debut", "date debut", "date d'entree", "entree",
                                                     "debut de contrat", "date de debut de contrat")),
    Field("ends_on", "Date de fin", DATE, False, ("fin", "date fin", "date de sortie", "sortie", "fin de contrat",
                                                  "date de fin de contrat")),
), ("participant_code", "last_name", "first_name", "full_name", "birth_on", "tender_reference", "lot_number",
    "starts_on"), frozenset({"participant_code", "last_name", "first_name", "full_name", "birth_on", "lot_number"}))

Proofs = dict[Criterion, date | None]


def criteria_of(values: dict[str, object]) -> tuple[Proofs, list[str]]:
    """Return the criteria a checked line gives, with their proof dates, and any contradiction (French).

    A criterion without a date of its own takes the line's « Date du justificatif », if any.
    """
    found: dict[Criterion, set[date | None]] = {}
    for criterion, proof in values.get("criteria") or ():
        found.setdefault(criterion, set()).add(proof)
    for role, criterion in CRITERION_ROLES.items():
        if role in values:
            found.setdefault(criterion, set()).add(values[role] if isinstance(values[role], date) else None)
    shared = values.get("proof_on")
    proofs: Proofs = {}
    problems = []
    for criterion, dates in found.items():
        dated = {proof for proof in dates if proof is not None} or ({shared} if shared else set())
        if len(dated) > 1:
            listed = " et ".join(sorted(f"{proof:%d/%m/%Y}" for proof in dated))
            problems.append(f"Critère « {criterion.label} » : deux dates de justificatif différentes ({listed}).")
        proofs[criterion] = next(iter(dated), None)
    order = list(Criterion)
    return dict(sorted(proofs.items(), key=lambda item: order.index(item[0]))), problems


def merge_criteria(stored: Proofs, wanted: Proofs) -> Proofs:
    """Return the stored criteria with the file's added or re-dated; a tick without a date keeps the stored date."""
    merged = dict(stored)
    for criterion, proof in wanted.items():
        if proof is not None or criterion not in merged:
            merged[criterion] = proof
    order = list(Criterion)
    return dict(sorted(merged.items(), key=lambda item: order.index(item[0])))


def criteria_cells(proofs: Proofs) -> tuple[tuple[tuple[Criterion, date | None], ...], date | None]:
    """Return the « Critères » and « Date du justificatif » cells: one shared date apart, else dates in brackets."""
    dates = set(proofs.values())
    if len(dates) == 1 and None not in dates:
        return tuple((criterion, None) for criterion in proofs), next(iter(dates))
    return tuple(proofs.items()), None


@dataclass(frozen=True)
class Person:
    """A stored person as matching compares them."""

    id: int
    code: str
    last_name: str
    first_name: str
    birth_on: date | None
    sex: Sex | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """Return the folded identity: names without case, accents, hyphens or spaces; the birth date."""
        return person_key(self.last_name, self.first_name, self.birth_on)

    def described(self) -> str:
        """Return « DUPONT Marie, née le 12/03/1985 (P-00042) »."""
        born = {Sex.FEMME: "née", Sex.HOMME: "né"}.get(self.sex, "né(e)")
        when = f"{born} le {self.birth_on:%d/%m/%Y}" if self.birth_on else "sans date de naissance"
        return f"{self.last_name.upper()} {self.first_name}, {when} ({self.code})"


def name_key(name: object) -> str:
    """Return a name folded for comparison: « Jean-Pierre », « jean pierre » and « JEANPIERRE » alike."""
    return "".join(header_key(name).split())


def person_key(last_name: object, first_name: object, birth_on: date | None) -> tuple[str, str, str]:
    """Return the folded natural key of a person: last name, first name, birth date (ISO, or empty)."""
    return name_key(last_name), name_key(first_name), birth_on.isoformat() if birth_on else ""


def close_names(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Tell whether two (last name, first name) may be one person: names swapped or in another order, a typo."""
    if sorted(header_key(f"{first[0]} {first[1]}").split()) == sorted(header_key(f"{second[0]} {second[1]}").split()):
        return True
    joined, other = name_key(f"{first[0]} {first[1]}"), name_key(f"{second[0]} {second[1]}")
    return _within(joined, other, 1 if min(len(joined), len(other)) < 8 else 2)


def _within(one: str, two: str, limit: int) -> bool:
    # Levenshtein distance at most ``limit``, stopping as soon as a row passes it.
    if abs(len(one) - len(two)) > limit:
        return False
    previous = list(range(len(two) + 1))
    for i, char in enumerate(one, 1):
        current = [i]
        for j, other in enumerate(two, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def suggestion(person: Person) -> str:
    """Return the reason a created line carries when it resembles a stored person."""
    return f"proche de {person.described()} : vérifiez qu'il ne s'agit pas de la même personne"
