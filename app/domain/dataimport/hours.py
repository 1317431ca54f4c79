"""Past hour records: the hours a person worked on a lot in a month, as another tool kept them.

One line per person, lot and month (the « relevé » of the old tool flattened). The person is
named by Clausier's code or by name and birth date; the lot by the tender's reference and its
number (none needed when the tender has one lot). The declarant's SIRET, when the file has it,
says which placement the hours belong to when the person had two on the lot (one through an
SIAE, one hired directly). Resolving all that against the stored records is the store's.
"""

from app.domain.dataimport.kinds import DATE, HOURS, INT, MONTH, SIRET, TEXT, Field, Kind

HOURS_KIND = Kind("hours", "Heures réalisées (historique)", (
    Field("code", "Code participant", TEXT, False, ("code", "n participant", "numero participant", "identifiant",
                                                    "id participant", "matricule", "code beneficiaire"), 20),
    Field("last_name", "Nom", TEXT, False, ("nom", "nom de famille", "nom du participant", "nom usage",
                                            "nom beneficiaire", "salarie"), 120),
    Field("first_name", "Prénom", TEXT, False, ("prenom", "prenom du participant", "prenom beneficiaire"), 120),
    Field("birth_on", "Date de naissance", DATE, False, ("naissance", "date naissance", "ne le", "ne e le",
                                                         "date de naissance")),
    Field("tender_reference", "Référence du marché", TEXT, True, ("marche", "reference marche", "ref marche",
                                                                  "n marche", "numero de marche", "operation",
                                                                  "reference", "ref"), 80),
    Field("lot_number", "N° de lot", INT, False, ("lot", "n lot", "numero de lot", "no lot")),
    Field("month_on", "Mois", MONTH, True, ("mois", "periode", "mois de realisation", "mois concerne",
                                            "date", "mois annee")),
    Field("minutes", "Heures", HOURS, True, ("heures", "nb heures", "nombre d heures", "heures realisees",
                                             "heures d insertion", "heures travaillees", "volume horaire",
                                             "total heures")),
    Field("training_minutes", "Heures de formation", HOURS, False, ("formation", "heures formation",
                                                                    "dont formation")),
    Field("declarant_siret", "SIRET du déclarant", SIRET, False, ("siret declarant", "siret employeur",
                                                                  "siret structure", "siret siae", "siret",
                                                                  "employeur siret")),
), ("code", "last_name", "first_name", "birth_on", "tender_reference", "lot_number", "month_on"),
    frozenset({"code", "last_name", "first_name", "birth_on", "lot_number"}))
