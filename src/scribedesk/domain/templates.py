"""CRM templates as data: field specs, their types and rules, parsed and validated from JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scribedesk.domain.fieldspec import (
    CHOICE_TYPES,
    DATE_RULES,
    NUMERIC_TYPES,
    RULES_BY_TYPE,
    TEXT_TYPES,
    FieldSpec,
    FieldType,
    NarrativeSpec,
)
from scribedesk.domain.quality import QualityConfig, QualityConfigError, parse_config
from scribedesk.domain.weighting import DEFAULT_POLICY, PolicyError, ScoringPolicy, parse_policy

__all__ = [
    "CHOICE_TYPES",
    "DATE_RULES",
    "NUMERIC_TYPES",
    "RULES_BY_TYPE",
    "TEXT_TYPES",
    "FieldSpec",
    "FieldType",
    "NarrativeSpec",
    "Template",
    "TemplateError",
    "load_template_dir",
    "load_template_file",
    "parse_template",
]


_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FIELD_KEYS = frozenset(
    {
        "id",
        "label",
        "type",
        "required",
        "help",
        "choices",
        "allow_other",
        "multiple",
        "roles",
        "currency",
        "rules",
        "placeholder",
    }
)
_TEMPLATE_KEYS = frozenset(
    {
        "id",
        "version",
        "name",
        "description",
        "anonymous",
        "fields",
        "narrative",
        "quality",
        "crm",
        "scoring",
    }
)


class TemplateError(ValueError):
    """A template file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Template:
    """A CRM field set plus narrative: what a transcriptionist fills for one dictation."""

    id: str
    version: int
    name: str
    fields: tuple[FieldSpec, ...]
    narrative: NarrativeSpec
    description: str = ""
    anonymous: bool = False
    quality: QualityConfig = field(default_factory=QualityConfig)
    crm: Mapping[str, Any] = field(default_factory=dict)
    scoring: ScoringPolicy = DEFAULT_POLICY

    def field(self, field_id: str) -> FieldSpec:
        """The field with this id; KeyError if the template has none."""
        for spec in self.fields:
            if spec.id == field_id:
                return spec
        raise KeyError(field_id)

    @property
    def field_ids(self) -> tuple[str, ...]:
        """Field ids in form order."""
        return tuple(spec.id for spec in self.fields)

    def to_dict(self) -> dict[str, Any]:
        """The template as JSON-ready data (the same shape the file is written in)."""
        fields = []
        for spec in self.fields:
            item: dict[str, Any] = {"id": spec.id, "label": spec.label, "type": spec.type.value}
            for key in ("required", "help", "placeholder", "allow_other", "multiple", "currency"):
                value = getattr(spec, key)
                if value:
                    item[key] = value
            if spec.choices:
                item["choices"] = list(spec.choices)
            if spec.roles:
                item["roles"] = list(spec.roles)
            if spec.rules:
                item["rules"] = dict(spec.rules)
            fields.append(item)
        narrative = self.narrative
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "description": self.description,
            "anonymous": self.anonymous,
            "fields": fields,
            "narrative": {
                "label": narrative.label,
                "required": narrative.required,
                "prompt": narrative.prompt,
                "min_words": narrative.min_words,
            },
            "quality": self.quality.to_dict(),
            "crm": dict(self.crm),
            "scoring": self.scoring.to_dict(),
        }


def parse_template(data: Any, source: str = "<template>") -> Template:
    """Build a Template from decoded JSON; raise TemplateError naming ``source`` and the field."""

    def fail(where: str, problem: str) -> TemplateError:
        return TemplateError(f"{source}: {where}: {problem}")

    if not isinstance(data, dict):
        raise fail("top level", "must be a JSON object")
    unknown = set(data) - _TEMPLATE_KEYS
    if unknown:
        raise fail("top level", f"unknown key(s) {', '.join(sorted(unknown))}")
    template_id = data.get("id")
    if not isinstance(template_id, str) or not re.fullmatch(r"[a-z][a-z0-9-]{0,63}", template_id):
        raise fail("'id'", "must be lower-case letters, digits and dashes, starting with a letter")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("'version'", "must be a positive integer")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("'name'", "is required and must be text")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list):
        raise fail("'fields'", "must be a list of field objects")
    fields: list[FieldSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_fields):
        spec = _parse_field(raw, index, fail)
        if spec.id in seen:
            raise fail(f"field '{spec.id}'", "id is used twice")
        seen.add(spec.id)
        fields.append(spec)
    narrative = _parse_narrative(data.get("narrative", {}), fail)
    for key in ("quality", "crm"):
        if not isinstance(data.get(key, {}), dict):
            raise fail(f"'{key}'", "must be an object")
    for key in ("description",):
        if not isinstance(data.get(key, ""), str):
            raise fail(f"'{key}'", "must be text")
    if not isinstance(data.get("anonymous", False), bool):
        raise fail("'anonymous'", "must be true or false")
    try:
        quality = parse_config(data.get("quality", {}), [spec.id for spec in fields])
    except QualityConfigError as exc:
        raise fail("'quality'", str(exc)) from None
    try:
        scoring = parse_policy(data.get("scoring", {}))
    except PolicyError as exc:
        raise fail("'scoring'", str(exc)) from None
    return Template(
        id=template_id,
        version=version,
        name=name.strip(),
        description=data.get("description", ""),
        anonymous=data.get("anonymous", False),
        fields=tuple(fields),
        narrative=narrative,
        quality=quality,
        crm=dict(data.get("crm", {})),
        scoring=scoring,
    )


