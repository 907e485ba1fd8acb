"""Autosave: every change reaches the disk within a second, off the GUI thread.

The workspace hands over a snapshot of the draft whenever something changed (at most
a few times a second); a writer thread keeps only the newest snapshot and writes it.
If the disk refuses (full, read-only) the error is reported and the write retried
every second: the newest text stays in memory and nothing typed is dropped.
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


class DraftWriter:
    """Writes the newest snapshot on its own thread.

    ``submit`` may be called from any thread and never blocks on disk. ``on_saved`` and
    ``on_error`` are called on the writer thread: hand the news over, do not touch widgets.
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
        self._latest: Draft | None = None
        self._lock = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="draft-writer", daemon=True)
        self._thread.start()

    def submit(self, draft: Draft) -> None:
        """Queue a snapshot; an older unwritten one is replaced."""
        with self._lock:
            self._latest = draft
            self._lock.notify()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the newest snapshot is on disk; False on timeout (e.g. disk full)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._latest is not None:
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
                while self._latest is None and not self._closing:
                    self._lock.wait()
                if self._latest is None:
                    return
                draft = self._latest
            try:
                self._repository.save(draft)
            except Exception as exc:  # StoreError, or anything the disk throws
                self._on_error(str(exc))
                time.sleep(self._retry_s)
                continue
            with self._lock:
                if self._latest is draft:
                    self._latest = None
                self._lock.notify_all()
            self._on_saved(draft)
