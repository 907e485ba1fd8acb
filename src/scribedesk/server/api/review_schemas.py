"""Request and response bodies of the review API (pydantic, also its OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool

from scribedesk.domain.dictation import Priority, Status
from scribedesk.domain.weighting import Severity
from scribedesk.server.api.schemas import (
    MAX_NARRATIVE,
    FieldValues,
    Marker,
    Token,
)
from scribedesk.server.api.schemas import Strict as _Strict


class ClassifiedErrorIn(_Strict):
    """One difference between the submitted and the corrected version, classified."""

    severity: Severity
    category: str = Field(min_length=1, max_length=64)
    kind: Literal["substitution", "omission", "insertion", "field", ""] = Field(
        default="", description="What the difference is (the reviewer's workstation says)"
    )
    words: str = Field(
        default="", max_length=2000, description="The words of the difference (narrative)"
    )
    field: str | None = Field(
        default=None, max_length=64, description="The template field, for a field's error"
    )
    comment: str = Field(default="", max_length=2000)


class ReviewComplete(_Strict):
    """The corrected copy, the classified differences and the feedback."""

    lease_token: str = Token
    fields: FieldValues = Field(default_factory=dict)
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    markers: list[Marker] = Field(default_factory=list, max_length=10_000)
    errors: list[ClassifiedErrorIn] = Field(default_factory=list, max_length=1000)
    feedback: str = Field(default="", max_length=10_000)


class RequestReview(_Strict):
    reason: str = Field(default="", max_length=2000)


class DisputeIn(_Strict):
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class DecideIn(_Strict):
    uphold: StrictBool = Field(description="true: the error stands; false: it is withdrawn")
    note: str = Field(default="", max_length=2000)


class ReasonIn(_Strict):
    """Why a supervisor moves work in flight (kept in the audit log)."""

    reason: str = Field(default="", max_length=2000)


class PriorityIn(_Strict):
    priority: Priority
    reason: str = Field(default="", max_length=2000)


class ReviewErrorOut(BaseModel):
    severity: Severity
    category: str
    kind: str = ""
    words: str
    field: str | None
    comment: str
    status: Literal["counted", "disputed", "upheld", "withdrawn"]
    dispute: dict[str, Any] | None


class ReviewOut(BaseModel):
    id: int
    dictation_id: int
    account: str
    template_id: str
    version: int = Field(description="The submitted version under review")
    transcriptionist: str
    reason_code: str
    reason: str
    status: Literal["queued", "in_review", "done"]
    reviewer: str | None
    lease_token: str | None = Field(description="Only for the reviewer holding the lease")
    lease_expires_at: datetime | None
    corrected_version: int | None
    feedback: str
    errors: list[ReviewErrorOut]
    score: dict[str, Any]
    created_at: datetime
    completed_at: datetime | None
    dictation_status: Status
    audio_ms: int
    audio_working_sha256: str = Field(description="The WAV working copy to play")
    audio_working_size: int


class TranscriptOut(BaseModel):
    number: int
    fields: dict[str, Any]
    narrative: str
    markers: list[dict[str, Any]]


class ReviewDetail(ReviewOut):
    """A review with the texts it compares: the submitted and (when done) the corrected."""

    submitted: TranscriptOut
    corrected: TranscriptOut | None


class TeamJobOut(BaseModel):
    id: int
    status: Status
    priority: Priority
    account: str
    due_at: datetime
    last_activity_at: datetime | None
    lease_expires_at: datetime | None
    audio_ms: int


class TeamMemberOut(BaseModel):
    username: str
    display_name: str
    in_hand: int
    in_progress: int
    audio_ms_in_hand: int
    done_today: int
    rolling_accuracy: float | None = Field(
        description="Errors-to-lines accuracy over their latest reviews (none yet: null)"
    )
    jobs: list[TeamJobOut]


class AtRiskOut(BaseModel):
    id: int
    priority: Priority
    account: str
    due_at: datetime
    expected_at: datetime = Field(description="When the team's pace reaches it")


class PoolOut(BaseModel):
    waiting: dict[str, int]
    audio_ms: int
    at_risk: list[AtRiskOut] = Field(description="In claim order, at most 500")
    at_risk_total: int


class PaceOut(BaseModel):
    audio_minutes_per_hour: float
    measured: bool = Field(description="false: nothing was submitted lately; assumed")


class TeamOut(BaseModel):
    transcriptionists: list[TeamMemberOut]
    pool: PoolOut
    pace: PaceOut
