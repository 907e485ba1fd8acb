"""Quality checks: the rules a careful supervisor runs on a transcript before it leaves the desk.

The workstation runs them as the transcriptionist works; the service runs the very same
rules on every submission, so a finding means the same on both sides. Each finding has a
rule id, a severity, a sentence a person understands and the place it points to: a
field, or a character range of the narrative.

One module per family of rules; each rule declares itself with ``registry.rule``, and the
families are imported here in the order their findings are listed. Templates carry a
typed ``QualityConfig`` (config.parse_config); see docs/quality.md.
"""

from __future__ import annotations

from scribedesk.domain.quality.config import (
    COMMON_SETTINGS,
    QualityConfig,
    QualityConfigError,
    RuleConfig,
    parse_config,
)
from scribedesk.domain.quality.engine import run_checks
from scribedesk.domain.quality.model import (
    REPORT_VERSION,
    CheckContext,
    Finding,
    KnownNames,
    QualityReport,
    Severity,
)
from scribedesk.domain.quality.registry import RULES, Rule, Settings, rule

# The families register their rules when imported, in this order: the order their
# findings are listed in when nothing else tells them apart.
# isort: split
from scribedesk.domain.quality import fields

# isort: split
from scribedesk.domain.quality import spelling

# isort: split
from scribedesk.domain.quality import markers

# isort: split
from scribedesk.domain.quality import audio

# isort: split
from scribedesk.domain.quality import style

# isort: split
from scribedesk.domain.quality import narrative

FAMILIES = (fields, spelling, markers, audio, style, narrative)

__all__ = [
    "COMMON_SETTINGS",
    "FAMILIES",
    "REPORT_VERSION",
    "RULES",
    "CheckContext",
    "Finding",
    "KnownNames",
    "QualityConfig",
    "QualityConfigError",
    "QualityReport",
    "Rule",
    "RuleConfig",
    "Settings",
    "Severity",
    "parse_config",
    "rule",
    "run_checks",
]
