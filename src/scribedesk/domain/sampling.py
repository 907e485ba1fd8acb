"""Which submitted transcripts a supervisor reviews, and why (decided at submit time).

Every transcript of a transcriptionist's first jobs is reviewed, and every one while
their rolling accuracy is under the pass mark. After that a share is drawn at random,
plus every transcript the quality checks flagged:
- low audio coverage;
- many [inaudible] markers;
- warnings the transcriptionist confirmed.

The reason is recorded with the review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scribedesk.domain.transcript import find_markers


@dataclass(frozen=True)
class SamplingPolicy:
    """The team's sampling rules (``SCRIBEDESK_SAMPLING="first=20,share=0.1,…"``)."""

    first_jobs: int = 20
    share: float = 0.10
    rolling_reviews: int = 20
    max_inaudible: int = 5
    #: Also every transcript the quality checks flagged.
    flagged: bool = True

    @classmethod
    def parse(cls, text: str) -> SamplingPolicy:
        """``"first=20,share=0.1,rolling=20,inaudible=5,flagged=1"``; ValueError names a
        bad part."""
        names = {
            "first": "first_jobs",
            "share": "share",
            "rolling": "rolling_reviews",
            "inaudible": "max_inaudible",
            "flagged": "flagged",
        }
        values: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, raw = part.partition("=")
            if key.strip() not in names:
                raise ValueError(f"{part!r}: the keys are {', '.join(names)}")
            field = names[key.strip()]
            try:
                number = float(raw) if field == "share" else int(raw)
            except ValueError:
                raise ValueError(f"{part!r} is not a number") from None
            if number < 0 or (field in ("share", "flagged") and number > 1):
                raise ValueError(f"{part!r} is out of range")
            values[field] = bool(number) if field == "flagged" else number
        return cls(**values)


@dataclass(frozen=True)
class TypistRecord:
    """What sampling needs to know about the transcriptionist who submitted."""

    jobs_done: int  # submitted transcripts before this one (since certification)
    rolling_accuracy: float | None  # errors-to-lines over their latest reviews, if any


@dataclass(frozen=True)
class Sampled:
    """Why a transcript goes to review: a code for programs, a sentence for people."""

    code: str
    reason: str


def sample(
    policy: SamplingPolicy,
    record: TypistRecord,
    report: Mapping[str, Any],
    narrative: str,
    pass_mark: float,
    roll: float,
) -> Sampled | None:
    """The reason this submission is reviewed, or None. ``roll`` is a uniform draw in
    [0, 1) (the caller's randomness, so the rule itself is reproducible)."""
    if record.jobs_done < policy.first_jobs:
        return Sampled(
            "new_transcriptionist",
            f"Job {record.jobs_done + 1} of the first {policy.first_jobs}: every one is reviewed.",
        )
    if record.rolling_accuracy is not None and record.rolling_accuracy < pass_mark:
        return Sampled(
            "below_pass_mark",
            f"Rolling accuracy {record.rolling_accuracy:.1f} is under the pass mark "
            f"{pass_mark:g}: every transcript is reviewed until it recovers.",
        )
    flagged = _flagged(policy, report, narrative) if policy.flagged else None
    if flagged is not None:
        return flagged
    if roll < policy.share:
        return Sampled("random", f"Drawn at random ({policy.share:.0%} of transcripts).")
    return None


def _flagged(policy: SamplingPolicy, report: Mapping[str, Any], narrative: str) -> Sampled | None:
    rules = {f.get("rule") for f in report.get("findings", []) if isinstance(f, dict)}
    if "audio-coverage" in rules:
        return Sampled("low_coverage", "The quality checks found parts of the audio unheard.")
    inaudible = sum(m.kind == "inaudible" for m in find_markers(narrative))
    if inaudible > policy.max_inaudible:
        return Sampled("many_inaudible", f"{inaudible} [inaudible] markers.")
    if report.get("acknowledged"):
        count = len(report["acknowledged"])
        return Sampled("warnings_confirmed", f"{count} warning(s) confirmed at submission.")
    return None
