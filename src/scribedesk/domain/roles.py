"""The roles a ScribeDesk user can hold and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; one per account."""

    AUTHOR = "author"
    TRANSCRIPTIONIST = "transcriptionist"
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    ADMIN = "admin"


#: Roles that see every production dictation (workload view, assignment, review).
OVERSEERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


#: Roles that may upload dictations.
UPLOADERS = frozenset({Role.AUTHOR, Role.SUPERVISOR, Role.ADMIN})
