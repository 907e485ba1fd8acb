"""What a template field is: its type, its settings, and the narrative that follows the fields.

Kept apart from template parsing (domain.templates) so that the value checks and the
quality rules can use field types without importing the parser that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FieldType(StrEnum):
    """What kind of value a template field holds; each gets its own editor."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    NUMBER = "number"
    CURRENCY = "currency"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    PERSON = "person"
    ACCOUNT = "account"


CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE})
NUMERIC_TYPES = frozenset({FieldType.NUMBER, FieldType.CURRENCY})
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})

#: Which validation rules make sense for which field types.
RULES_BY_TYPE: dict[str, frozenset[FieldType]] = {
    "min": NUMERIC_TYPES,
    "max": NUMERIC_TYPES,
    "decimals": NUMERIC_TYPES,
    "min_length": TEXT_TYPES,
    "max_length": TEXT_TYPES,
    "pattern": TEXT_TYPES,
    "date": frozenset({FieldType.DATE}),
}
DATE_RULES = frozenset({"past", "future", "any"})


@dataclass(frozen=True)
class FieldSpec:
    """One CRM field of a template."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    help: str = ""
    placeholder: str = ""
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    multiple: bool = False
    roles: tuple[str, ...] = ()
    currency: str = ""
    rules: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NarrativeSpec:
    """The free narrative that follows the fields."""

    label: str = "Narrative"
    required: bool = True
    prompt: str = ""
    min_words: int = 0