def _parse_field(raw: Any, index: int, fail: Any) -> FieldSpec:
    where = f"field #{index + 1}"
    if not isinstance(raw, dict):
        raise fail(where, "must be an object")
    field_id = raw.get("id")
    if not isinstance(field_id, str) or not _ID.match(field_id):
        raise fail(where, "'id' must be lower-case letters, digits and underscores")
    where = f"field '{field_id}'"
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise fail(where, "'label' is required and must be text")
    try:
        field_type = FieldType(str(raw.get("type")))
    except ValueError:
        names = ", ".join(t.value for t in FieldType)
        raise fail(where, f"'type' {raw.get('type')!r} is not one of {names}") from None
    for key in ("required", "allow_other", "multiple"):
        if not isinstance(raw.get(key, False), bool):
            raise fail(where, f"'{key}' must be true or false")
    for key in ("help", "placeholder", "currency"):
        if not isinstance(raw.get(key, ""), str):
            raise fail(where, f"'{key}' must be text")
    choices = _string_list(raw.get("choices", []), where, "choices", fail)
    if field_type in CHOICE_TYPES and not choices:
        raise fail(where, f"{field_type.value} needs a non-empty 'choices' list")
    if choices and field_type not in CHOICE_TYPES:
        raise fail(where, f"'choices' only applies to choice fields, not {field_type.value}")
    if len(set(choices)) != len(choices):
        raise fail(where, "'choices' lists the same value twice")
    roles = _string_list(raw.get("roles", []), where, "roles", fail)
    if roles and field_type is not FieldType.PERSON:
        raise fail(where, "'roles' only applies to person fields")
    if raw.get("multiple") and field_type not in (FieldType.PERSON, FieldType.ACCOUNT):
        raise fail(where, "'multiple' only applies to person and account fields")
    currency = raw.get("currency", "")
    if field_type is FieldType.CURRENCY and not re.fullmatch(r"[A-Z]{3}", currency or "USD"):
        raise fail(where, "'currency' must be a three-letter ISO 4217 code such as USD")
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        raise fail(where, "'rules' must be an object")
    _check_rules(rules, field_type, where, fail)
    return FieldSpec(
        id=field_id,
        label=label.strip(),
        type=field_type,
        required=raw.get("required", False),
        help=raw.get("help", ""),
        placeholder=raw.get("placeholder", ""),
        choices=tuple(choices),
        allow_other=raw.get("allow_other", False),
        multiple=raw.get("multiple", False),
        roles=tuple(roles),
        currency=currency or ("USD" if field_type is FieldType.CURRENCY else ""),
        rules=dict(rules),
    )


def _string_list(value: Any, where: str, key: str, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(where, f"'{key}' must be a list of non-empty text values")
    return [v.strip() for v in value]


def _check_rules(rules: dict[str, Any], field_type: FieldType, where: str, fail: Any) -> None:
    for key, value in rules.items():
        allowed = RULES_BY_TYPE.get(key)
        if allowed is None:
            raise fail(where, f"unknown rule {key!r} (known: {', '.join(sorted(RULES_BY_TYPE))})")
        if field_type not in allowed:
            raise fail(where, f"rule {key!r} does not apply to {field_type.value} fields")
        if key in ("min", "max") and (
            not isinstance(value, int | float) or isinstance(value, bool)
        ):
            raise fail(where, f"rule {key!r} must be a number")
        if key in ("min_length", "max_length", "decimals") and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise fail(where, f"rule {key!r} must be a whole number ≥ 0")
        if key == "pattern":
            if not isinstance(value, str):
                raise fail(where, "rule 'pattern' must be a regular expression in text")
            try:
                re.compile(value)
            except re.error as exc:
                raise fail(
                    where, f"rule 'pattern' is not a valid regular expression: {exc}"
                ) from None
        if key == "date" and value not in DATE_RULES:
            raise fail(where, f"rule 'date' must be one of {', '.join(sorted(DATE_RULES))}")
    if "min" in rules and "max" in rules and rules["min"] > rules["max"]:
        raise fail(where, "rule 'min' is larger than 'max'")


def _parse_narrative(raw: Any, fail: Any) -> NarrativeSpec:
    if not isinstance(raw, dict):
        raise fail("'narrative'", "must be an object")
    unknown = set(raw) - {"label", "required", "prompt", "min_words"}
    if unknown:
        raise fail("'narrative'", f"unknown key(s) {', '.join(sorted(unknown))}")
    min_words = raw.get("min_words", 0)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 0:
        raise fail("'narrative'", "'min_words' must be a whole number ≥ 0")
    if not isinstance(raw.get("required", True), bool):
        raise fail("'narrative'", "'required' must be true or false")
    for key in ("label", "prompt"):
        if not isinstance(raw.get(key, ""), str):
            raise fail("'narrative'", f"'{key}' must be text")
    return NarrativeSpec(
        label=raw.get("label", "Narrative") or "Narrative",
        required=raw.get("required", True),
        prompt=raw.get("prompt", ""),
        min_words=min_words,
    )


def load_template_file(path: Path) -> Template:
    """Read and validate one template file; TemplateError names the file on any problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"{path.name}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path.name}: cannot be read: {exc}") from None
    template = parse_template(data, path.name)
    if path.stem.replace("_", "-") != template.id:
        raise TemplateError(
            f"{path.name}: 'id' {template.id!r} must match the file name ({path.stem}.json)"
        )
    return template


def load_template_dir(directory: Path) -> dict[str, Template]:
    """Every ``*.json`` template in ``directory`` by id; the first bad file raises TemplateError."""
    templates: dict[str, Template] = {}
    for path in sorted(directory.glob("*.json")):
        template = load_template_file(path)
        templates[template.id] = template
    return templates
