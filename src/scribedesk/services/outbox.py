"""The outbox: a submission is stored on disk first, then sent until the service confirms it.

Each submission gets its Idempotency-Key when it enters the outbox and keeps it for every
retry, so the service stores it exactly once however often the network fails. Offline,
or with the service down, it waits and retries with exponential backoff (1 s doubling
to 5 minutes, with jitter). An answer that retrying cannot change (lease lost, job
cancelled, content refused) marks it rejected with the service's sentence; the draft is
kept so the text can still be used.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


class SubmitError(Exception):
    """What the sender raises: a message and whether retrying can help."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class Entry(Protocol):
    """An outbox row as the service needs it."""

    id: int
    job_id: int
    idempotency_key: str
    body: dict[str, Any]
    attempts: int


class OutboxRepository(Protocol):
    """Where submissions wait (storage.store.OutboxRepository)."""

    def add(self, job_id: int, key: str, body: dict[str, Any], now: float) -> Any: ...
    def due(self, now: float) -> list[Any]: ...
    def by_state(self, state: str) -> list[Any]: ...
    def update(self, row_id: int, **values: Any) -> None: ...


#: sender(job_id, body, idempotency_key) -> the service's answer; raises SubmitError.
Sender = Callable[[int, Mapping[str, Any], str], dict[str, Any]]


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission on one attempt."""

    job_id: int
    state: str  # sent | pending | rejected
    message: str = ""
    response: dict[str, Any] | None = None


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failures: 1, 2, 4 … capped at 300, ±20 % jitter."""
    base = min(300.0, 2.0 ** max(0, attempts - 1))
    return base * (0.8 + 0.4 * (rng or random).random())


class Outbox:
    """Queue and deliver submissions; ``run_once`` is what the background loop calls."""

    def __init__(
        self,
        repository: OutboxRepository,
        sender: Sender,
        clock: Callable[[], float] = time.time,
        on_outcome: Callable[[Outcome], None] = lambda _o: None,
    ) -> None:
        self._repository = repository
        self._sender = sender
        self._clock = clock
        self._on_outcome = on_outcome
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._send_lock = threading.Lock()

    def enqueue(self, job_id: int, body: Mapping[str, Any]) -> str:
        """Store a submission durably (StoreError if the disk refuses); returns its key."""
        key = str(uuid.uuid4())
        self._repository.add(job_id, key, dict(body), self._clock())
        self._wake.set()
        return key

    def pending(self) -> list[Any]:
        """Submissions not yet confirmed."""
        return self._repository.by_state("pending")

    def retry_now(self) -> None:
        """Make every pending submission due at once (the user pressed "Send now")."""
        for entry in self.pending():
            self._repository.update(entry.id, next_attempt_at=self._clock())
        self._wake.set()

    def run_once(self) -> list[Outcome]:
        """Try every due submission once; returns what happened."""
        outcomes = []
        with self._send_lock:
            for entry in self._repository.due(self._clock()):
                outcomes.append(self._attempt(entry))
        for outcome in outcomes:
            self._on_outcome(outcome)
        return outcomes

    def _attempt(self, entry: Entry) -> Outcome:
        try:
            response = self._sender(entry.job_id, entry.body, entry.idempotency_key)
        except SubmitError as exc:
            attempts = entry.attempts + 1
            if exc.retryable:
                self._repository.update(
                    entry.id,
                    attempts=attempts,
                    last_error=exc.message,
                    next_attempt_at=self._clock() + backoff(attempts),
                )
                return Outcome(entry.job_id, "pending", exc.message)
            self._repository.update(
                entry.id, attempts=attempts, last_error=exc.message, state="rejected"
            )
            return Outcome(entry.job_id, "rejected", exc.message)
        self._repository.update(
            entry.id, attempts=entry.attempts + 1, state="sent", response=response, last_error=""
        )
        return Outcome(entry.job_id, "sent", response=response)

    # -- the background loop -----------------------------------------------------------------

    def start(self, interval_s: float = 1.0) -> None:
        """Deliver in the background: every ``interval_s``, and at once after enqueue."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.run_once()
                except Exception:  # a broken attempt must not end delivery for good
                    log.exception("outbox delivery failed; retrying")
                self._wake.wait(interval_s)
                self._wake.clear()

        self._thread = threading.Thread(target=loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the background loop (pending submissions stay on disk for next time)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
