"""Every kind an organisation can import and export, by name: the pages, the CLI and the stores read it."""

from app.domain.dataimport.hours import HOURS_KIND
from app.domain.dataimport.kinds import BUYERS, COMPANIES, SIAE, Kind
from app.domain.dataimport.people import PARTICIPANTS, PLACEMENTS
from app.domain.dataimport.tenders import CONVENTIONS, TENDERS

# In the order a migration imports them: what a line points at comes first.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (BUYERS, COMPANIES, SIAE, TENDERS, PARTICIPANTS, PLACEMENTS,
                                                       HOURS_KIND, CONVENTIONS)}
