"""The worklist use case: my jobs (marked when their transcript waits to be sent), the pool,
claiming the next job, keeping the list for the next start, and fetching audio ahead.

Plain Python over ports; every method blocks (network or disk): call it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.job import Job, PoolCounts
from scribedesk.services.ports import AudioStore, ServiceApi, WorklistStore


class Waiting(Protocol):
    """What the outbox tells the worklist (services.outbox.Outbox)."""

    def waiting(self) -> list[Any]: ...


@dataclass
class Worklist:
    """The transcriptionist's worklist."""

    api: ServiceApi
    outbox: Waiting
    audio: AudioStore
    saved: WorklistStore | None = None
    prefetch_count: int = 3

    def saved_jobs(self) -> list[Job]:
        """The list kept at the last run (empty when there is none)."""
        return self.saved.load() if self.saved is not None else []

    def jobs(self) -> list[Job]:
        """My jobs from the service, those whose transcript waits in the outbox marked."""
        return self.marked(self.api.my_jobs())

    def marked(self, jobs: list[Job]) -> list[Job]:
        """``jobs`` with those whose transcript waits in the outbox marked."""
        sending = {entry.job_id for entry in self.outbox.waiting()}
        return [job.waiting_to_send(job.id in sending) for job in jobs]

    def keep(self, jobs: list[Job]) -> None:
        """Keep ``jobs`` for the next start (a DISK Failure when the disk refuses)."""
        if self.saved is not None:
            self.saved.save(jobs)

    def pool(self) -> PoolCounts:
        """Jobs waiting in the pool by priority."""
        return self.api.waiting()

    def claim(self) -> Job | None:
        """The next job from the pool, with a fresh lease; None when nothing waits."""
        return self.api.next_job()

    def ahead(self, jobs: Sequence[Job]) -> list[AudioRef]:
        """The audio worth fetching before it is asked for: the first jobs of the list."""
        return [AudioRef.of(job) for job in jobs[: self.prefetch_count]]

    def fetch_ahead(self, wanted: list[AudioRef]) -> None:
        """Download ``wanted`` into the audio cache (resumes, skips what is there)."""
        self.audio.prefetch(self.api, wanted)
