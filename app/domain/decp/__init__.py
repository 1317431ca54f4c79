"""DECP (données essentielles de la commande publique): read the files, check the contracts."""

from app.domain.decp.checks import (
    CLAUSABLE_NOT_FOLLOWED,
    CLAUSE_NOT_DECLARED,
    DECLARED_CLAUSE_UNKNOWN,
    THRESHOLD_WITHOUT_SOCIAL_CONDITION,
    ClausableRule,
    DecpFlag,
    KnownTender,
    check_contracts,
    date_warnings,
)
from app.domain.decp.model import DecpContract, DecpError, DecpFile, DecpWarning, Holder
from app.domain.decp.read import parse_decp
from app.domain.decp.report import report_to_dict

__all__ = [
    "CLAUSABLE_NOT_FOLLOWED", "CLAUSE_NOT_DECLARED", "DECLARED_CLAUSE_UNKNOWN", "THRESHOLD_WITHOUT_SOCIAL_CONDITION",
    "ClausableRule", "DecpContract", "DecpError", "DecpFile", "DecpFlag", "DecpWarning", "Holder", "KnownTender",
    "check_contracts", "date_warnings", "parse_decp", "report_to_dict",
]
