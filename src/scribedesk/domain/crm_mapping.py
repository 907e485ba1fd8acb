"""CRM mappings as data: which template fields become which CRM object fields.

One JSON file per CRM and template (``resources/crm/<crm>/<template>.json``)::

    {"crm": "salesforce", "template": "sales-call-report",
     "account": {"from": "account", "create_missing": false, "fields": {...}},
     "contact": {"for_each": "contacts", "fields": {"Title": "@role"}},
     "opportunity": {"fields": {"Name": "opportunity", "StageName": {"from": "stage",
                     "values": {"Needs analysis": "Needs Analysis"}}}},
     "task": {"for_each": "next_steps", "fields": {"Subject": "@item"}},
     "note": {"fields": {"Description": "@report"}},
     "attach_document": true}

A source is a template field's id, ``@`` and a property of the dictation (``@narrative``,
``@title``, ``@author``, ``@transcriptionist``, ``@dictated_at``, ``@audio_url``,
``@job_id``, ``@report``: the narrative with who dictated it, when, and the link to the
audio), or, inside ``for_each``, of the item (``@name``, ``@first_name``, ``@last_name``,
``@role`` for a person; ``@item`` for one step of a long text), ``=`` and a constant, a
list of sources (the first that has a value), or ``{"from": source, "values": {...}}``
(the template's choices translated into the CRM's). Loading checks every source against
the template and every CRM field against what the CRM's objects have; a
:class:`MappingError` names the file and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scribedesk.domain.fieldspec import CHOICE_TYPES, FieldType
from scribedesk.domain.templates import Template

ROLES = ("account", "contact", "opportunity", "task", "note")
DICTATION = frozenset(
    {"narrative", "title", "author", "transcriptionist", "dictated_at", "audio_url", "job_id"}
) | {"report"}
PERSON = frozenset({"name", "first_name", "last_name", "role"})
_KEYS = frozenset({"crm", "template", "attach_document", *ROLES})
_ROLE_KEYS = frozenset({"from", "for_each", "create_missing", "fields"})
_STEP = re.compile(r"(?:;|\n|(?<=[.!?])\s+)")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class ObjectMap:
    """One CRM object: where its fields come from, and what it repeats over."""

    fields: Mapping[str, Any]
    source: str = ""  # the account's name field (account)
    for_each: str = ""  # a person field or a long text (contact, task)
    create_missing: bool = False


@dataclass(frozen=True)
class CrmMapping:
    """A validated mapping of one template to one CRM."""

    crm: str
    template_id: str
    objects: Mapping[str, ObjectMap]
    attach_document: bool = False


@dataclass(frozen=True)
class Dictated:
    """What a mapping reads: the final version and who made it."""

    job_id: int
    title: str
    author: str
    transcriptionist: str
    dictated_at: str  # ISO date
    audio_url: str
    fields: Mapping[str, Any]
    narrative: str


@dataclass(frozen=True)
class Plan:
    """The CRM records one dictation becomes, with their field values resolved."""

    account_name: str
    create_account: bool
    account: dict[str, Any]
    contacts: list[tuple[str, dict[str, Any]]]  # (full name, fields)
    opportunity: dict[str, Any] | None
    tasks: list[dict[str, Any]]
    note: dict[str, Any] | None
    attach_document: bool


def load_mapping(
    path: Path, templates: Mapping[str, Template], crm_fields: Mapping[str, frozenset[str]]
) -> CrmMapping:
    """Read and check one mapping file. ``crm_fields``: each role's CRM field names."""
    where = f"{path.parent.name}/{path.name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MappingError(f"{where}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise MappingError(f"{where}: cannot be read: {exc.strerror}") from None
    return parse_mapping(data, where, templates, crm_fields)


