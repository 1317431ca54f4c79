"""Data imports: read a spreadsheet in the sandbox, plan what it changes, apply it all or nothing.

``reading`` turns the file into rows and a mapping (a saved profile, or one proposed from the
header); ``plans`` matches the rows with the organisation's records and writes them; ``profiles``
keeps named mappings; ``export`` writes the same layout back out.
"""

# Each kind's store registers itself when its module is imported.
from app.services.dataimport import conventions, hours, people, tenders  # noqa: F401
from app.services.dataimport.export import export_rows
from app.services.dataimport.plans import ImportRefused, Plan, apply_plan, plan_import
from app.services.dataimport.profiles import find_profile, save_profile
from app.services.dataimport.reading import ImportInputError, SheetRead, kind_named, read_import

__all__ = ["ImportInputError", "ImportRefused", "Plan", "SheetRead", "apply_plan", "export_rows", "find_profile",
           "kind_named", "plan_import", "read_import", "save_profile"]
