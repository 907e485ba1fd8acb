"""Request and response bodies of the API (pydantic), which also make its OpenAPI document."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    model_validator,
)

from scribedesk.domain.dictation import Priority, ReturnReason, Status
from scribedesk.domain.roles import Role

#: A user name: lower-case letters, digits, '.', '_' or '-', starting with a letter.
USERNAME_PATTERN = r"^[a-z][a-z0-9._-]{1,63}$"


def _user_name(value: str) -> str:
    if not re.fullmatch(USERNAME_PATTERN, value):
        raise ValueError(
            "a user name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter"
        )
    return value


Token = Field(pattern="^[0-9a-f]{32}$", description="The lease token from the claim")
MAX_ID = 2_147_483_647
#: A database id in a URL path (ids are 32-bit everywhere).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, BaseModel):
        return any(_has_nul(v) for v in value.__dict__.values())
    return False


#: How deep a free-form JSON value may nest, and the integers every JSON reader agrees
#: on (I-JSON, RFC 7493): a transcript's values are one or two levels deep.
MAX_JSON_DEPTH = 8
MAX_SAFE_INTEGER = 2**53 - 1


def json_problem(value: Any, depth: int = 0) -> str | None:
    """Why ``value`` is not plain, interoperable JSON (too deep, a non-finite or huge
    number), or None. Python's JSON parser accepts NaN, Infinity and 1e400 (as inf);
    no database stores them alike, and no client can read them back."""
    if depth > MAX_JSON_DEPTH:
        return f"nests deeper than {MAX_JSON_DEPTH} levels"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"holds {value}, which is not a JSON number"
    if isinstance(value, int):
        return None if abs(value) <= MAX_SAFE_INTEGER else "holds an integer beyond 2^53"
    items = value.values() if isinstance(value, dict) else value
    return next((p for p in (json_problem(v, depth + 1) for v in items) if p), None)


def plain_json(value: Any) -> Any:
    """Pydantic validator: ``value`` unchanged, or ValueError saying what is wrong."""
    problem = json_problem(value)
    if problem:
        raise ValueError(f"the value {problem}")
    return value


#: In the OpenAPI document: any text without NUL characters (ECMA-262, as JSON Schema).
NO_NUL = "^[^\\u0000]*$"
#: The OpenAPI component a plain JSON value refers to (contract.py defines it).
JSON_VALUE = {"$ref": "#/components/schemas/JsonValue"}

PlainJson = Annotated[
    dict[str, Any],
    AfterValidator(plain_json),
    WithJsonSchema({"type": "object", "additionalProperties": JSON_VALUE}),
]
#: A transcript's field values: plain JSON, at most MAX_FIELDS entries.
MAX_FIELDS = 500
FieldValues = Annotated[
    dict[str, Any],
    AfterValidator(plain_json),
    WithJsonSchema(
        {"type": "object", "maxProperties": MAX_FIELDS, "additionalProperties": JSON_VALUE}
    ),
]


def json_integer(value: Any) -> Any:
    # JSON has one number type: 3.0 is the integer 3, but `true` is not 1 (pydantic's lax
    # mode would take it) and "3" is text.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("Input should be a whole number")
        return int(value)
    return value


#: An integer as JSON means it: 3 and 3.0, never true or "3".
JsonInt = Annotated[int, BeforeValidator(json_integer)]


def _no_nul_in_schema(schema: dict[str, Any]) -> None:
    """Say in the document what the validator refuses: NUL in any text property."""
    for prop in schema.get("properties", {}).values():
        for option in [prop, prop.get("items", {}), *prop.get("anyOf", [])]:
            if option.get("type") == "string" and not {"pattern", "enum", "format"} & set(option):
                option["pattern"] = NO_NUL


class Strict(BaseModel):
    """Bodies refuse unknown keys (a typo is an error), NUL characters in any text, and a
    flag or a number of another JSON type (StrictBool, JsonInt: `true` is not 1)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_nul_in_schema)

    @model_validator(mode="after")
    def _no_nul(self) -> Strict:
        if _has_nul(self.__dict__):
            raise ValueError("text must not contain NUL characters")
        return self


class Message(BaseModel):
    """Every error answer: a sentence for a person and a stable code for a program."""

    detail: str
    code: str


_ERROR_MEANINGS = {
    400: "The request is malformed",
    401: "No valid sign-in (or, signing in, a wrong user name or password)",
    403: "Signed in, but this role may not do this",
    404: "Not found, or not yours to see",
    405: "The path exists, not with this method (the Allow header lists those that do)",
    409: "The job or dictation is in a state that does not allow this; the sentence says why",
    413: "The body is larger than the limit",
    415: "The upload is not audio the service can read",
    422: "The request is well formed but its content cannot be accepted",
    429: "Too many failed sign-ins; Retry-After says when to try again",
}