def parse_mapping(
    data: Any,
    where: str,
    templates: Mapping[str, Template],
    crm_fields: Mapping[str, frozenset[str]],
) -> CrmMapping:
    if not isinstance(data, dict):
        raise MappingError(f"{where}: a mapping is a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise MappingError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    template = templates.get(str(data.get("template", "")))
    if template is None:
        raise MappingError(f"{where}: 'template' names no known template: {data.get('template')!r}")
    if "account" not in data:
        raise MappingError(f"{where}: 'account' is required (where the account's name comes from)")
    objects = {}
    for role in ROLES:
        if role in data:
            objects[role] = _object(data[role], f"{where}: {role}", template, crm_fields.get(role))
    crm = data.get("crm")
    if not isinstance(crm, str) or not crm:
        raise MappingError(f"{where}: 'crm' names the CRM this mapping is for")
    return CrmMapping(
        crm=crm,
        template_id=template.id,
        objects=objects,
        attach_document=bool(data.get("attach_document", False)),
    )


def _object(raw: Any, where: str, template: Template, known: frozenset[str] | None) -> ObjectMap:
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: must be an object")
    unknown = sorted(set(raw) - _ROLE_KEYS)
    if unknown:
        raise MappingError(f"{where}: unknown key {unknown[0]!r}")
    specs = {spec.id: spec for spec in template.fields}
    item: frozenset[str] = frozenset()
    for_each = str(raw.get("for_each", ""))
    if for_each:
        spec = specs.get(for_each)
        if spec is None:
            raise MappingError(f"{where}: for_each names no field of {template.id}: {for_each!r}")
        item = PERSON if spec.type is FieldType.PERSON else frozenset({"item"})
    source = str(raw.get("from", ""))
    if source and source not in specs:
        raise MappingError(f"{where}: 'from' names no field of {template.id}: {source!r}")
    fields = raw.get("fields", {})
    if not isinstance(fields, dict):
        raise MappingError(f"{where}: 'fields' must map CRM fields to sources")
    for crm_field, value in fields.items():
        if known is not None and crm_field not in known:
            raise MappingError(
                f"{where}.fields: {crm_field!r} is not a field this CRM object has"
                f" (known: {', '.join(sorted(known))})"
            )
        _check_source(value, f"{where}.fields.{crm_field}", template, item)
    return ObjectMap(
        fields=dict(fields),
        source=source,
        for_each=for_each,
        create_missing=bool(raw.get("create_missing", False)),
    )


def _check_source(value: Any, where: str, template: Template, item: frozenset[str]) -> None:
    specs = {spec.id: spec for spec in template.fields}
    if isinstance(value, list):
        if not value:
            raise MappingError(f"{where}: an empty list of sources")
        for one in value:
            _check_source(one, where, template, item)
        return
    if isinstance(value, dict):
        source = value.get("from")
        values = value.get("values", {})
        if not isinstance(source, str) or source not in specs:
            raise MappingError(f"{where}: 'from' names no field of {template.id}: {source!r}")
        spec = specs[source]
        if spec.type not in CHOICE_TYPES or not isinstance(values, dict):
            raise MappingError(f"{where}: 'values' translates the choices of a choice field")
        for choice in values:
            if choice not in spec.choices:
                raise MappingError(f"{where}: {choice!r} is not one of {source}'s choices")
        return
    if not isinstance(value, str) or not value:
        raise MappingError(f"{where}: a source is a field id, @property, =constant or a list")
    if value.startswith("="):
        return
    if value.startswith("@"):
        if value[1:] not in DICTATION | item:
            raise MappingError(f"{where}: {value!r} is not a property here")
        return
    if value not in specs:
        raise MappingError(f"{where}: {value!r} is not a field of {template.id}")


def plan(mapping: CrmMapping, dictated: Dictated) -> Plan:
    """The records and their values for one dictation (pure: no CRM is asked)."""
    objects = mapping.objects
    account = objects["account"]
    name = str(dictated.fields.get(account.source, "") or "").strip()
    contacts = []
    if "contact" in objects:
        for person in _people(dictated.fields.get(objects["contact"].for_each)):
            first, _, last = person["name"].rpartition(" ")
            props = {"name": person["name"], "first_name": first, "last_name": last}
            props["role"] = person.get("role", "")
            contacts.append((person["name"], _fields(objects["contact"], dictated, props)))
    tasks = []
    if "task" in objects:
        steps = str(dictated.fields.get(objects["task"].for_each, "") or "")
        for step in filter(None, (s.strip(" .;") for s in _STEP.split(steps))):
            step = step[0].upper() + step[1:]
            tasks.append(_fields(objects["task"], dictated, {"item": step}))
    return Plan(
        account_name=name,
        create_account=account.create_missing,
        account=_fields(account, dictated, {}),
        contacts=contacts,
        opportunity=_fields(objects["opportunity"], dictated, {})
        if "opportunity" in objects
        else None,
        tasks=tasks,
        note=_fields(objects["note"], dictated, {}) if "note" in objects else None,
        attach_document=mapping.attach_document,
    )


def report_text(dictated: Dictated) -> str:
    """The narrative as filed on the CRM: who dictated it, when, and the audio's link."""
    return (
        f"{dictated.title}\n\n{dictated.narrative.strip()}\n\n"
        f"Dictated by {dictated.author} on {dictated.dictated_at}; transcribed by "
        f"{dictated.transcriptionist} (ScribeDesk job {dictated.job_id}).\n"
        f"Audio: {dictated.audio_url}"
    )


def _people(value: Any) -> list[dict[str, str]]:
    people = value if isinstance(value, list) else [value]
    return [
        {"name": str(p["name"]).strip(), "role": str(p.get("role") or "")}
        for p in people
        if isinstance(p, dict) and str(p.get("name") or "").strip()
    ]


def _fields(obj: ObjectMap, dictated: Dictated, item: Mapping[str, str]) -> dict[str, Any]:
    resolved = {}
    for crm_field, source in obj.fields.items():
        value = _resolve(source, dictated, item)
        if value not in (None, "", []):
            resolved[crm_field] = value
    return resolved


def _resolve(source: Any, dictated: Dictated, item: Mapping[str, str]) -> Any:
    if isinstance(source, list):
        for one in source:
            value = _resolve(one, dictated, item)
            if value not in (None, "", []):
                return value
        return None
    if isinstance(source, dict):
        value = dictated.fields.get(source["from"])
        values = source.get("values", {})
        if isinstance(value, list):
            return [values.get(v, v) for v in value]
        return values.get(value, value)
    if source.startswith("="):
        return source[1:]
    if source.startswith("@"):
        key = source[1:]
        if key in item:
            return item[key]
        if key == "report":
            return report_text(dictated)
        return getattr(dictated, key)
    return dictated.fields.get(source)
