"""The outbox: a submission is stored on disk first, then sent until the service confirms it.

Each submission gets its Idempotency-Key when it enters the outbox and keeps it for every
retry, so the service stores it exactly once however often the network fails. Each
entry is sent on its own worker (one slow attempt holds no other back) and retried with
a backoff capped at 30 s; when the service answers again after being unreachable (a
cheap health probe tells), or any submission gets through, every waiting entry is tried
at once.

What the service answers decides the entry's state:
- ``pending``: waiting to be (re)sent, the reason in ``last_error``;
- ``sign_in``: the sign-in expired; sent again as soon as the user signs in (``signed_in``);
- ``sent``: confirmed (its draft may go);
- ``conflict``: the job went to someone else before it arrived; the service kept the
  text as a version for a supervisor, the draft stays too;
- ``rejected``: refused for its content; the draft stays so it can be fixed and resent;
- ``dismissed``: a conflict or rejection the user has read (or resubmitted).

If the disk refuses to record "sent" (full), the confirmation is kept in memory, the
entry is never re-sent by this process, recording is retried, and the user is told the
transcript arrived. Entries never leave the disk unconfirmed: a restart picks them up.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Receipt

log = logging.getLogger(__name__)

#: Longest wait between two attempts of one entry (seconds).
MAX_BACKOFF_S = 30.0
#: After a success, backed-off entries are made due at most this often (seconds).
KICK_EVERY_S = 2.0
WAITING = ("pending", "sign_in")
ATTENTION = ("conflict", "rejected")


class Entry(Protocol):
    """An outbox row as the outbox needs it (storage.store.OutboxEntry)."""

    id: int
    job_id: int
    idempotency_key: str
    body: dict[str, Any]
    attempts: int
    state: str
    last_error: str
    next_attempt_at: float


class OutboxRepository(Protocol):
    """Where submissions wait (storage.store.OutboxRepository); writes raise a DISK Failure."""

    def add(self, job_id: int, key: str, body: dict[str, Any], now: float) -> Any: ...
    def due(self, now: float) -> list[Any]: ...
    def by_state(self, *states: str) -> list[Any]: ...
    def update(self, row_id: int, **values: Any) -> None: ...
    def make_due(self, now: float, states: tuple[str, ...] = ...) -> None: ...


#: sender(job_id, body, idempotency_key) -> the service's receipt; raises Failure.
Sender = Callable[[int, Mapping[str, Any], str], Receipt]


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission on one attempt (``state`` as the entry's)."""

    job_id: int
    state: str
    message: str = ""
    receipt: Receipt | None = None


def counted(n: int, noun: str) -> str:
    """ "1 submission", "2 submissions"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failures: 1, 2, 4, 8, 16, then 30, with ±20 %
    jitter, never more than MAX_BACKOFF_S."""
    base = min(MAX_BACKOFF_S, 2.0 ** max(0, attempts - 1))
    return min(MAX_BACKOFF_S, base * (0.8 + 0.4 * (rng or random).random()))


