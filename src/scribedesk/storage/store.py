"""The local store: one SQLite file in the user data dir, every write durable (fsync).

Drafts are saved keystroke by keystroke (through the autosaver) and must survive a
crash or a kill -9; the outbox holds submissions until the service confirms them.
WAL mode with synchronous=FULL: a commit is on disk when it returns. The schema is
versioned (storage.migrations): a store written by an older release is upgraded on open.

The store is the standard library's sqlite3, not SQLAlchemy as the service's. It has three
tables and a handful of fixed statements, and it is opened on the way to the first
worklist. Importing SQLAlchemy alone took a third of a second of the window's start and
about 20 MB of its memory (docs/performance.md). The tables are the ones SQLAlchemy wrote
before (tests/storage/test_migrations.py opens a store of that release).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Job, job_from_record
from scribedesk.domain.transcript import Draft
from scribedesk.storage.migrations import migrate


class StoreError(Failure):
    """The local store cannot be written (disk full, read-only); the message says so."""

    def __init__(self, message: str) -> None:
        super().__init__(message, FailureKind.DISK)


class Store:
    """The open store: one connection, shared by the window's threads one at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000"):
            self._connection.execute(f"PRAGMA {pragma}")
        migrate(self._connection)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads."""
        with self._lock:
            yield self._connection

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The connection in a transaction, committed (durably) when the block ends."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def dispose(self) -> None:
        """Close the file (the store is not used afterwards)."""
        with self._lock:
            self._connection.close()


def open_store(path: Path) -> Store:
    """The store at ``path`` (creating the file and its tables when new, upgrading an older
    one)."""
    return Store(path)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _unjson(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "full" in text.lower():
        return "the disk is full. Free some space; your text is kept in memory meanwhile."
    return f"{text}. Your text is kept in memory meanwhile."


@dataclass
class _UserStore:
    """Rows of one user on one service in the local store."""

    store: Store
    server: str
    username: str


class DraftRepository(_UserStore):
    """Drafts of one user on one service."""

    def save(self, draft: Draft) -> None:
        """Write the draft durably; StoreError when the disk refuses."""
        data = {
            "template_id": draft.template_id,
            "fields": draft.fields,
            "narrative": draft.narrative,
            "cursor": draft.cursor,
            "note_to_supervisor": draft.note_to_supervisor,
            "heard": draft.heard,
            "position_ms": draft.position_ms,
            "time_spent_s": draft.time_spent_s,
            "revision": draft.revision,
        }
        try:
            with self.store.writing() as db:
                db.execute(
                    "INSERT INTO draft (server, username, job_id, data, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (server, username, job_id) "
                    "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                    (self.server, self.username, draft.job_id, _json(data), time.time()),
                )
        except sqlite3.Error as exc:  # disk full, I/O error, read-only
            raise StoreError(f"The draft could not be saved to disk: {_reason(exc)}") from None

    def _row(self, job_id: int) -> tuple[str, float] | None:
        with self.store.reading() as db:
            row = db.execute(
                "SELECT data, updated_at FROM draft "
                "WHERE server = ? AND username = ? AND job_id = ?",
                (self.server, self.username, job_id),
            ).fetchone()
        return None if row is None else (row[0], float(row[1]))

    def load(self, job_id: int) -> Draft | None:
        """The saved draft of ``job_id``, or None."""
        row = self._row(job_id)
        if row is None:
            return None
        data = _unjson(row[0])
        return Draft(
            job_id=job_id,
            template_id=data.get("template_id", ""),
            fields=data.get("fields", {}),
            narrative=data.get("narrative", ""),
            cursor=int(data.get("cursor", 0)),
            note_to_supervisor=data.get("note_to_supervisor", ""),
            heard=[(int(a), int(b)) for a, b in data.get("heard", [])],
            position_ms=int(data.get("position_ms", 0)),
            time_spent_s=int(data.get("time_spent_s", 0)),
            revision=int(data.get("revision", 0)),
        )

    def saved_at(self, job_id: int) -> float | None:
        """When the draft was last written (epoch seconds)."""
        row = self._row(job_id)
        return None if row is None else row[1]

    def delete(self, job_id: int) -> None:
        """Forget a draft (after the service confirmed its submission); StoreError when the
        disk refuses."""
        try:
            with self.store.writing() as db:
                db.execute(
                    "DELETE FROM draft WHERE server = ? AND username = ? AND job_id = ?",
                    (self.server, self.username, job_id),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The draft could not be removed from disk: {_reason(exc)}") from None


@dataclass
class OutboxEntry:
    """A submission waiting for (or confirmed by) the service."""

    id: int
    server: str
    username: str
    job_id: int
    idempotency_key: str
    body: dict[str, Any]
    #: pending | sign_in | sent | conflict | rejected | dismissed (services.outbox)
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str
    response: dict[str, Any] | None
    created_at: float


_COLUMNS = tuple(each.name for each in fields(OutboxEntry))
_JSON_COLUMNS = {"body", "response"}


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    values = dict(zip(_COLUMNS, row, strict=True))
    for name in _JSON_COLUMNS:
        values[name] = _unjson(values[name])
    return OutboxEntry(**values)


class OutboxRepository(_UserStore):
    """Submissions of one user on one service, kept until the service confirms them."""

    def add(self, job_id: int, key: str, body: dict[str, Any], now: float) -> OutboxEntry:
        """Store a new pending submission durably; StoreError when the disk refuses."""
        entry = OutboxEntry(
            0, self.server, self.username, job_id, key, body, "pending", 0, now, "", None, now
        )
        names = _COLUMNS[1:]
        try:
            with self.store.writing() as db:
                cursor = db.execute(
                    f"INSERT INTO outbox ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' * len(names))})",
                    [self._value(name, getattr(entry, name)) for name in names],
                )
        except sqlite3.Error as exc:
            raise StoreError(
                f"The submission could not be queued on disk: {_reason(exc)}"
            ) from None
        entry.id = int(cursor.lastrowid or 0)
        return entry

    @staticmethod
    def _value(name: str, value: Any) -> Any:
        return _json(value) if name in _JSON_COLUMNS else value

    def due(self, now: float) -> list[OutboxEntry]:
        """Pending submissions whose next attempt is due, oldest first."""
        return self._entries("state = 'pending' AND next_attempt_at <= ?", now)

    def by_state(self, *states: str) -> list[OutboxEntry]:
        """Every submission in one of ``states`` (see services.outbox), oldest first."""
        return self._entries(f"state IN ({', '.join('?' * len(states))})", *states)

    def _entries(self, condition: str, *values: Any) -> list[OutboxEntry]:
        with self.store.reading() as db:
            rows = db.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM outbox "
                f"WHERE server = ? AND username = ? AND {condition} ORDER BY id",
                (self.server, self.username, *values),
            ).fetchall()
        return [_entry(row) for row in rows]

    def update(self, row_id: int, **values: Any) -> None:
        """Record the outcome of an attempt; StoreError when the disk refuses."""
        unknown = set(values) - set(_COLUMNS[1:])
        if unknown:
            raise ValueError(f"Not a column of the outbox: {', '.join(sorted(unknown))}")
        if not values:
            return
        try:
            with self.store.writing() as db:
                assignments = ", ".join(f"{name} = ?" for name in values)
                db.execute(
                    f"UPDATE outbox SET {assignments} WHERE id = ?",
                    [*(self._value(name, value) for name, value in values.items()), row_id],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The outbox could not be updated on disk: {_reason(exc)}") from None

    def make_due(self, now: float, states: tuple[str, ...] = ("pending",)) -> None:
        """Every submission in ``states`` becomes pending and due at ``now``."""
        try:
            with self.store.writing() as db:
                db.execute(
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ? "
                    "WHERE server = ? AND username = ? "
                    f"AND state IN ({', '.join('?' * len(states))})",
                    (now, self.server, self.username, *states),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The outbox could not be updated on disk: {_reason(exc)}") from None


class WorklistCache(_UserStore):
    """The user's last worklist, so the next start shows it before the service answers."""

    def save(self, jobs: list[Job]) -> None:
        """Keep ``jobs``; StoreError when the disk refuses."""
        records = [job.to_record() for job in jobs]
        try:
            with self.store.writing() as db:
                db.execute(
                    "INSERT INTO worklist (server, username, jobs, saved_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (server, username) "
                    "DO UPDATE SET jobs = excluded.jobs, saved_at = excluded.saved_at",
                    (self.server, self.username, _json(records), time.time()),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The worklist could not be kept on disk: {_reason(exc)}") from None

    def load(self) -> list[Job]:
        """The last saved worklist (empty when there is none; a row this release cannot
        read is left out)."""
        with self.store.reading() as db:
            row = db.execute(
                "SELECT jobs FROM worklist WHERE server = ? AND username = ?",
                (self.server, self.username),
            ).fetchone()
        jobs = []
        for record in [] if row is None else _unjson(row[0]) or []:
            try:
                jobs.append(job_from_record(record))
            except (KeyError, TypeError, ValueError):
                continue
        return jobs
