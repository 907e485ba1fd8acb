"""A template's ``quality`` section, parsed once into a typed configuration.

    "quality": {
      "rules": {"pace": {"min_wpm": 80}, "spelling": {"enabled": false}},
      "mentions": ["account"]
    }

Every rule takes ``enabled``, ``severity`` and ``acknowledgeable`` besides the thresholds
it declares (registry.rule). An unknown rule, setting or field id is an error that names it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from scribedesk.domain.quality.model import Severity
from scribedesk.domain.quality.registry import RULES, Settings

#: Settings every rule takes, besides its own thresholds.
COMMON_SETTINGS = frozenset({"enabled", "severity", "acknowledgeable"})


class QualityConfigError(ValueError):
    """A ``quality`` section that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class RuleConfig:
    """What a template changes of one rule (None: the rule's own default)."""

    enabled: bool | None = None
    severity: Severity | None = None
    acknowledgeable: bool | None = None
    values: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        own: dict[str, Any] = {
            key: value
            for key, value in (
                ("enabled", self.enabled),
                ("severity", self.severity.value if self.severity else None),
                ("acknowledgeable", self.acknowledgeable),
            )
            if value is not None
        }
        return {**own, **self.values}


@dataclass(frozen=True)
class QualityConfig:
    """The rules as one template configures them, and the fields its narrative must name."""

    rules: Mapping[str, RuleConfig] = field(default_factory=dict)
    mentions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The section as it is written in a template file."""
        data: dict[str, Any] = {}
        if self.rules:
            data["rules"] = {rule_id: own.to_dict() for rule_id, own in self.rules.items()}
        if self.mentions:
            data["mentions"] = list(self.mentions)
        return data

    def settings(self) -> dict[str, Settings]:
        """Every registered rule with this template's changes over its defaults."""
        result = {}
        for rule in RULES.values():
            own = self.rules.get(rule.id, RuleConfig())
            severity = own.severity or rule.severity
            acknowledgeable = own.acknowledgeable
            result[rule.id] = Settings(
                rule,
                True if own.enabled is None else own.enabled,
                severity,
                # A warning can always be confirmed; an error only where the rule (or the
                # template) allows it.
                severity is Severity.WARNING
                or (rule.acknowledgeable if acknowledgeable is None else acknowledgeable),
                {**rule.defaults, **own.values},
            )
        return result


def parse_config(raw: Any, field_ids: Collection[str]) -> QualityConfig:
    """The typed configuration of a ``quality`` section; QualityConfigError naming the
    first problem (unknown rule, setting or field id, a value of the wrong kind)."""
    if not isinstance(raw, Mapping):
        raise QualityConfigError("must be an object")
    unknown = set(raw) - {"rules", "mentions"}
    if unknown:
        raise QualityConfigError(f"unknown key(s) {', '.join(sorted(unknown))}")
    rules = raw.get("rules", {})
    if not isinstance(rules, Mapping):
        raise QualityConfigError("'rules' must be an object")
    parsed = {rule_id: _rule_config(rule_id, settings) for rule_id, settings in rules.items()}
    mentions = raw.get("mentions", [])
    if not isinstance(mentions, list) or not all(isinstance(m, str) for m in mentions):
        raise QualityConfigError("'mentions' must be a list of field ids")
    for field_id in mentions:
        if field_id not in field_ids:
            raise QualityConfigError(f"'mentions' names {field_id!r}, which is not a field")
    return QualityConfig(parsed, tuple(mentions))


def _rule_config(rule_id: str, settings: Any) -> RuleConfig:
    rule = RULES.get(rule_id)
    if rule is None:
        raise QualityConfigError(f"unknown rule {rule_id!r} (known: {', '.join(sorted(RULES))})")
    if not isinstance(settings, Mapping):
        raise QualityConfigError(f"rule {rule_id!r} must be an object")
    values: dict[str, float] = {}
    for key, value in settings.items():
        if key not in COMMON_SETTINGS and key not in rule.defaults:
            allowed = ", ".join(sorted(COMMON_SETTINGS | set(rule.defaults)))
            raise QualityConfigError(
                f"rule {rule_id!r} has no setting {key!r} (it takes {allowed})"
            )
        if key in ("enabled", "acknowledgeable") and not isinstance(value, bool):
            raise QualityConfigError(f"rule {rule_id!r}: {key!r} must be true or false")
        if key == "severity" and value not in {s.value for s in Severity}:
            raise QualityConfigError(f"rule {rule_id!r}: 'severity' must be 'error' or 'warning'")
        if key in rule.defaults:
            if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
                raise QualityConfigError(f"rule {rule_id!r}: {key!r} must be a number ≥ 0")
            values[key] = value
    severity = settings.get("severity")
    return RuleConfig(
        enabled=settings.get("enabled"),
        severity=Severity(severity) if severity else None,
        acknowledgeable=settings.get("acknowledgeable"),
        values=values,
    )