class Outbox:
    """Queue and deliver submissions: ``run_once`` tries every due entry (each on its own
    worker) and waits for them; ``start`` does the same in the background."""

    def __init__(
        self,
        repository: OutboxRepository,
        sender: Sender,
        clock: Callable[[], float] = time.time,
        on_outcome: Callable[[Outcome], None] = lambda _o: None,
        probe: Callable[[], bool] | None = None,
        workers: int = 4,
    ) -> None:
        self._repository = repository
        self._sender = sender
        self._clock = clock
        self._on_outcome = on_outcome
        self._probe = probe
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="outbox-send")
        self._lock = threading.Lock()
        self._in_flight: set[int] = set()
        self._unrecorded: dict[int, dict[str, Any]] = {}  # sent, but the disk refused to say so
        self._unreachable = False  # the last failure was the network's: probe for the service
        self._kicked = 0.0  # when a success last made the backed-off entries due
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what the user does ---------------------------------------------------------------

    def enqueue(self, job_id: int, body: Mapping[str, Any]) -> str:
        """Store a submission durably (a DISK Failure if the disk refuses); returns its key.

        Earlier refused or conflicting entries of the same job count as read.
        """
        key = str(uuid.uuid4())
        self._repository.add(job_id, key, dict(body), self._clock())
        for older in self._repository.by_state(*ATTENTION):
            if older.job_id == job_id:
                self._repository.update(older.id, state="dismissed")
        self._wake.set()
        return key

    def waiting(self) -> list[Any]:
        """Submissions not yet confirmed (pending or waiting for a sign-in)."""
        return [e for e in self._repository.by_state(*WAITING) if e.id not in self._unrecorded]

    def attention(self) -> list[Any]:
        """Submissions the service would not take as they are (conflict or rejected)."""
        return self._repository.by_state(*ATTENTION)

    def retry_now(self) -> None:
        """Make every pending submission due at once (the user pressed "Send now")."""
        self._repository.make_due(self._clock())
        self._wake.set()

    def signed_in(self) -> None:
        """The user signed in again: everything that waited for it is sent now."""
        self._repository.make_due(self._clock(), ("sign_in",))
        self._wake.set()

    def dismiss(self, entry_id: int) -> None:
        """The user has read a conflict or a rejection; it leaves the list (the draft stays)."""
        self._repository.update(entry_id, state="dismissed")

    def describe(self, entry: Entry) -> str:
        """What is happening to ``entry`` and what will happen next, for the user."""
        if entry.id in self._unrecorded:
            return "Arrived at the service (this computer's disk could not record it yet)."
        if entry.state == "pending":
            if entry.id in self._in_flight:
                return "Sending now…"
            if not entry.attempts:
                return "Waiting to be sent."
            wait = max(0, round(entry.next_attempt_at - self._clock()))
            when = "now" if wait == 0 else f"in {wait} s"
            return f"{entry.last_error} Trying again {when} (attempt {entry.attempts + 1})."
        if entry.state == "sign_in":
            return f"{entry.last_error} It is sent as soon as you sign in again; nothing is lost."
        if entry.state == "conflict":
            return f"Needs attention: {entry.last_error}"
        if entry.state == "rejected":
            return (
                f"Refused: {entry.last_error} Your draft is kept: open the job, fix it and "
                "submit again."
            )
        return entry.state

    def status_line(self) -> tuple[str, bool]:
        """One line for the status bar, and whether something needs the user (reads disk:
        call it off the GUI thread). Empty when everything arrived."""
        waiting, attention = self.waiting(), self.attention()
        parts = []
        signing = [e for e in waiting if e.state == "sign_in"]
        sending = [e for e in waiting if e.state == "pending"]
        if sending:
            failed = [e for e in sending if e.attempts and e.last_error]
            why = f": {failed[-1].last_error}" if failed else ""
            parts.append(f"{counted(len(sending), 'submission')} waiting to be sent{why}")
        if signing:
            parts.append(f"sign in again to send {counted(len(signing), 'submission')}")
        if attention:
            verb = "needs" if len(attention) == 1 else "need"
            parts.append(f"{counted(len(attention), 'submission')} {verb} attention (Ctrl+Shift+O)")
        text = "; ".join(parts)
        return (text[:1].upper() + text[1:], bool(signing or attention))

    # -- delivery -----------------------------------------------------------------------------

    def run_once(self) -> list[Outcome]:
        """Try every due submission once, all at the same time; returns what happened."""
        return [future.result() for future in self._dispatch()]

    def _dispatch(self) -> list[Future[Outcome]]:
        """Start an attempt for every due entry not already being sent (non-blocking)."""
        self._record_unrecorded()
        with self._lock:
            due = [
                e
                for e in self._repository.due(self._clock())
                if e.id not in self._in_flight and e.id not in self._unrecorded
            ]
            self._in_flight.update(e.id for e in due)
        return [self._pool.submit(self._attempt_and_report, entry) for entry in due]

    def _attempt_and_report(self, entry: Entry) -> Outcome:
        try:
            outcome = self._attempt(entry)
        except Exception as exc:  # a broken attempt (disk, bug) must not end delivery
            log.exception("outbox attempt failed")
            outcome = Outcome(entry.job_id, "pending", f"Could not send: {exc}")
        finally:
            with self._lock:
                self._in_flight.discard(entry.id)
        self._on_outcome(outcome)
        return outcome

    def _attempt(self, entry: Entry) -> Outcome:
        try:
            receipt = self._sender(entry.job_id, entry.body, entry.idempotency_key)
        except Failure as failure:
            return self._failed(entry, failure)
        try:
            self._repository.update(
                entry.id,
                attempts=entry.attempts + 1,
                state="sent",
                response=receipt.to_record(),
                last_error="",
            )
        except Failure as failure:  # the disk is full: never send it again from here
            with self._lock:
                self._unrecorded[entry.id] = receipt.to_record()
            return Outcome(
                entry.job_id,
                "sent",
                f"It arrived, but this computer could not record that: {failure.message}",
                receipt,
            )
        self._answered(success=True)
        return Outcome(entry.job_id, "sent", receipt=receipt)

    def _failed(self, entry: Entry, failure: Failure) -> Outcome:
        attempts = entry.attempts + 1
        if failure.retryable:
            if failure.kind is FailureKind.NETWORK:
                self._unreachable = True
            else:  # the service answered, if only with an error
                self._answered()
            self._repository.update(
                entry.id,
                attempts=attempts,
                last_error=failure.message,
                next_attempt_at=self._clock() + backoff(attempts),
            )
            return Outcome(entry.job_id, "pending", failure.message)
        self._answered()
        state = {FailureKind.SIGN_IN: "sign_in", FailureKind.CONFLICT: "conflict"}.get(
            failure.kind, "rejected"
        )
        # The service's 401 sentence is written for programs; say what it means.
        message = "Your sign-in expired." if state == "sign_in" else failure.message
        self._repository.update(entry.id, attempts=attempts, last_error=message, state=state)
        return Outcome(entry.job_id, state, message)

    def _answered(self, success: bool = False) -> None:
        """The service answered. If it had been unreachable, or this was a success (the way
        to it works again), nothing waits out a backoff; after a success at most every
        KICK_EVERY_S, so a flaky gateway does not turn into a retry storm."""
        kick = self._unreachable or (success and time.monotonic() - self._kicked >= KICK_EVERY_S)
        self._unreachable = False
        if not kick:
            return
        self._kicked = time.monotonic()
        try:
            self.retry_now()
        except Failure as failure:  # the disk refuses: the entries keep their own schedule
            log.warning("%s", failure.message)

    def _record_unrecorded(self) -> None:
        with self._lock:
            unrecorded = dict(self._unrecorded)
        for row_id, response in unrecorded.items():
            try:
                self._repository.update(row_id, state="sent", response=response, last_error="")
            except Failure:
                return  # still full; try again on the next round
            with self._lock:
                self._unrecorded.pop(row_id, None)

    # -- the background loop -----------------------------------------------------------------

    def start(self, interval_s: float = 1.0, probe_every_s: float = 2.0) -> None:
        """Deliver in the background: every ``interval_s``, at once after enqueue, and at
        once when the probe finds the service back after an outage."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            probed = 0.0
            while not self._stop.is_set():
                try:
                    self._dispatch()
                    now = time.monotonic()
                    if self._unreachable and self._probe and now - probed >= probe_every_s:
                        probed = now
                        if self._probe():
                            self._answered()
                            continue
                except Exception:  # a broken round must not end delivery for good
                    log.exception("outbox delivery failed; retrying")
                self._wake.wait(interval_s)
                self._wake.clear()

        self._thread = threading.Thread(target=loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the background loop (unconfirmed submissions stay on disk for next time)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._pool.shutdown(wait=False, cancel_futures=True)
