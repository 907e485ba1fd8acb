"""A reference to a dictation's audio as the workstation fetches it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AudioRef:
    """The working copy of one job's audio: its checksum and size in bytes."""

    job_id: int
    sha256: str
    size: int

    @classmethod
    def of(cls, job: dict[str, Any]) -> AudioRef:
        """From a job as the API returns it."""
        audio = job["audio"]
        return cls(int(job["id"]), str(audio["working_sha256"]), int(audio["working_size"]))
