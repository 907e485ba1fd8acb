"""The local store: one SQLite file in the user data dir, every write durable (fsync).

Drafts are saved keystroke by keystroke (through the autosaver) and must survive a
crash or a kill -9; the outbox holds submissions until the service confirms them.
WAL mode with synchronous=FULL: a commit is on disk when it returns. The schema is
versioned (storage.migrations): a store written by an older release is upgraded on open.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Engine,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Job, job_from_record
from scribedesk.domain.transcript import Draft
from scribedesk.storage.migrations import migrate


class StoreError(Failure):
    """The local store cannot be written (disk full, read-only); the message says so."""

    def __init__(self, message: str) -> None:
        super().__init__(message, FailureKind.DISK)


class Base(DeclarativeBase):
    """Tables of the local store."""


class DraftRow(Base):
    """The latest draft of one job for one user on one service."""

    __tablename__ = "draft"

    server: Mapped[str] = mapped_column(String(500), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    job_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[float] = mapped_column(Float)


class OutboxRow(Base):
    """A submission waiting for (or confirmed by) the service."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: pending | sign_in | sent | conflict | rejected | dismissed (services.outbox)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    last_error: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        Index("ix_outbox_due", "server", "username", "state", "next_attempt_at"),
    )


class WorklistRow(Base):
    """The last worklist the service sent, shown at once on the next start."""

    __tablename__ = "worklist"

    server: Mapped[str] = mapped_column(String(500), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    jobs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    saved_at: Mapped[float] = mapped_column(Float)


def open_store(path: Path) -> Engine:
    """The store's engine (creating the file and its tables when new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA busy_timeout=10000",
        ):
            cursor.execute(pragma)
        cursor.close()

    migrate(engine, Base.metadata.create_all)
    return engine


@dataclass
class _UserStore:
    """Rows of one user on one service in the local store."""

    engine: Engine
    server: str
    username: str

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)


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
            with self._sessions() as session, session.begin():
                session.merge(
                    DraftRow(
                        server=self.server,
                        username=self.username,
                        job_id=draft.job_id,
                        data=data,
                        updated_at=time.time(),
                    )
                )
        except Exception as exc:  # sqlite3.OperationalError: disk full, I/O error, read-only
            raise StoreError(f"The draft could not be saved to disk: {_reason(exc)}") from None

    def load(self, job_id: int) -> Draft | None:
        """The saved draft of ``job_id``, or None."""
        with self._sessions() as session:
            row = session.get(DraftRow, (self.server, self.username, job_id))
        if row is None:
            return None
        data = row.data
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
        with self._sessions() as session:
            row = session.get(DraftRow, (self.server, self.username, job_id))
        return None if row is None else row.updated_at

    def delete(self, job_id: int) -> None:
        """Forget a draft (after the service confirmed its submission); StoreError when the
        disk refuses."""
        try:
            with self._sessions() as session, session.begin():
                session.execute(
                    delete(DraftRow).where(
                        DraftRow.server == self.server,
                        DraftRow.username == self.username,
                        DraftRow.job_id == job_id,
                    )
                )
        except Exception as exc:
            raise StoreError(f"The draft could not be removed from disk: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc))
    if "full" in text.lower():
        return "the disk is full. Free some space; your text is kept in memory meanwhile."
    return f"{text}. Your text is kept in memory meanwhile."


class OutboxRepository(_UserStore):
    """Submissions of one user on one service, kept until the service confirms them."""

    def add(self, job_id: int, key: str, body: dict[str, Any], now: float) -> OutboxRow:
        """Store a new pending submission durably; StoreError when the disk refuses."""
        row = OutboxRow(
            server=self.server,
            username=self.username,
            job_id=job_id,
            idempotency_key=key,
            body=body,
            state="pending",
            attempts=0,
            next_attempt_at=now,
            last_error="",
            response=None,
            created_at=now,
        )
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
        except Exception as exc:
            raise StoreError(
                f"The submission could not be queued on disk: {_reason(exc)}"
            ) from None
        return row

    def due(self, now: float) -> list[OutboxRow]:
        """Pending submissions whose next attempt is due, oldest first."""
        return self._rows(OutboxRow.state == "pending", OutboxRow.next_attempt_at <= now)

    def by_state(self, *states: str) -> list[OutboxRow]:
        """Every submission in one of ``states`` (see services.outbox), oldest first."""
        return self._rows(OutboxRow.state.in_(states))

    def _rows(self, *conditions: Any) -> list[OutboxRow]:
        with self._sessions() as session:
            query = select(OutboxRow).where(
                OutboxRow.server == self.server,
                OutboxRow.username == self.username,
                *conditions,
            )
            return list(session.scalars(query.order_by(OutboxRow.id)))

    def update(self, row_id: int, **values: Any) -> None:
        """Record the outcome of an attempt; StoreError when the disk refuses."""
        try:
            with self._sessions() as session, session.begin():
                row = session.get(OutboxRow, row_id)
                if row is not None:
                    for key, value in values.items():
                        setattr(row, key, value)
        except Exception as exc:
            raise StoreError(f"The outbox could not be updated on disk: {_reason(exc)}") from None

    def make_due(self, now: float, states: tuple[str, ...] = ("pending",)) -> None:
        """Every submission in ``states`` becomes pending and due at ``now``."""
        try:
            with self._sessions() as session, session.begin():
                session.execute(
                    update(OutboxRow)
                    .where(
                        OutboxRow.server == self.server,
                        OutboxRow.username == self.username,
                        OutboxRow.state.in_(states),
                    )
                    .values(state="pending", next_attempt_at=now)
                )
        except Exception as exc:
            raise StoreError(f"The outbox could not be updated on disk: {_reason(exc)}") from None


class WorklistCache(_UserStore):
    """The user's last worklist, so the next start shows it before the service answers."""

    def save(self, jobs: list[Job]) -> None:
        """Keep ``jobs``; StoreError when the disk refuses."""
        records = [job.to_record() for job in jobs]
        try:
            with self._sessions() as session, session.begin():
                session.merge(
                    WorklistRow(
                        server=self.server,
                        username=self.username,
                        jobs=records,
                        saved_at=time.time(),
                    )
                )
        except Exception as exc:
            raise StoreError(f"The worklist could not be kept on disk: {_reason(exc)}") from None

    def load(self) -> list[Job]:
        """The last saved worklist (empty when there is none; a row this release cannot
        read is left out)."""
        with self._sessions() as session:
            row = session.get(WorklistRow, (self.server, self.username))
        jobs = []
        for record in [] if row is None else row.jobs:
            try:
                jobs.append(job_from_record(record))
            except (KeyError, TypeError, ValueError):
                continue
        return jobs
