"""Field rules: required fields, valid values, names the CRM does not know yet."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain import fields as field_values
from scribedesk.domain.fieldspec import FieldType
from scribedesk.domain.quality.model import (
    CheckContext,
    Finding,
    Severity,
    fold,
    name_of,
    values_of,
)
from scribedesk.domain.quality.registry import Settings, rule

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


@rule("required-field", "Required fields filled", Severity.ERROR, acknowledgeable=False)
def _required(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for spec in t.fields:
        if spec.required and field_values.is_empty(fields.get(spec.id)):
            yield rule.finding(f"{spec.label} is required.", field=spec.id)


@rule("field-value", "Field values valid", Severity.ERROR, acknowledgeable=False)
def _field_values(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for spec in t.fields:
        value = fields.get(spec.id)
        if field_values.is_empty(value):
            continue
        try:
            problem = field_values.check(spec, value, c.today)
        except (TypeError, ValueError, AttributeError):
            problem = f"{spec.label} has a value of the wrong kind."
        if problem:
            yield rule.finding(problem, field=spec.id)


@rule("new-name", "Names known to the CRM", Severity.WARNING)
def _new_names(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if c.known is None:
        return
    for spec in t.fields:
        if spec.type is FieldType.ACCOUNT:
            known, kind = c.known.accounts, "account"
        elif spec.type is FieldType.PERSON:
            known, kind = c.known.people, "contact"
        else:
            continue
        if known is None:
            continue
        new = [
            name
            for name in map(name_of, values_of(fields.get(spec.id)))
            if name.strip() and fold(name) not in known
        ]
        if new:
            names = ", ".join(new)
            yield rule.finding(
                f"{spec.label}: {names} is not in the CRM yet. Check the spelling, or confirm "
                f"it is a new {kind}.",
                field=spec.id,
            )
