"""Request and response bodies of the API (pydantic), which also make its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scribedesk.domain.dictation import Priority, ReturnReason, Status
from scribedesk.domain.roles import Role

Token = Field(min_length=1, max_length=64)


class Strict(BaseModel):
    """Bodies refuse unknown keys, so a typo is an error instead of silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Message(BaseModel):
    """Every error answer: a sentence for a person and a stable code for a program."""

    detail: str
    code: str


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    active: bool


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime
    user: UserOut


class UserCreate(Strict):
    username: str = Field(min_length=2, max_length=64)
    display_name: str = Field(default="", max_length=128)
    role: Role
    password: str = Field(min_length=8, max_length=1024)


class UserUpdate(Strict):
    display_name: str | None = Field(default=None, max_length=128)
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)


class AudioOut(BaseModel):
    duration_ms: int
    original_format: str
    original_codec: str
    original_size: int
    original_sha256: str
    working_sha256: str
    working_size: int
    sample_rate: int


class DictationOut(BaseModel):
    id: int
    status: Status
    priority: Priority
    account: str
    title: str
    author_note: str
    author: str
    template_id: str
    template_version: int
    received_at: datetime
    due_at: datetime
    assignee: str | None
    manual_assignment: bool
    lease_expires_at: datetime | None
    return_reason: ReturnReason | None
    return_note: str
    audio: AudioOut


class JobOut(DictationOut):
    """A dictation as its transcriptionist sees it, with the lease they hold."""

    lease_token: str | None


class LeaseRequest(Strict):
    lease_token: str = Token


class Marker(Strict):
    kind: Literal["timestamp", "inaudible", "unclear"]
    at_ms: int = Field(ge=0, le=24 * 3600 * 1000)
    text: str = Field(default="", max_length=500)


class TranscriptIn(Strict):
    lease_token: str = Token
    fields: dict[str, Any] = Field(default_factory=dict)
    narrative: str = Field(default="", max_length=2_000_000)
    markers: list[Marker] = Field(default_factory=list, max_length=10_000)
    quality_report: dict[str, Any] = Field(default_factory=dict)
    time_spent_seconds: int = Field(default=0, ge=0, le=7 * 24 * 3600)
    note_to_supervisor: str = Field(default="", max_length=10_000)


class VersionOut(BaseModel):
    number: int
    kind: Literal["save", "submit"]
    user: str
    fields: dict[str, Any]
    narrative: str
    markers: list[dict[str, Any]]
    quality_report: dict[str, Any]
    time_spent_seconds: int
    note_to_supervisor: str
    created_at: datetime


class SubmitOut(BaseModel):
    dictation_id: int
    status: Status
    version: int
    submitted_at: datetime


class ReturnRequest(Strict):
    lease_token: str = Token
    reason: ReturnReason
    note: str = Field(default="", max_length=2000)


class AssignRequest(Strict):
    user_id: int = Field(ge=1)


class HeartbeatIn(Strict):
    lease_token: str = Token


class AuditOut(BaseModel):
    at: datetime
    actor: str | None
    action: str
    detail: dict[str, Any]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
