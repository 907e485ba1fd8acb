"""What every request handler shares: settings, database, audio store, templates, clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scribedesk.domain.templates import Template
from scribedesk.server.audio_store import AudioInfo, AudioStore
from scribedesk.server.db.engine import session_factory
from scribedesk.server.db.models import Audio
from scribedesk.server.errors import Invalid, NotFound
from scribedesk.server.security import ThrottlePolicy
from scribedesk.server.settings import ServerSettings
from scribedesk.server.users import names

T = TypeVar("T")


@dataclass(frozen=True)
class AudioFacts(AudioInfo):
    """What the API shows of a stored audio file: plain values, safe to keep across
    sessions (an ORM object kept there would be expired by the next rollback)."""

    original_name: str = ""

    @classmethod
    def of(cls, row: Audio) -> AudioFacts:
        return cls(
            **{name: getattr(row, name) for name in AudioInfo.__dataclass_fields__},
            original_name=row.original_name,
        )


def utc_now() -> datetime:
    """The service clock."""
    return datetime.now(UTC)


@dataclass
class AppState:
    """Long-lived objects built once by create_app."""

    settings: ServerSettings
    engine: Engine
    store: AudioStore
    templates: dict[str, Template]
    clock: Callable[[], datetime] = utc_now
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    #: Where final transcripts go, by name (server.webhook.WebhookDestination, …).
    destinations: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._write: sessionmaker[Session] = session_factory(self.engine)
        self._read: sessionmaker[Session] = session_factory(self.engine, readonly=True)
        # SQLite admits one writer at a time. Queue this process's writers on a lock
        # instead of letting them poll SQLite's busy handler, which sleeps up to 100 ms
        # between tries and turns contention into long tail latency.
        self._audio: dict[str, AudioFacts] = {}
        self._usernames: dict[int, str] = {}
        self._derived: dict[str, tuple[float, Any]] = {}
        self._derived_lock = threading.Lock()
        self._write_gate: AbstractContextManager[object] = (
            threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write_gate, self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction."""
        with self._read() as session, session.begin():
            yield session

    def audio(self, session: Session, sha256: str) -> AudioFacts:
        """An audio file's facts; cached, since stored audio never changes."""
        found = self._audio.get(sha256)
        if found is None:
            row = session.get(Audio, sha256)
            if row is None:
                raise NotFound(f"Audio {sha256} is not in the store.")
            found = self._audio[sha256] = AudioFacts.of(row)
        return found

    def usernames(self, session: Session, ids: list[int | None]) -> dict[int, str]:
        """User names by id; cached, since a user name never changes."""
        missing = [i for i in ids if i is not None and i not in self._usernames]
        if missing:
            self._usernames.update(names(session, missing))
        return {i: self._usernames[i] for i in ids if i is not None and i in self._usernames}

    def derived(self, key: str, max_age_s: float, compute: Callable[[], T]) -> T:
        """``compute()``'s value, kept and recomputed once it is older than ``max_age_s``
        (for data derived from many rows that need not be exact to the second)."""
        now = self.clock().timestamp()
        with self._derived_lock:
            made = self._derived.get(key)
            if made is None or now - made[0] > max_age_s:
                made = self._derived[key] = (now, compute())
            return cast(T, made[1])

    def template(self, template_id: str) -> Template:
        """A template by id, or Invalid naming the known ones."""
        try:
            return self.templates[template_id]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            raise Invalid(f"Unknown template {template_id!r}. Known templates: {known}.") from None


async def get_state(request: Request) -> AppState:
    """FastAPI dependency: the app's state (async: it does not block, so FastAPI runs it on
    the event loop instead of sending it to a worker thread and back)."""
    state: AppState = request.app.state.scribedesk
    return state
