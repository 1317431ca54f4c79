"""Every kind an organisation can import and export, by name: the pages, the CLI and the stores read it."""

from app.domain.dataimport.kinds import BUYERS, COMPANIES, SIAE, Kind
from app.domain.dataimport.people import PARTICIPANTS, PLACEMENTS

KINDS: dict[str, Kind] = {kind.name: kind for kind in (COMPANIES, SIAE, BUYERS, PARTICIPANTS, PLACEMENTS)}
