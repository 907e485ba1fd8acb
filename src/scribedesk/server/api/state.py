"""What every request handler shares: settings, database, audio store, templates, clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scribedesk.domain.templates import Template
from scribedesk.server.audio_store import AudioStore
from scribedesk.server.db.engine import session_factory
from scribedesk.server.errors import Invalid
from scribedesk.server.security import ThrottlePolicy
from scribedesk.server.settings import ServerSettings


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

    def __post_init__(self) -> None:
        self._write: sessionmaker[Session] = session_factory(self.engine)
        self._read: sessionmaker[Session] = session_factory(self.engine, readonly=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction."""
        with self._read() as session, session.begin():
            yield session

    def template(self, template_id: str) -> Template:
        """A template by id, or Invalid naming the known ones."""
        try:
            return self.templates[template_id]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            raise Invalid(f"Unknown template {template_id!r}. Known templates: {known}.") from None


def get_state(request: Request) -> AppState:
    """FastAPI dependency: the app's state."""
    state: AppState = request.app.state.scribedesk
    return state
