"""Dictation priority, lifecycle and turnaround rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Priority(StrEnum):
    """How urgently a dictation must be transcribed; STAT outranks everything."""

    ROUTINE = "routine"
    URGENT = "urgent"
    STAT = "stat"

    @property
    def queue_order(self) -> int:
        """Sort key: lower is served first (STAT 0, urgent 1, routine 2)."""
        return _ORDER[self]


_ORDER = {Priority.STAT: 0, Priority.URGENT: 1, Priority.ROUTINE: 2}


class Status(StrEnum):
    """Where a dictation is in its life."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


#: Every allowed move of the lifecycle. ``new`` is re-entered when a lease of a
#: pooled job expires or a supervisor puts a returned job back in the pool.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset(
        {Status.ASSIGNED, Status.IN_PROGRESS, Status.NEW, Status.RETURNED, Status.CANCELLED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.ASSIGNED, Status.SUBMITTED, Status.NEW, Status.RETURNED, Status.CANCELLED}
    ),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.DELIVERED}),
    Status.IN_REVIEW: frozenset({Status.REVIEWED}),
    Status.REVIEWED: frozenset({Status.DELIVERED}),
    Status.RETURNED: frozenset({Status.NEW, Status.ASSIGNED, Status.CANCELLED}),
    Status.DELIVERED: frozenset(),
    Status.CANCELLED: frozenset(),
}

#: Statuses in which a transcriptionist holds (or may hold) the job.
WORKING = frozenset({Status.ASSIGNED, Status.IN_PROGRESS})


class TransitionError(ValueError):
    """A lifecycle move that the rules do not allow."""


def check_transition(current: Status, target: Status) -> None:
    """Raise TransitionError unless ``current -> target`` is an allowed move."""
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            f"a dictation that is {current.value.replace('_', ' ')} "
            f"cannot become {target.value.replace('_', ' ')}"
        )


class ReturnReason(StrEnum):
    """Why a transcriptionist hands a job back undone."""

    BAD_AUDIO = "bad_audio"
    WRONG_TEMPLATE = "wrong_template"
    NOT_A_DICTATION = "not_a_dictation"
    OTHER = "other"


@dataclass(frozen=True)
class TurnaroundPolicy:
    """Turnaround time per priority; due time = received time + turnaround.

    Times are wall-clock (the service does not yet model business hours).
    """

    hours: dict[Priority, float] = field(
        default_factory=lambda: {Priority.ROUTINE: 24.0, Priority.URGENT: 4.0, Priority.STAT: 1.0}
    )

    def due(self, received_at: datetime, priority: Priority) -> datetime:
        """Due time for a dictation received at ``received_at`` (timezone kept)."""
        return received_at + timedelta(hours=self.hours[priority])

    @classmethod
    def parse(cls, text: str) -> TurnaroundPolicy:
        """Parse ``"routine=24,urgent=4,stat=1"`` (hours); missing entries keep defaults."""
        return cls(_per_priority(text, cls().hours, "turnaround", "hours"))


@dataclass(frozen=True)
class IdlePolicy:
    """How long an assignment may sit without any activity before it goes back to the pool.

    An assigned job stays its transcriptionist's (on their worklist, with their draft)
    while they come back to it within this time; the lease is only the short guard
    against two workstations editing at once.
    """

    minutes: dict[Priority, float] = field(
        default_factory=lambda: {
            Priority.STAT: 15.0,
            Priority.URGENT: 60.0,
            Priority.ROUTINE: 480.0,
        }
    )

    def limit(self, priority: Priority) -> timedelta:
        """The idle limit of ``priority``."""
        return timedelta(minutes=self.minutes[priority])

    @classmethod
    def parse(cls, text: str) -> IdlePolicy:
        """Parse ``"stat=15,urgent=60,routine=480"`` (minutes); missing entries keep defaults."""
        return cls(_per_priority(text, cls().minutes, "idle limit", "minutes"))


def _per_priority(
    text: str, defaults: dict[Priority, float], what: str, unit: str
) -> dict[Priority, float]:
    """``priority=amount`` pairs separated by commas over ``defaults``; ValueError names
    the entry that is wrong."""
    values = dict(defaults)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            priority = Priority(name.strip().lower())
            amount = float(value)
        except ValueError:
            raise ValueError(
                f"{what} entry {part!r} is not priority={unit} "
                f"(priorities: {', '.join(p.value for p in Priority)})"
            ) from None
        if not sep or not amount > 0 or amount == float("inf"):
            raise ValueError(f"{what} entry {part!r} needs a positive number of {unit}")
        values[priority] = amount
    return values
