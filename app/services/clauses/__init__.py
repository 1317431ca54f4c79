"""Clause drafting on a tender: calculations, reference data of the organisation, clause packs."""
