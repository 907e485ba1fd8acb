"""Request bodies of the training API (pydantic, also its OpenAPI document)."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool

from scribedesk.server.api.schemas import (
    MAX_ID,
    MAX_NARRATIVE,
    JsonInt,
    PlainJson,
    Token,
    json_integer,
)
from scribedesk.server.api.schemas import Strict as _Strict


class ExerciseForm(_Strict):
    """The form fields of an exercise's upload (the audio is the ``file`` part); ``gold``
    is JSON text: ``{"fields": {...}, "narrative": "..."}``."""

    model_config = ConfigDict(extra="forbid", strict=False)

    title: str = Field(min_length=1, max_length=200)
    template_id: str = Field(min_length=1, max_length=64)
    account: str = Field(default="", max_length=200)
    difficulty: int = Field(default=2, ge=1, le=5)
    tags: str = Field(default="", max_length=500, description="Comma-separated")
    gold: str = Field(min_length=2, max_length=MAX_NARRATIVE)


class ExercisePatch(_Strict):
    """What a trainer changes about an exercise (each part optional)."""

    title: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"\S")
    # The bounds before the JSON-integer check, so the document states them.
    difficulty: Annotated[int, Interval(ge=1, le=5), BeforeValidator(json_integer)] | None = None
    tags: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=20)
    active: StrictBool | None = None


class PromoteIn(_Strict):
    """A reviewed production transcript to become an exercise (its corrected version the
    gold)."""

    dictation_id: JsonInt = Field(ge=1, le=MAX_ID)
    title: str = Field(default="", max_length=200)
    invent_names: StrictBool = Field(
        default=True, description="Replace the account and the people's names by invented ones"
    )


class StepIn(_Strict):
    exercise_id: JsonInt = Field(ge=1, le=MAX_ID)
    pass_mark: float = Field(default=98.0, ge=0, le=100, allow_inf_nan=False)


class CurriculumIn(_Strict):
    """A curriculum: exercises in order, the certification rule and the hints allowed."""

    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    description: str = Field(default="", max_length=4000)
    steps: list[StepIn] = Field(min_length=1, max_length=200)
    rule: PlainJson | None = Field(
        default=None,
        description="min_accuracy, last_exercises, all_templates, no_critical_last, "
        "min_pace, complete, auto_certify (each optional)",
    )
    hints: PlainJson | None = Field(default=None, description="peeks, peek_points")


class EnrolIn(_Strict):
    """A curriculum for a trainee, or a transcriptionist sent back to one (with why)."""

    curriculum_id: JsonInt = Field(ge=1, le=MAX_ID)
    user_id: JsonInt = Field(ge=1, le=MAX_ID)
    reason: str = Field(default="", max_length=2000)


class CommentIn(_Strict):
    text: str = Field(max_length=4000)


class PeekIn(_Strict):
    """A peek at the gold sentence the trainee is at, after what they typed so far."""

    lease_token: str = Token
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
