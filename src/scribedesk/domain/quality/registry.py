"""The rule registry: each rule declares itself with ``@rule`` beside its check.

A check is ``check(settings, template, fields, narrative, context)`` yielding Findings;
``settings`` is the rule as this template configures it (enabled, severity, whether an
error may be acknowledged, and its thresholds over the declared defaults).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scribedesk.domain.quality.model import CheckContext, Finding, Severity

if TYPE_CHECKING:  # the rules read templates; templates do not import the rules
    from scribedesk.domain.templates import Template


@dataclass(frozen=True)
class Rule:
    """A rule's id, what it checks, and its defaults (a template may override them)."""

    id: str
    title: str
    severity: Severity
    acknowledgeable: bool = True
    defaults: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """One rule as a template configures it."""

    rule: Rule
    enabled: bool
    severity: Severity
    acknowledgeable: bool
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def finding(self, message: str, **place: Any) -> Finding:
        return Finding(
            self.rule.id, self.severity, message, acknowledgeable=self.acknowledgeable, **place
        )


Check = Callable[[Settings, "Template", Mapping[str, Any], str, CheckContext], Iterable[Finding]]

#: Every rule, in the order ties between findings are broken (registration order).
RULES: dict[str, Rule] = {}
CHECKS: dict[str, Check] = {}


def rule(
    rule_id: str,
    title: str,
    severity: Severity,
    *,
    acknowledgeable: bool = True,
    defaults: Mapping[str, Any] | None = None,
) -> Callable[[Check], Check]:
    """Register the decorated check as rule ``rule_id`` with its declared defaults."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"quality rule {rule_id!r} is declared twice")
        RULES[rule_id] = Rule(rule_id, title, severity, acknowledgeable, dict(defaults or {}))
        CHECKS[rule_id] = check
        return check

    return register
