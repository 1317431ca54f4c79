"""Gather records into contracts, one per (buyer SIRET, id), whatever the number of rows."""

from __future__ import annotations

from app.domain.decp.model import DecpContract, DecpFile, DecpWarning
from app.domain.formats import format_money

# Fields a later row or duplicate may fill when the first one left them empty.
_FILLABLE = ("buyer_name", "nature", "object", "cpv", "procedure", "amount", "duration_months",
             "notified_on", "social")


class Collector:
    """Collect contracts and warnings; ``rows_per_holder`` is True for the tabular exports."""

    def __init__(self, file_format: str, *, rows_per_holder: bool = False) -> None:
        self.result = DecpFile(file_format)
        self.rows_per_holder = rows_per_holder
        self._by_key: dict[str, DecpContract] = {}

    def warn(self, code: str, message: str, record: int | None = None) -> None:
        """Record a warning about the file or one record."""
        self.result.warnings.append(DecpWarning(code, message, record))

    def add(self, contract: DecpContract, where: str) -> None:
        """Add a contract, or merge it into the one already read with the same key."""
        known = self._by_key.get(contract.key)
        if known is None:
            self._by_key[contract.key] = contract
            self.result.contracts.append(contract)
            return
        for holder in contract.holders:
            known.add_holder(holder)
        for name in _FILLABLE:
            if getattr(known, name) in (None, "") and getattr(contract, name) not in (None, ""):
                setattr(known, name, getattr(contract, name))
        if self.rows_per_holder:
            # One row per contract × titulaire: the amount repeats on each row and counts once.
            if contract.amount is not None and known.amount is not None and contract.amount != known.amount:
                self.warn("amount_mismatch",
                          f"{where} : le marché {contract.id} de l'acheteur {contract.buyer_siret} a deux montants "
                          f"({format_money(known.amount)} et {format_money(contract.amount)}) ; le premier est gardé.",
                          contract.record)
            return
        self.warn("duplicate_id",
                  f"{where} : le marché {contract.id} de l'acheteur {contract.buyer_siret} figure déjà "
                  f"(enregistrement n° {known.record + 1}) ; il est compté une fois, avec les données du premier.",
                  contract.record)
