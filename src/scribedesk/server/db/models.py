"""The service's tables (SQLAlchemy 2 declarative); Alembic migrations create them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from scribedesk.domain.dictation import Priority, Status
from scribedesk.domain.roles import Role
from scribedesk.server.db.base import Base, text_enum


class User(Base):
    """A person who signs in, with one role (``certified_templates``: None for all)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[Role] = mapped_column(text_enum(Role, 32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    certified_templates: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    production_hold: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuthToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "auth_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginThrottle(Base):
    """Failed sign-ins per user name and per client address, for throttling."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class Audio(Base):
    """An audio file in the content-addressed store, named by its SHA-256."""

    __tablename__ = "audio"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    container: Mapped[str] = mapped_column(String(64))
    codec: Mapped[str] = mapped_column(String(64))
    sample_rate: Mapped[int] = mapped_column(Integer)
    channels: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    working_sha256: Mapped[str] = mapped_column(String(64))
    working_size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class Dictation(Base):
    """A dictation and, while it is being typed, the job built on it (assignee and lease)."""

    __tablename__ = "dictation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    audio_sha256: Mapped[str] = mapped_column(ForeignKey("audio.sha256"))
    account: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    author_note: Mapped[str] = mapped_column(Text, default="")
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    priority: Mapped[Priority] = mapped_column(text_enum(Priority, 16))
    #: 0 for STAT, 1 urgent, 2 routine: the queue index serves "most urgent first" ascending.
    queue_order: Mapped[int] = mapped_column(Integer)
    status: Mapped[Status] = mapped_column(text_enum(Status, 16))
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    manual_assignment: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_token: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    return_reason: Mapped[str | None] = mapped_column(String(32))
    return_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    #: The assignee's last sign of work (claim, lease, heartbeat, save); an assignment idle
    #: for longer than its priority's limit goes back to the pool.
    active_at: Mapped[datetime | None]
    #: When the job went back to the pool for being idle (None otherwise): its last
    #: assignee may still submit the transcript they wrote, unless someone else took it.
    idle_released_at: Mapped[datetime | None]
    #: The file name this dictation's author uploaded (the audio row keeps the first
    #: uploader's: identical bytes are stored once).
    original_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    #: production | training (an attempt: never in the pool, team view or review queue).
    kind: Mapped[str] = mapped_column(String(16), default="production", server_default="production")

    __table_args__ = (
        Index("ix_dictation_queue", "status", "queue_order", "due_at", "id"),
        Index("ix_dictation_lease", "lease_expires_at"),
        Index("ix_dictation_assignee", "assignee_id", "status"),
        Index("ix_dictation_author", "author_id"),
    )


class LeaseGrant(Base):
    """Every lease ever granted on a job: a submission is fenced by the grant it was written
    under, not by whether that lease is still live."""

    __tablename__ = "lease_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dictation_id: Mapped[int] = mapped_column(ForeignKey("dictation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    granted_at: Mapped[datetime]

    __table_args__ = (Index("ix_lease_grant_dictation", "dictation_id", "id"),)


class TranscriptVersion(Base):
    """One numbered save or submission of a transcript."""

    __tablename__ = "transcript_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dictation_id: Mapped[int] = mapped_column(ForeignKey("dictation.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    #: save | submit | conflict (a submission that arrived after the job went to someone
    #: else) | conflict-kept | conflict-dropped (the supervisor's decision on one)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    fields: Mapped[dict[str, Any]]
    narrative: Mapped[str] = mapped_column(Text)
    markers: Mapped[list[Any]]
    quality_report: Mapped[dict[str, Any]]
    time_spent_s: Mapped[int] = mapped_column(Integer, default=0)
    note_to_supervisor: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("dictation_id", "number"),)


class Submission(Base):
    """The first answer to a submit, kept under its Idempotency-Key for replays."""

    __tablename__ = "submission"

    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    dictation_id: Mapped[int] = mapped_column(ForeignKey("dictation.id", ondelete="CASCADE"))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class AuditEvent(Base):
    """Who did what to which dictation, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    dictation_id: Mapped[int | None] = mapped_column(
        ForeignKey("dictation.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]]


class Review(Base):
    """A submitted transcript sampled for a supervisor's review, and its outcome.

    Claimed under a lease like a job (``reviewer_id``, ``lease_token``); when done it
    names the corrected version, the classified errors (each with its dispute, if any)
    and the score the service computed from them.
    """

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dictation_id: Mapped[int] = mapped_column(ForeignKey("dictation.id", ondelete="CASCADE"))
    #: The submitted version under review, and who wrote it.
    version: Mapped[int] = mapped_column(Integer)
    reviewee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: queued | in_review | done
    status: Mapped[str] = mapped_column(String(16))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lease_token: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    corrected_version: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str] = mapped_column(Text, default="")
    errors: Mapped[list[Any]]
    score: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("dictation_id", "version"),
        Index("ix_review_queue", "status", "created_at", "id"),
        Index("ix_review_reviewee", "reviewee_id", "completed_at"),
    )


class Delivery(Base):
    """One final transcript version to one destination: the outbox row and its fate."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dictation_id: Mapped[int] = mapped_column(ForeignKey("dictation.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    destination: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(128))  # the same on every attempt
    state: Mapped[str] = mapped_column(String(16))  # pending|sending|delivered|failed|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("dictation_id", "version", "destination"),
        Index("ix_delivery_due", "state", "next_attempt_at"),
    )


class ProposalOutline(Base):
    """A proposal's RFP outline: the sections it asks for, in order."""

    __tablename__ = "proposal_outline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal: Mapped[str] = mapped_column(String(160), unique=True)
    account: Mapped[str] = mapped_column(String(200))
    sections: Mapped[list[Any]]  # [{"id": "3.2.1", "title": "…"}]
    updated_at: Mapped[datetime]
    updated_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


# The training tables live in a module of their own; importing them here registers them
# on the same metadata (migrations, the model check) and keeps one place to import from.
from scribedesk.server.db.training_models import (  # noqa: E402
    Attempt,
    Certificate,
    Curriculum,
    Enrolment,
    Exercise,
)

__all__ = ["Attempt", "Base", "Certificate", "Curriculum", "Enrolment", "Exercise"]
__all__ += ["ProposalOutline"]
