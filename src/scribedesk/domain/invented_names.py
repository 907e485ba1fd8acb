"""Invented names for a production transcript promoted to an exercise: no real
customer's account or people stay in the training library."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scribedesk.domain.fieldspec import TEXT_TYPES, FieldType
from scribedesk.domain.templates import Template

INVENTED_ACCOUNTS = (
    "Blue Heron Freight",
    "Copperfield Foods",
    "Driftwood Analytics",
    "Evergreen Clinics",
    "Foxglove Media",
    "Granite Peak Insurance",
    "Harborlight Energy",
    "Ironbark Tools",
)
INVENTED_PEOPLE = (
    "Alex Morgan",
    "Jamie Fischer",
    "Priya Natarajan",
    "Sam Okafor",
    "Lena Kowalski",
    "Marco Bellini",
    "Hana Suzuki",
    "Owen Gallagher",
    "Ines Duarte",
    "Tomas Novak",
)


def anonymise(
    template: Template, fields: Mapping[str, Any], narrative: str, seed: int = 0
) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The fields and narrative with the account and every person replaced by invented
    names (whole names, and a person's first and last name alone where the narrative uses
    them); returns the new fields, the new narrative and what replaced what."""
    names: dict[str, str] = {}
    accounts = iter(INVENTED_ACCOUNTS[seed % len(INVENTED_ACCOUNTS) :] + INVENTED_ACCOUNTS)
    people = iter(INVENTED_PEOPLE[seed % len(INVENTED_PEOPLE) :] + INVENTED_PEOPLE)
    out = dict(fields)
    for spec in template.fields:
        value = out.get(spec.id)
        if spec.type is FieldType.ACCOUNT and isinstance(value, str) and value.strip():
            out[spec.id] = names.setdefault(value.strip(), next(accounts))
        elif spec.type is FieldType.PERSON and value is not None:
            many = value if isinstance(value, list) else [value]
            replaced: list[Any] = []
            for person in many:
                if isinstance(person, dict) and str(person.get("name") or "").strip():
                    real = str(person["name"]).strip()
                    invented = names.setdefault(real, next(people))
                    real_parts, new_parts = real.split(), invented.split()
                    if len(real_parts) > 1 and len(new_parts) > 1:
                        names.setdefault(real_parts[0], new_parts[0])
                        names.setdefault(real_parts[-1], new_parts[-1])
                    replaced.append({**person, "name": invented})
                else:
                    replaced.append(person)
            out[spec.id] = replaced if isinstance(value, list) else replaced[0]
    text = narrative
    for real in sorted(names, key=len, reverse=True):  # whole names before their parts
        text = re.sub(rf"\b{re.escape(real)}\b", names[real], text)
    for spec in template.fields:  # names inside the other text fields too
        value = out.get(spec.id)
        if spec.type in TEXT_TYPES and isinstance(value, str):
            for real in sorted(names, key=len, reverse=True):
                value = re.sub(rf"\b{re.escape(real)}\b", names[real], value)
            out[spec.id] = value
    return out, text, names