#: Every error answer any operation may give, documented once for the whole API.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Message, "description": meaning}
    for status, meaning in _ERROR_MEANINGS.items()
}


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
    username: Annotated[str, AfterValidator(_user_name)] = Field(
        min_length=2, max_length=64, json_schema_extra={"pattern": USERNAME_PATTERN}
    )
    display_name: str = Field(default="", max_length=128)
    role: Role
    password: str = Field(min_length=8, max_length=1024)


class UserUpdate(Strict):
    display_name: str | None = Field(default=None, max_length=128)
    role: Role | None = None
    active: StrictBool | None = None
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
    last_activity_at: datetime | None = Field(
        description="The assignee's last sign of work (claim, open, heartbeat, save)"
    )
    idle: bool = Field(
        description="Assigned but without activity for longer than the team's idle limit"
    )
    return_reason: ReturnReason | None
    return_note: str
    audio: AudioOut
    #: "training": an exercise attempt, scored against its gold on submit.
    kind: Literal["production", "training"] = "production"
    #: GET /dictations: "" (no delivery), delivered, waiting, held (a person picks the
    delivery: Literal["", "delivered", "waiting", "held", "failed"] = ""  # account), failed


class JobOut(DictationOut):
    """A dictation as its transcriptionist sees it, with the lease they hold."""

    lease_token: str | None


class LeaseRequest(Strict):
    lease_token: str = Token


class Marker(Strict):
    kind: Literal["timestamp", "inaudible", "unclear"]
    at_ms: JsonInt = Field(ge=0, le=24 * 3600 * 1000)
    text: str = Field(default="", max_length=500)


class QualityIn(Strict):
    """What the quality checks need that only the workstation knows, and what the
    transcriptionist acknowledged (finding keys)."""

    today: date | None = None
    language: str = Field(default="en_US", max_length=20, pattern=r"^[A-Za-z_@.-]*$")
    heard: list[tuple[JsonInt, JsonInt]] = Field(default_factory=list, max_length=100_000)
    accepted_words: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20_000
    )
    abbreviations: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=5_000
    )
    acknowledged: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20_000
    )


class Directory(BaseModel):
    """Names the CRM already knows, for completion and the new-name check."""

    accounts: list[str]
    people: list[str]


#: A narrative's limit: about 80,000 words, nine hours of speech (a long dictation is
#: 10,000 words). The body limit (TRANSCRIPT_BODY_LIMIT) is set to match.
MAX_NARRATIVE = 500_000


class TranscriptIn(Strict):
    lease_token: str = Token
    fields: FieldValues = Field(default_factory=dict, max_length=MAX_FIELDS)
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    markers: list[Marker] = Field(default_factory=list, max_length=10_000)
    quality_report: PlainJson = Field(default_factory=dict)
    quality: QualityIn = Field(default_factory=QualityIn)
    time_spent_seconds: JsonInt = Field(default=0, ge=0, le=7 * 24 * 3600)
    note_to_supervisor: str = Field(default="", max_length=10_000)


class VersionOut(BaseModel):
    number: int
    kind: Literal["save", "submit", "conflict", "conflict-kept", "conflict-dropped", "review"] = (
        Field(
            description="conflict: a submission that arrived after the job had gone to someone "
            "else, kept for a supervisor; conflict-kept / conflict-dropped: their decision; "
            "review: a supervisor's corrected copy of a submitted version"
        )
    )
    user: str
    fields: dict[str, Any]
    narrative: str
    markers: list[dict[str, Any]]
    quality_report: dict[str, Any]
    time_spent_seconds: int
    note_to_supervisor: str
    created_at: datetime


class TrainingResultOut(BaseModel):
    """A training attempt's score with its submission (all of it: GET /training/attempts)."""

    attempt_id: int
    exercise_id: int
    number: int
    score: float
    passed: bool
    pass_mark: float
    critical: int
    errors: int
    next_job_id: int | None
    certifiable: bool
    certified: bool


class SubmitOut(BaseModel):
    dictation_id: int
    status: Status
    version: int
    submitted_at: datetime
    training: TrainingResultOut | None = None


def _other_needs_a_note(schema: dict[str, Any]) -> None:
    _no_nul_in_schema(schema)
    schema["if"] = {"properties": {"reason": {"const": ReturnReason.OTHER.value}}}
    schema["then"] = {
        "required": ["note"],
        "properties": {"note": {"type": "string", "pattern": "\\S", "maxLength": 2000}},
    }


class ReturnRequest(Strict):
    """A reason, and with ``other`` a note that says it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_other_needs_a_note)

    lease_token: str = Token
    reason: ReturnReason
    note: str = Field(default="", max_length=2000)


class AssignRequest(Strict):
    user_id: JsonInt = Field(ge=1, le=MAX_ID)
    reason: str = Field(default="", max_length=2000)


class ResolveConflict(Strict):
    keep: StrictBool = Field(
        description="true: this version becomes the submitted transcript (any other work "
        "on the job stops); false: it is set aside and the job goes on as it is"
    )
    reason: str = Field(default="", max_length=2000)


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
