"""Reviews and the team as the workstation holds them, read from the service's JSON.

Every parser checks the shape it needs and raises ValueError on anything else; the API
client turns that into a Failure the page can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ReviewError:
    """One classified difference of a done review, with its dispute if any."""

    severity: str
    category: str
    words: str
    field: str | None
    comment: str
    status: str = "counted"
    dispute: dict[str, Any] | None = None


@dataclass(frozen=True)
class ReviewText:
    """One version of the transcript a review compares."""

    number: int
    fields: dict[str, Any]
    narrative: str


@dataclass(frozen=True)
class ReviewItem:
    """A review: the queue's entry, a claimed review, or a reviewed job's feedback."""

    id: int
    dictation_id: int
    account: str
    template_id: str
    transcriptionist: str
    reason: str
    status: str
    lease_token: str | None
    feedback: str
    errors: tuple[ReviewError, ...]
    score: dict[str, Any]
    audio_ms: int
    audio_sha256: str
    audio_size: int
    completed_at: datetime | None = None
    submitted: ReviewText | None = None
    corrected: ReviewText | None = None


def _text(data: Any) -> ReviewText | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError("a review's transcript is not an object with fields")
    return ReviewText(int(data["number"]), dict(data["fields"]), str(data.get("narrative", "")))


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def review_from_record(data: Any) -> ReviewItem:
    """A review from the service's JSON; ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError("a review is not a JSON object")
    try:
        errors = tuple(
            ReviewError(
                str(e["severity"]),
                str(e["category"]),
                str(e.get("words", "")),
                e.get("field"),
                str(e.get("comment", "")),
                str(e.get("status", "counted")),
                e.get("dispute"),
            )
            for e in data.get("errors", [])
        )
        return ReviewItem(
            id=int(data["id"]),
            dictation_id=int(data["dictation_id"]),
            account=str(data.get("account", "")),
            template_id=str(data["template_id"]),
            transcriptionist=str(data.get("transcriptionist", "")),
            reason=str(data.get("reason", "")),
            status=str(data["status"]),
            lease_token=data.get("lease_token"),
            feedback=str(data.get("feedback", "")),
            errors=errors,
            score=dict(data.get("score") or {}),
            audio_ms=int(data.get("audio_ms", 0)),
            audio_sha256=str(data.get("audio_working_sha256", "")),
            audio_size=int(data.get("audio_working_size", 0)),
            completed_at=_time(data.get("completed_at")),
            submitted=_text(data.get("submitted")),
            corrected=_text(data.get("corrected")),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"a review lacks {exc}") from None


@dataclass(frozen=True)
class TeamJob:
    """A job a transcriptionist holds."""

    id: int
    status: str
    priority: str
    account: str
    due_at: datetime
    last_activity_at: datetime | None
    audio_ms: int


@dataclass(frozen=True)
class TeamMember:
    """One transcriptionist on the Team page."""

    username: str
    display_name: str
    in_hand: int
    in_progress: int
    audio_ms_in_hand: int
    done_today: int
    rolling_accuracy: float | None
    jobs: tuple[TeamJob, ...]


@dataclass(frozen=True)
class AtRisk:
    """A waiting job the team's pace reaches after its due time."""

    id: int
    priority: str
    account: str
    due_at: datetime
    expected_at: datetime


@dataclass(frozen=True)
class TeamView:
    """The whole Team page."""

    members: tuple[TeamMember, ...]
    waiting: dict[str, int]
    at_risk: tuple[AtRisk, ...]
    at_risk_total: int
    pace_per_hour: float
    pace_measured: bool
    pool_audio_ms: int = 0


def team_from_record(data: Any) -> TeamView:
    """The Team page's data from the service's JSON; ValueError if malformed."""
    if not isinstance(data, dict):
        raise ValueError("the team view is not a JSON object")
    try:
        members = tuple(
            TeamMember(
                username=str(m["username"]),
                display_name=str(m.get("display_name") or m["username"]),
                in_hand=int(m["in_hand"]),
                in_progress=int(m["in_progress"]),
                audio_ms_in_hand=int(m["audio_ms_in_hand"]),
                done_today=int(m["done_today"]),
                rolling_accuracy=(
                    None if m.get("rolling_accuracy") is None else float(m["rolling_accuracy"])
                ),
                jobs=tuple(
                    TeamJob(
                        int(j["id"]),
                        str(j["status"]),
                        str(j["priority"]),
                        str(j["account"]),
                        datetime.fromisoformat(j["due_at"]),
                        _time(j.get("last_activity_at")),
                        int(j["audio_ms"]),
                    )
                    for j in m["jobs"]
                ),
            )
            for m in data["transcriptionists"]
        )
        pool = data["pool"]
        at_risk = tuple(
            AtRisk(
                int(a["id"]),
                str(a["priority"]),
                str(a["account"]),
                datetime.fromisoformat(a["due_at"]),
                datetime.fromisoformat(a["expected_at"]),
            )
            for a in pool["at_risk"]
        )
        return TeamView(
            members=members,
            waiting={str(k): int(v) for k, v in pool["waiting"].items()},
            at_risk=at_risk,
            at_risk_total=int(pool["at_risk_total"]),
            pace_per_hour=float(data["pace"]["audio_minutes_per_hour"]),
            pace_measured=bool(data["pace"]["measured"]),
            pool_audio_ms=int(pool.get("audio_ms", 0)),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"the team view lacks {exc}") from None
