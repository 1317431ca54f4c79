"""Every personal column of the model is in docs/data-inventory.toml (or declared not personal)."""

import re
import tomllib
from pathlib import Path

import app.models as models

INVENTORY = Path(__file__).resolve().parent.parent / "docs" / "data-inventory.toml"
# Tables about a person: all their columns count, whatever their name.
PERSON_TABLES = {"participant", "participant_criterion", "participant_exit", "action_attendee", "positioning",
                 "fse_participant_record"}
TECHNICAL = {"id", "organisation_id", "created_at", "updated_at"}
PERSONAL_NAME = re.compile(
    r"(name|e_?mail|phone|birth|address|postcode|sex|contact|signator|tutor|criterion|proof|qpv|"
    r"qualification|plie|rqth|situation|employer|preview|attendee|salary|note|comment|secret|token|data$)", re.I)


def inventory() -> dict:
    return tomllib.loads(INVENTORY.read_text())


def personal_columns() -> set[str]:
    found = set()
    for table in models.Base.metadata.tables.values():
        for column in table.columns:
            if column.name in TECHNICAL or column.foreign_keys:
                continue
            if PERSONAL_NAME.search(column.name) or table.name in PERSON_TABLES and _describes_person(column.name):
                found.add(f"{table.name}.{column.name}")
    return found


def _describes_person(column: str) -> bool:
    # Flags and workflow fields of person tables (status, category…) are derived, not personal input.
    return not re.search(r"(status|category|is_override|attended|is_subsidised|follow_up_due_on|follow_up_done_on|"
                         r"proposed_at|code|anonymised)", column)


def test_inventory_covers_every_personal_column():
    data = inventory()
    listed = set(data["columns"]) | set(data["not_personal"])
    missing = sorted(personal_columns() - listed)
    assert not missing, f"Colonnes personnelles absentes de docs/data-inventory.toml : {missing}"


def test_inventory_entries_exist_and_are_complete():
    data = inventory()
    existing = {f"{t.name}.{c.name}" for t in models.Base.metadata.tables.values() for c in t.columns}
    assert not sorted(set(data["columns"]) - existing), "entrées d'inventaire sans colonne"
    for name, entry in data["columns"].items():
        assert {"purpose", "basis", "seen_by", "retention"} <= set(entry), name
        assert all(entry[key].strip() for key in ("purpose", "basis", "seen_by", "retention")), name
