"""Priorities, lifecycle moves and turnaround times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scribedesk.domain.dictation import (
    Priority,
    Status,
    TransitionError,
    TurnaroundPolicy,
    check_transition,
)


def test_stat_outranks_urgent_outranks_routine():
    """STAT is served first."""
    assert sorted(Priority, key=lambda p: p.queue_order) == [
        Priority.STAT,
        Priority.URGENT,
        Priority.ROUTINE,
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (Status.NEW, Status.ASSIGNED),
        (Status.ASSIGNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.REVIEWED),
        (Status.REVIEWED, Status.DELIVERED),
        (Status.SUBMITTED, Status.DELIVERED),
        (Status.IN_PROGRESS, Status.RETURNED),
        (Status.RETURNED, Status.NEW),
        (Status.NEW, Status.CANCELLED),
    ],
)
def test_lifecycle_allows_the_documented_moves(start, end):
    """new -> assigned -> in progress -> submitted -> (review) -> delivered, returns, cancels."""
    check_transition(start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (Status.NEW, Status.SUBMITTED),
        (Status.SUBMITTED, Status.ASSIGNED),
        (Status.DELIVERED, Status.NEW),
        (Status.CANCELLED, Status.ASSIGNED),
        (Status.SUBMITTED, Status.CANCELLED),
    ],
)
def test_lifecycle_refuses_shortcuts(start, end):
    """A dictation cannot skip typing or come back from delivery."""
    with pytest.raises(TransitionError, match="cannot become"):
        check_transition(start, end)


def test_turnaround_policy_parses_and_computes_due_times():
    """Due = received + turnaround of the priority; unspecified priorities keep defaults."""
    policy = TurnaroundPolicy.parse("stat=0.5, routine=48")
    received = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert policy.due(received, Priority.STAT) == received + timedelta(minutes=30)
    assert policy.due(received, Priority.ROUTINE) == received + timedelta(hours=48)
    assert policy.due(received, Priority.URGENT) == received + timedelta(hours=4)


@pytest.mark.parametrize("text", ["soon=1", "stat", "stat=-1", "stat=abc"])
def test_turnaround_policy_rejects_nonsense(text):
    """A mistyped policy is an error that names the entry."""
    with pytest.raises(ValueError, match="turnaround entry"):
        TurnaroundPolicy.parse(text)
