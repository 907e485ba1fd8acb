"""The training tables: exercises, curricula, enrolments, attempts and certificates
(registered on the service's metadata through db.models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scribedesk.server.db.base import Base


class Exercise(Base):
    """A practice dictation: its audio and template, the gold transcript, and its tags."""

    __tablename__ = "exercise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    audio_sha256: Mapped[str] = mapped_column(ForeignKey("audio.sha256"))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(200))
    gold_fields: Mapped[dict[str, Any]]
    gold_narrative: Mapped[str] = mapped_column(Text)
    #: 1 (easy) to 5 (hard).
    difficulty: Mapped[int] = mapped_column(Integer)
    #: e.g. accent, noise, speed, vocabulary.
    tags: Mapped[list[Any]]
    #: upload | import | promoted
    source: Mapped[str] = mapped_column(String(16))
    source_dictation_id: Mapped[int | None] = mapped_column(
        ForeignKey("dictation.id", ondelete="SET NULL"), nullable=True
    )
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Curriculum(Base):
    """Exercises in order, each with its pass mark, and the rule that certifies."""

    __tablename__ = "curriculum"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: [{"exercise_id": 1, "pass_mark": 98.0}, …] in order.
    steps: Mapped[list[Any]]
    rule: Mapped[dict[str, Any]]
    hints: Mapped[dict[str, Any]]
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Enrolment(Base):
    """A curriculum assigned to a trainee (or a transcriptionist sent back to training)."""

    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curriculum.id"))
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime]
    #: active | certified | withdrawn
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_enrolment_trainee", "trainee_id", "status"),)


class Attempt(Base):
    """One try at an exercise: a training job of its own, and its score against the gold."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"))
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    dictation_id: Mapped[int] = mapped_column(
        ForeignKey("dictation.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[int] = mapped_column(Integer)
    #: open | scored
    status: Mapped[str] = mapped_column(String(16))
    peeks: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    critical: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pace: Mapped[float | None] = mapped_column(Float, nullable=True)
    time_spent_s: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any]]
    #: Errors per kind (substitution, omission, …): the grid's recurring errors, cheaply.
    categories: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]
    scored_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    comment_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_attempt_enrolment", "enrolment_id", "exercise_id", "number"),
        Index("ix_attempt_trainee", "trainee_id", "scored_at"),
    )


class Certificate(Base):
    """A trainee certified for production work on some templates, with the evidence."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curriculum.id"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    templates: Mapped[list[Any]]
    #: None: the curriculum certified automatically.
    certified_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    certified_at: Mapped[datetime]
    evidence: Mapped[dict[str, Any]]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_certificate_user", "user_id", "certified_at"),)
