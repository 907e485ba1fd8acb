"""Opening a job: what the workspace needs before it can show it, fetched off the GUI thread.

The lease (unless a claim just granted one), the saved draft, the audio in the local
cache, its waveform peaks, and the names the CRM knows. A job whose transcript still
waits in the outbox is not opened again (a Failure says why).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.failure import Failure
from scribedesk.domain.job import Directory, Job
from scribedesk.domain.transcript import Draft
from scribedesk.services.job_session import JobSession
from scribedesk.services.ports import AudioStore, DraftStore, ServiceApi
from scribedesk.services.worklist import Waiting

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """A job ready to be shown."""

    session: JobSession
    draft: Draft | None  # the saved draft, None when the job is new here
    saved_at: float | None
    audio: Path
    peaks: np.ndarray
    directory: Directory | None  # None: the service sent none (names go unchecked)


def open_job(
    job: Job,
    template_id: str,
    *,
    claimed: bool,
    api: ServiceApi,
    drafts: DraftStore,
    outbox: Waiting,
    audio: AudioStore,
    peaks_dir: Path,
    make_session: Callable[[Job, Draft, str], JobSession],
    progress: Callable[[int, int], None] = lambda _d, _t: None,
) -> Opened:
    """Everything to show ``job`` (blocking: network, disk, decoding). A Failure when the
    service refuses the lease, the audio cannot be had, or the transcript waits to be sent.
    ``claimed``: the job comes straight from a claim and keeps the lease it brought."""
    if any(entry.job_id == job.id for entry in outbox.waiting()):
        raise Failure(
            f"Job {job.id} is submitted: its transcript waits in the outbox to be sent "
            "(Ctrl+Shift+O shows why; Ctrl+Shift+S sends it now)."
        )
    draft = drafts.load(job.id)
    session = make_session(
        job,
        draft or Draft(job_id=job.id, template_id=template_id),
        (job.lease_token or "") if claimed else "",
    )
    session.open(api)
    path = audio.fetch(api, AudioRef.of(job), progress)
    from scribedesk.shared.peaks import cached_peaks, read_peaks  # numpy: once a job opens

    try:
        peaks = read_peaks(api.peaks(job.id))
    except Exception:  # no peaks from the service (old service, bad data): compute them
        peaks = cached_peaks(path, peaks_dir)
    directory: Directory | None
    try:
        directory = api.directory()
    except Exception as exc:  # an older service, or a bad answer: names go unchecked
        log.warning("No directory of names from the service: %s", exc)
        directory = None
    saved_at = drafts.saved_at(job.id) if draft is not None else None
    return Opened(session, draft, saved_at, path, peaks, directory)
