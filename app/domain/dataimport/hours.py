"""Past hour records: the hours a person worked on a lot in a month, as another tool kept them.

One line per person, lot and month (the « relevé » of the old tool flattened). The person and
the lot are named as a placement's line names them (``people.person_fields``, ``lot_fields``). The declarant's SIRET, when the file has it,
says which placement the hours belong to when the person had two on the lot (one through an
SIAE, one hired directly). Resolving all that against the stored records is the store's.
"""

from app.domain.dataimport.kinds import HOURS, MONTH, SIRET, Field, Kind
from app.domain.dataimport.people import full_name_field, lot_fields, person_fields

HOURS_KIND = Kind("hours", "Heures réalisées (historique)", (
    *person_fields(required=False),
    full_name_field(),
    *lot_fields(),
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
), ("participant_code", "last_name", "first_name", "full_name", "birth_on", "tender_reference", "lot_number",
    "month_on"), frozenset({"participant_code", "last_name", "first_name", "full_name", "birth_on", "lot_number"}))
