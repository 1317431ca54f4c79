"""FSE+ participant data: the entry, exit and 6-month situation the common indicators need.

Reg. (EU) 2021/1057, Annex I (DOMAIN.md §8): output indicators EECO01–17 are read at entry,
result indicators EECR01–04 at exit (within 4 weeks) and EECR05–06 six months after it.
"""

from app.domain.enums import LabelledEnum


class LabourStatus(LabelledEnum):
    """Labour-market status on entry into the operation (EECO02–05)."""

    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "Chômeur de longue durée (12 mois et plus)"
    UNEMPLOYED = "unemployed", "Chômeur (moins de 12 mois)"
    INACTIVE = "inactive", "Inactif (ni en emploi ni en recherche)"
    EMPLOYED = "employed", "En emploi, y compris indépendant"


class EducationLevel(LabelledEnum):
    """Highest level of education reached on entry, by ISCED band (EECO09–11)."""

    ISCED_0_2 = "isced_0_2", "CITE 0 à 2 : jusqu'au brevet, CAP-BEP non obtenu"
    ISCED_3_4 = "isced_3_4", "CITE 3 et 4 : CAP, BEP, baccalauréat"
    ISCED_5_8 = "isced_5_8", "CITE 5 à 8 : bac + 2 et au-delà"
