"""The JSON shape of a DECP import report (``clausier decp import --json``, issue #16)."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.decp.checks import DecpFlag
from app.domain.decp.model import DecpFile, DecpWarning


def report_to_dict(result: DecpFile, flags: Iterable[DecpFlag], warnings: Iterable[DecpWarning] = ()) -> dict:
    """Return the report: format, distinct contracts, total amount (each contract once), flags, warnings."""
    return {
        "format": result.format,
        "contracts": len(result.contracts),
        "amount_total": f"{result.amount_total:.2f}",
        "buyers": len(result.buyer_sirets),
        "companies": len(result.company_ids),
        "flags": [{"code": f.code, "contract": f.contract, "message": f.message} for f in flags],
        "warnings": [{"code": w.code, "message": w.message, "record": w.record}
                     for w in [*result.warnings, *warnings]],
    }
