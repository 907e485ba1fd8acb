"""Field values: parsing what was typed into a template field, and checking it against the spec.

Values are JSON-ready: text as str, numbers as float, currency as float in the field's
currency, dates as ISO "YYYY-MM-DD", choices as str (single) or list[str] (multi),
people as {"name", "role"} (a list of them when the field is multiple), accounts as str
(or list[str]). ``check`` returns a sentence for the user, or None when the value is fine.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from scribedesk.domain.fieldspec import FieldSpec, FieldType

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def parse_number(text: str) -> float | None:
    """'120,000', '1 250.50', '-3', '$99' → a float; None when it is not a number."""
    cleaned = text.strip().replace("\u00a0", " ").replace(" ", "").lstrip("$€£")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", ""))


def parse_date(text: str) -> date | None:
    """ISO 'YYYY-MM-DD' → a date; None when it is not a real date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def is_empty(value: Any) -> bool:
    """No value given (empty text, empty list, a person without a name)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return is_empty(value.get("name"))
    return False


def check(spec: FieldSpec, value: Any, today: date) -> str | None:
    """A sentence saying what is wrong with ``value`` for ``spec``, or None."""
    if is_empty(value):
        return f"{spec.label} is required." if spec.required else None
    rules = spec.rules
    kind = spec.type
    if kind in (FieldType.NUMBER, FieldType.CURRENCY):
        number = value if isinstance(value, int | float) else parse_number(str(value))
        if number is None or isinstance(number, bool):
            return f"{spec.label} must be a number, like 1200 or 1,200.50."
        if "min" in rules and number < rules["min"]:
            return f"{spec.label} must be at least {rules['min']}."
        if "max" in rules and number > rules["max"]:
            return f"{spec.label} must be at most {rules['max']}."
        decimals = rules.get("decimals")
        if decimals is not None and round(number, decimals) != number:
            return f"{spec.label} takes at most {decimals} decimal(s)."
    elif kind is FieldType.DATE:
        day = parse_date(str(value))
        if day is None:
            return f"{spec.label} must be a real date (YYYY-MM-DD)."
        if rules.get("date") == "past" and day > today:
            return f"{spec.label} cannot be in the future."
        if rules.get("date") == "future" and day <= today:
            return f"{spec.label} must be after today."
    elif kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        text = str(value)
        if "min_length" in rules and len(text) < rules["min_length"]:
            return f"{spec.label} needs at least {rules['min_length']} characters."
        if "max_length" in rules and len(text) > rules["max_length"]:
            return f"{spec.label} is limited to {rules['max_length']} characters."
        if "pattern" in rules and not re.fullmatch(rules["pattern"], text.strip()):
            hint = f" (for example {spec.placeholder})" if spec.placeholder else ""
            return f"{spec.label} is not in the expected form{hint}."
    elif kind is FieldType.SINGLE_CHOICE:
        if not spec.allow_other and value not in spec.choices:
            return f"{spec.label}: choose one of {', '.join(spec.choices)}."
    elif kind is FieldType.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        unknown = [v for v in values if v not in spec.choices]
        if unknown and not spec.allow_other:
            return f"{spec.label}: {', '.join(map(str, unknown))} is not in the list."
    elif kind is FieldType.PERSON and spec.roles:
        people = value if isinstance(value, list) else [value]
        for person in people:
            role = person.get("role") if isinstance(person, dict) else None
            if role and role not in spec.roles:
                return f"{spec.label}: {role} is not one of the roles {', '.join(spec.roles)}."
    return None


#: The most a single value may hold: far past any real entry, small enough to check fast.
MAX_TEXT = 100_000
MAX_ITEMS = 200
_PERSON_KEYS = frozenset({"name", "role"})


def shape_problem(spec: FieldSpec, value: Any) -> str | None:
    """What is structurally wrong with ``value`` for a field of ``spec``'s type, or None.

    This is the shape the workstation's editors produce (see the module docstring);
    what the value *says* (ranges, patterns, choices) is the quality checks' business.
    A number may also arrive as the text typed so far, which is why numbers take text.
    """
    if value is None:
        return None
    kind = spec.type
    if kind in (FieldType.NUMBER, FieldType.CURRENCY):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return f"{spec.label} takes a number."
        if isinstance(value, float) and not math.isfinite(value):
            return f"{spec.label} takes a finite number, not {value}."
        return _text_problem(spec, value) if isinstance(value, str) else None
    if kind is FieldType.MULTI_CHOICE or (kind is FieldType.ACCOUNT and isinstance(value, list)):
        return _list_problem(spec, value, lambda item: _text_problem(spec, item))
    if kind is FieldType.PERSON:
        if isinstance(value, list):
            return _list_problem(spec, value, lambda item: _person_problem(spec, item))
        return _person_problem(spec, value)
    return _text_problem(spec, value)


def _text_problem(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{spec.label} takes text, not {type(value).__name__}."
    if len(value) > MAX_TEXT:
        return f"{spec.label} is longer than {MAX_TEXT:,} characters."
    return None


def _list_problem(spec: FieldSpec, value: Any, item_problem: Any) -> str | None:
    if isinstance(value, str):
        return _text_problem(spec, value)
    if not isinstance(value, list):
        return f"{spec.label} takes a list, not {type(value).__name__}."
    if len(value) > MAX_ITEMS:
        return f"{spec.label} holds at most {MAX_ITEMS} entries."
    return next((p for p in map(item_problem, value) if p), None)


def _person_problem(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"{spec.label} takes a person ({{'name', 'role'}}), not {type(value).__name__}."
    unknown = sorted(set(value) - _PERSON_KEYS)
    if unknown:
        return f"{spec.label}: a person has a name and a role, not {', '.join(unknown[:5])}."
    return next((p for p in map(lambda v: _text_problem(spec, v), value.values()) if p), None)
