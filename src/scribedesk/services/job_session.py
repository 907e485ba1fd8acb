"""One open job: its lease, its draft, and handing the transcript to the outbox.

Plain Python over ports. The workspace reports edits with ``edited`` (cheap; the GUI
thread may call it on every keystroke) and asks for ``snapshot_due`` on a timer: when
something changed, a Draft snapshot goes to the DraftWriter, so the disk is never more
than a fraction of a second behind. Opening the job takes a fresh lease (this
workstation is where the user works on it now); ``heartbeat`` is called every
``heartbeat_s`` off the GUI thread and keeps it. A lease lost to another workstation,
a supervisor or the idle limit is reported in the service's words; the draft stays.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Job
from scribedesk.domain.transcript import Draft


class LeaseApi(Protocol):
    """The service calls a session needs (client.api.ApiClient)."""

    def take_lease(self, job_id: int) -> Job: ...
    def heartbeat(self, job_id: int, lease_token: str) -> Job: ...
    def start(self, job_id: int, lease_token: str) -> Job: ...


class DraftSink(Protocol):
    """Where snapshots go (services.drafts.DraftWriter)."""

    def submit(self, draft: Draft) -> None: ...


class SubmissionQueue(Protocol):
    """Where finished transcripts go (services.outbox.Outbox)."""

    def enqueue(self, job_id: int, body: Mapping[str, Any]) -> str: ...


@dataclass
class JobSession:
    """A job being transcribed."""

    job: Job
    draft: Draft
    drafts: DraftSink
    outbox: SubmissionQueue
    clock: Callable[[], float] = time.monotonic
    lease_token: str = ""
    lease_lost: str = ""
    submitted_key: str = ""
    _dirty: bool = field(default=False, init=False)
    _opened_at: float = field(default=0.0, init=False)
    _spent_before: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._opened_at = self.clock()
        self._spent_before = self.draft.time_spent_s  # a restored draft keeps its time

    @property
    def job_id(self) -> int:
        return self.job.id

    def open(self, api: LeaseApi) -> None:
        """Take a fresh lease (unless the session was made with the one a claim just
        granted) and mark the job in progress. Blocking (network); a Failure (LEASE_LOST
        when the job is no longer the user's) when the service refuses."""
        if not self.lease_token:
            self.job = api.take_lease(self.job_id)
            self.lease_token = self.job.lease_token or ""
        self.job = replace(api.start(self.job_id, self.lease_token), lease_token=self.lease_token)

    def heartbeat(self, api: LeaseApi) -> bool:
        """Renew the lease (blocking); False with ``lease_lost`` set when it is gone.

        Network trouble is not a lost lease: the Failure goes to the caller, who retries
        at the next beat.
        """
        if self.lease_lost or self.submitted_key:
            return not self.lease_lost
        try:
            api.heartbeat(self.job_id, self.lease_token)
        except Failure as failure:
            if failure.kind is FailureKind.LEASE_LOST:
                self.lease_lost = failure.message
                return False
            raise
        return True

    def edited(self, **changes: Any) -> None:
        """Something the user typed or played changed (``fields``, ``narrative``, …)."""
        for name, value in changes.items():
            setattr(self.draft, name, value)
        self._dirty = True

    def snapshot_due(self) -> bool:
        """Send a snapshot to the writer if anything changed since the last one."""
        if not self._dirty:
            return False
        self._dirty = False
        self.draft.revision += 1
        self.draft.time_spent_s = int(self.clock() - self._opened_at) + self._spent_before
        self.drafts.submit(Draft(**vars(self.draft)))
        return True

    def submit(
        self,
        quality_report: Mapping[str, Any] | None = None,
        quality: Mapping[str, Any] | None = None,
    ) -> str:
        """Put the transcript in the outbox (durably, before returning); its key."""
        self.snapshot_due()
        body = self.draft.submission_body(
            self.lease_token, dict(quality_report or {}), dict(quality or {})
        )
        self.submitted_key = self.outbox.enqueue(self.job_id, body)
        return self.submitted_key
