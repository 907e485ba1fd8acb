"""The engine: run every enabled rule of a template on one transcript."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.quality.model import CheckContext, Finding, QualityReport, Severity
from scribedesk.domain.quality.registry import CHECKS, RULES

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


def run_checks(
    template: Template, fields: Mapping[str, Any], narrative: str, context: CheckContext
) -> QualityReport:
    """Every enabled rule of ``template`` on one transcript. Never raises on any text.

    Findings come errors first, then the fields' in form order, then the narrative's in
    reading order.
    """
    settings = template.quality.settings()
    found: list[Finding] = []
    for rule_id, check in CHECKS.items():
        rule = settings[rule_id]
        if rule.enabled:
            found.extend(check(rule, template, fields, narrative, context))
    order = {rule_id: index for index, rule_id in enumerate(RULES)}
    field_order = {field_id: index for index, field_id in enumerate(template.field_ids)}
    found.sort(
        key=lambda f: (
            f.severity is not Severity.ERROR,
            f.start is not None,
            field_order.get(f.field or "", -1),
            f.start or 0,
            order[f.rule],
        )
    )
    return QualityReport(tuple(found))
