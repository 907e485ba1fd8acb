"""A job as the workstation knows it: the dictation, its audio, and the lease this desk holds.

The service's JSON becomes these types once, in client.payloads; the local store keeps
them with ``to_record`` / ``from_record``. Nothing past the client handles raw payloads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from scribedesk.domain.dictation import Priority, Status

#: Shown for a time the service did not send (sorts last).
NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)  # slots: a worklist holds thousands
class JobAudio:
    """The job's audio: its length and the working copy the workstation downloads."""

    duration_ms: int
    working_sha256: str
    working_size: int
    sample_rate: int = 0
    original_format: str = ""


@dataclass(frozen=True, slots=True)
class Job:
    """One dictation assigned to (or claimable by) the signed-in transcriptionist."""

    id: int
    status: Status
    priority: Priority
    template_id: str
    audio: JobAudio
    account: str = ""
    title: str = ""
    author: str = ""
    author_note: str = ""
    received_at: datetime = NEVER
    due_at: datetime = NEVER
    assignee: str | None = None
    lease_token: str | None = None
    lease_expires_at: datetime | None = None
    last_activity_at: datetime | None = None
    idle: bool = False
    #: A training exercise (scored against its gold on submit), not production work.
    training: bool = False
    #: Set by the workstation: its transcript waits in the outbox to be sent.
    sending: bool = False
    #: Where its final version is on the way to the CRM: "" (no delivery), "delivered",
    #: "waiting", "held" (a person must pick the account) or "failed".
    delivery: str = ""

    def waiting_to_send(self, sending: bool = True) -> Job:
        """This job marked as (not) waiting in the outbox."""
        return replace(self, sending=sending)

    def to_record(self) -> dict[str, Any]:
        """The job as JSON-ready data, in the service's own shape."""
        return {
            "id": self.id,
            "status": self.status.value,
            "priority": self.priority.value,
            "template_id": self.template_id,
            "account": self.account,
            "title": self.title,
            "author": self.author,
            "author_note": self.author_note,
            "received_at": _iso(self.received_at),
            "due_at": _iso(self.due_at),
            "assignee": self.assignee,
            "lease_token": self.lease_token,
            "lease_expires_at": _iso(self.lease_expires_at),
            "last_activity_at": _iso(self.last_activity_at),
            "idle": self.idle,
            "kind": "training" if self.training else "production",
            "delivery": self.delivery,
            "audio": {
                "duration_ms": self.audio.duration_ms,
                "working_sha256": self.audio.working_sha256,
                "working_size": self.audio.working_size,
                "sample_rate": self.audio.sample_rate,
                "original_format": self.audio.original_format,
            },
        }


@dataclass(frozen=True)
class Submitted:
    """A job I submitted (My history): the job as it is now, when, which version."""

    job: Job
    submitted_at: datetime
    version: int


@dataclass(frozen=True)
class Receipt:
    """The service's confirmation of a submission: the version it stored."""

    job_id: int
    status: Status
    version: int
    submitted_at: datetime

    def to_record(self) -> dict[str, Any]:
        """The receipt in the service's own shape (kept in the outbox)."""
        return {
            "dictation_id": self.job_id,
            "status": self.status.value,
            "version": self.version,
            "submitted_at": self.submitted_at.isoformat(),
        }


@dataclass(frozen=True)
class PoolCounts:
    """Jobs waiting in the pool, by priority."""

    stat: int = 0
    urgent: int = 0
    routine: int = 0


@dataclass(frozen=True)
class Directory:
    """The names the CRM knows: accounts and people (None: the service sent none)."""

    accounts: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


def job_from_record(data: Any) -> Job:
    """A Job from its JSON (the service's answer, or ``to_record``'s); missing optional
    fields take their defaults. KeyError, TypeError or ValueError on anything else."""
    if not isinstance(data, dict):
        raise TypeError("a job must be a JSON object")
    audio = data["audio"]
    if not isinstance(audio, dict):
        raise TypeError("'audio' must be an object")
    return Job(
        id=_int(data["id"]),
        status=Status(data["status"]),
        priority=Priority(data["priority"]),
        template_id=_text(data["template_id"]),
        audio=JobAudio(
            duration_ms=_int(audio["duration_ms"]),
            working_sha256=_text(audio["working_sha256"]),
            working_size=_int(audio["working_size"]),
            sample_rate=_int(audio.get("sample_rate") or 0),
            original_format=_text(audio.get("original_format") or ""),
        ),
        account=_text(data.get("account") or ""),
        title=_text(data.get("title") or ""),
        author=_text(data.get("author") or ""),
        author_note=_text(data.get("author_note") or ""),
        received_at=_time(data.get("received_at")) or NEVER,
        due_at=_time(data.get("due_at")) or NEVER,
        assignee=_optional_text(data.get("assignee")),
        lease_token=_optional_text(data.get("lease_token")),
        lease_expires_at=_time(data.get("lease_expires_at")),
        last_activity_at=_time(data.get("last_activity_at")),
        idle=bool(data.get("idle") or False),
        training=data.get("kind") == "training",
        delivery=_text(data.get("delivery") or ""),
    )


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _time(value: Any) -> datetime | None:
    """An ISO time (UTC when it names no zone), None for None."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(_text(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return None if value is None or value == NEVER else value.isoformat()
