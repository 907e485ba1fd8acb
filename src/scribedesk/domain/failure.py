"""What went wrong when the workstation asked for something: one error type for every layer.

The API client, the local store and the use cases raise (or catch) ``Failure``; what to
do next follows from its ``kind``, never from HTTP status codes read in a use case.
"""

from __future__ import annotations

from enum import StrEnum


class FailureKind(StrEnum):
    """The kinds of failure a user (and the code acting for them) must tell apart."""

    #: the service could not be reached, or did not answer in time: try again soon
    NETWORK = "network"
    #: the service answered with an error of its own (5xx) or with garbage: try again
    SERVER = "server"
    #: the service asks to slow down (429): try again later
    THROTTLED = "throttled"
    #: the sign-in is missing or expired (401): sign in again, then try again
    SIGN_IN = "sign_in"
    #: the job is no longer this workstation's to edit (moved on, lease replaced)
    LEASE_LOST = "lease_lost"
    #: the submission arrived after the job had gone to someone else; kept for a supervisor
    CONFLICT = "conflict"
    #: the request was refused for its content (4xx): retrying the same cannot help
    REFUSED = "refused"
    #: the local disk refused a write (full, read-only)
    DISK = "disk"


RETRYABLE = frozenset({FailureKind.NETWORK, FailureKind.SERVER, FailureKind.THROTTLED})


class Failure(Exception):
    """A sentence for the user, what kind of failure it is, and the service's details.

    ``retryable``: the same request may succeed later without anyone doing anything.
    """

    def __init__(
        self,
        message: str,
        kind: FailureKind = FailureKind.REFUSED,
        *,
        status: int | None = None,
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.code = code

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE
