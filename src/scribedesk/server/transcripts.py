"""Transcript versions: numbered saves and the exactly-once submission."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import Status
from scribedesk.domain.templates import Template
from scribedesk.server.db.models import Dictation, Submission, TranscriptVersion, User
from scribedesk.server.dispatch import audit, fenced
from scribedesk.server.errors import Conflict, Invalid


@dataclass(frozen=True)
class TranscriptContent:
    """What a transcriptionist typed for one job."""

    fields: dict[str, Any] = field(default_factory=dict)
    narrative: str = ""
    markers: list[dict[str, Any]] = field(default_factory=list)
    quality_report: dict[str, Any] = field(default_factory=dict)
    quality_context: dict[str, Any] = field(default_factory=dict)
    time_spent_s: int = 0
    note_to_supervisor: str = ""

    def digest(self, job_id: int) -> str:
        """A fingerprint of the content, to tell a replay from a different submission."""
        canonical = json.dumps(
            [
                job_id,
                self.fields,
                self.narrative,
                self.markers,
                self.quality_report,
                self.quality_context,
                self.time_spent_s,
                self.note_to_supervisor,
            ],
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def check_fields(content: TranscriptContent, template: Template) -> None:
    """Invalid when the content names fields the job's template does not have."""
    unknown = sorted(set(content.fields) - set(template.field_ids))
    if unknown:
        raise Invalid(
            f"Template {template.id!r} has no field(s) {', '.join(unknown)}. "
            f"Its fields are: {', '.join(template.field_ids)}."
        )


def _add_version(
    session: Session,
    job: Dictation,
    user: User,
    kind: str,
    content: TranscriptContent,
    now: datetime,
) -> TranscriptVersion:
    number = (
        session.scalar(
            select(func.max(TranscriptVersion.number)).where(
                TranscriptVersion.dictation_id == job.id
            )
        )
        or 0
    ) + 1
    version = TranscriptVersion(
        dictation_id=job.id,
        number=number,
        kind=kind,
        user_id=user.id,
        fields=content.fields,
        narrative=content.narrative,
        markers=content.markers,
        quality_report=content.quality_report,
        time_spent_s=content.time_spent_s,
        note_to_supervisor=content.note_to_supervisor,
        created_at=now,
    )
    session.add(version)
    session.flush()
    return version


def save(
    session: Session,
    job_id: int,
    user: User,
    token: str,
    content: TranscriptContent,
    template: Template,
    now: datetime,
) -> TranscriptVersion:
    """Store a numbered intermediate version while the lease is held."""
    check_fields(content, template)
    job = fenced(session, job_id, user, token, now)
    if job.status == Status.ASSIGNED.value:
        job.status = Status.IN_PROGRESS.value
    version = _add_version(session, job, user, "save", content, now)
    audit(session, now, user, job_id, "saved", version=version.number)
    return version


@dataclass(frozen=True)
class SubmitResult:
    """The submission's answer and whether it is a replay of an earlier one."""

    response: dict[str, Any]
    replayed: bool


def _replay(existing: Submission, user: User, job_id: int, digest: str) -> SubmitResult:
    if (
        existing.user_id != user.id
        or existing.dictation_id != job_id
        or existing.request_hash != digest
    ):
        raise Invalid(
            "This Idempotency-Key was already used for a different submission. "
            "Use a new key for new content."
        )
    return SubmitResult(existing.response, replayed=True)


def submit(
    session: Session,
    job_id: int,
    user: User,
    token: str,
    key: str,
    content: TranscriptContent,
    template: Template,
    now: datetime,
    review: Callable[[Dictation], dict[str, Any]] | None = None,
) -> SubmitResult:
    """Submit exactly once per Idempotency-Key: a repeat returns the first answer, stores nothing.

    ``review`` runs the quality checks on the job (raising QualityRefused) and returns
    the report that is stored with the version.

    The caller commits; if the commit hits the key's unique constraint (a concurrent
    duplicate), it rolls back and calls ``replay_after_race``.
    """
    if not 1 <= len(key) <= 255:
        raise Invalid("The Idempotency-Key header must be 1 to 255 characters.")
    digest = content.digest(job_id)
    existing = session.get(Submission, key)
    if existing is not None:
        return _replay(existing, user, job_id, digest)
    check_fields(content, template)
    if review is not None:  # the quality checks, re-run here; QualityRefused stops it
        held = session.get(Dictation, job_id)
        if held is not None:
            content = replace(content, quality_report=review(held))
    try:
        job = fenced(
            session,
            job_id,
            user,
            token,
            now,
            status=Status.SUBMITTED.value,
            lease_token=None,
            lease_expires_at=None,
        )
    except Conflict:
        # A concurrent duplicate may have just submitted and released the lease.
        existing = session.get(Submission, key, populate_existing=True)
        if existing is not None:
            return _replay(existing, user, job_id, digest)
        raise
    version = _add_version(session, job, user, "submit", content, now)
    response = {
        "dictation_id": job_id,
        "status": Status.SUBMITTED.value,
        "version": version.number,
        "submitted_at": now.isoformat(),
    }
    session.add(
        Submission(
            idempotency_key=key,
            user_id=user.id,
            dictation_id=job_id,
            request_hash=digest,
            response=response,
            created_at=now,
        )
    )
    audit(session, now, user, job_id, "submitted", version=version.number)
    return SubmitResult(response, replayed=False)


def replay_after_race(
    session: Session, job_id: int, user: User, key: str, content: TranscriptContent
) -> SubmitResult:
    """After a unique-key collision: the winner's answer (or Conflict if there is none)."""
    existing = session.get(Submission, key)
    if existing is None:
        raise Conflict(f"Job {job_id} could not be submitted; try again.")
    return _replay(existing, user, job_id, content.digest(job_id))


def versions(session: Session, job_id: int) -> list[TranscriptVersion]:
    """All versions of a dictation's transcript, oldest first."""
    return list(
        session.scalars(
            select(TranscriptVersion)
            .where(TranscriptVersion.dictation_id == job_id)
            .order_by(TranscriptVersion.number)
        )
    )
