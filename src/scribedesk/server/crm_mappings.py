"""The shipped CRM mappings, loaded and checked at the service's start."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scribedesk.domain.crm_mapping import CrmMapping, MappingError, load_mapping
from scribedesk.domain.templates import Template
from scribedesk.server import hubspot, salesforce

#: Each CRM's object fields a mapping may fill, by role.
CRM_FIELDS = {"salesforce": salesforce.FIELDS, "hubspot": hubspot.FIELDS}


def load_mappings(
    directory: Path, templates: Mapping[str, Template]
) -> dict[tuple[str, str], CrmMapping]:
    """Every ``<crm>/<template>.json`` under ``directory``, by (crm, template id); the first
    bad file raises MappingError naming the file and the field."""
    mappings = {}
    for path in sorted(directory.glob("*/*.json")):
        crm = path.parent.name
        if crm not in CRM_FIELDS:
            raise MappingError(
                f"{crm}/{path.name}: no connector for {crm!r} (known: {', '.join(CRM_FIELDS)})"
            )
        mapping = load_mapping(path, templates, CRM_FIELDS[crm])
        if mapping.crm != crm:
            raise MappingError(f"{crm}/{path.name}: 'crm' says {mapping.crm!r}, the folder {crm!r}")
        mappings[(crm, mapping.template_id)] = mapping
    return mappings
