"""Autosave: every change reaches the disk within a second, off the GUI thread.

The workspace hands over a snapshot of the draft whenever something changed (at most
a few times a second); a writer thread keeps only the newest snapshot of each job and
writes it. If the disk refuses (full, read-only) the error is reported and the write
retried every second: the newest text stays in memory and nothing typed is dropped.

A draft whose transcript the service confirmed is deleted by the same thread
(``discard``), after any snapshot of it still waiting, and later snapshots of that job
are ignored: a submitted job never leaves a stale draft behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from scribedesk.domain.transcript import Draft


class DraftRepository(Protocol):
    """Where drafts are kept (storage.store.DraftRepository)."""

    def save(self, draft: Draft) -> None: ...
    def load(self, job_id: int) -> Draft | None: ...
    def delete(self, job_id: int) -> None: ...


class DraftWriter:
    """Writes the newest snapshot of each job on its own thread.

    ``submit`` and ``discard`` may be called from any thread and never block on disk.
    ``on_saved`` and ``on_error`` are called on the writer thread: hand the news over, do
    not touch widgets.
    """

    def __init__(
        self,
        repository: DraftRepository,
        on_saved: Callable[[Draft], None] = lambda _d: None,
        on_error: Callable[[str], None] = lambda _m: None,
        retry_s: float = 1.0,
    ) -> None:
        self._repository = repository
        self._on_saved = on_saved
        self._on_error = on_error
        self._retry_s = retry_s
        self._latest: dict[int, Draft] = {}
        self._deletes: set[int] = set()
        self._finished: set[int] = set()
        self._lock = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="draft-writer", daemon=True)
        self._thread.start()

    def submit(self, draft: Draft) -> None:
        """Queue a snapshot; an older unwritten one of the same job is replaced. Ignored
        for a job whose draft was discarded."""
        with self._lock:
            if draft.job_id in self._finished:
                return
            self._latest[draft.job_id] = draft
            self._lock.notify()

    def discard(self, job_id: int) -> None:
        """Delete the job's draft once every snapshot before this call is handled, and
        ignore any later one (its transcript arrived at the service)."""
        with self._lock:
            self._finished.add(job_id)
            self._latest.pop(job_id, None)
            self._deletes.add(job_id)
            self._lock.notify()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued snapshot and delete reached the disk; False on timeout
        (e.g. disk full)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._latest or self._deletes:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is pending and stop; True when everything reached the disk."""
        done = self.flush(timeout)
        with self._lock:
            self._closing = True
            self._lock.notify()
        self._thread.join(timeout=1)
        return done

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._latest and not self._deletes and not self._closing:
                    self._lock.wait()
                if not self._latest and not self._deletes:
                    return
                draft = next(iter(self._latest.values()), None)
                delete = None if draft is not None else next(iter(self._deletes))
            try:
                if draft is not None:
                    self._repository.save(draft)
                else:
                    assert delete is not None
                    self._repository.delete(delete)
            except Exception as exc:  # StoreError, or anything the disk throws
                self._on_error(str(exc))
                time.sleep(self._retry_s)
                continue
            with self._lock:
                if draft is not None and self._latest.get(draft.job_id) is draft:
                    del self._latest[draft.job_id]
                if delete is not None:
                    self._deletes.discard(delete)
                self._lock.notify_all()
            if draft is not None:
                self._on_saved(draft)
