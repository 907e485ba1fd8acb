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
from scribedesk.domain.fields import shape_problem
from scribedesk.domain.templates import Template
from scribedesk.server.db.models import Dictation, Submission, TranscriptVersion, User
from scribedesk.server.dispatch import audit, fenced, hand_over
from scribedesk.server.errors import Conflict, Invalid, NotFound
from scribedesk.server.fencing import fence_submission, submission_decision


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
    """Invalid when the content names fields the job's template does not have, or a value
    is not the shape its field holds (fields.shape_problem): checked before anything is
    stored, so a version that is stored can always be read back."""
    unknown = sorted(set(content.fields) - set(template.field_ids))
    if unknown:
        named = ", ".join(repr(u[:40]) for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise Invalid(
            f"Template {template.id!r} has no field(s) {named}{more}. "
            f"Its fields are: {', '.join(template.field_ids)}."
        )
    problems = [
        problem
        for spec in template.fields
        if spec.id in content.fields
        and (problem := shape_problem(spec, content.fields[spec.id])) is not None
    ]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise Invalid(" ".join(problems[:3]) + more)


def add_version(  # the next numbered version of ``job``'s transcript
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
        job.status = Status.IN_PROGRESS
    version = add_version(session, job, user, "save", content, now)
    audit(session, now, user, job_id, "saved", version=version.number)
    return version


@dataclass(frozen=True)
class SubmitResult:
    """The submission's answer and whether it is a replay of an earlier one.

    ``conflict`` is set when the job had moved on to someone else (or was cancelled,
    returned, requeued) before the submission arrived: the text is kept as a
    ``conflict`` version for a supervisor and the caller answers 409 with this sentence.
    """

    response: dict[str, Any]
    replayed: bool
    conflict: str = ""
    conflict_code: str = ""


CONFLICT = "conflict"


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
    response = existing.response
    if response.get("status") == CONFLICT:
        return SubmitResult(
            response, True, str(response.get("detail", "")), str(response.get("code", ""))
        )
    return SubmitResult(response, replayed=True)


def accepted_before_writing(
    session: Session, job_id: int, user: User, token: str, key: str, content: TranscriptContent
) -> bool:
    """In a read transaction: whether this submission would be accepted as the job's
    transcript (not a replay, not a conflict), so that the quality review, the costly
    part, runs before the writer lock and only for submissions it can matter to."""
    if session.get(Submission, key) is not None:
        return False
    job, _refused = submission_decision(session, job_id, user, token, lock=False)
    return job is not None


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
    accepted: Callable[[Dictation, TranscriptVersion], object] | None = None,
) -> SubmitResult:
    """Submit exactly once per Idempotency-Key: a repeat returns the first answer, stores nothing.

    The lease is decided first (fencing.fence_submission). ``review`` returns the
    quality report stored with an accepted version, or raises QualityRefused; the caller
    computes it before taking the writer lock (accepted_before_writing). ``accepted`` is
    called with the job and its new version once the submission is accepted.
    A submission that arrives after the job moved on is stored as a ``conflict``
    version (its text is never lost) and answered with ``SubmitResult.conflict``.

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
    job, refused = fence_submission(session, job_id, user, token, now)
    if job is None:
        assert refused is not None
        held = session.get(Dictation, job_id)
        assert held is not None
        version = add_version(session, held, user, CONFLICT, content, now)
        response = {
            "dictation_id": job_id,
            "status": CONFLICT,
            "version": version.number,
            "submitted_at": now.isoformat(),
            "detail": refused.message,
            "code": refused.code,
        }
        _remember(session, key, user, job_id, digest, response, now)
        audit(
            session,
            now,
            user,
            job_id,
            "submission_conflict",
            version=version.number,
            reason=refused.code,
        )
        return SubmitResult(response, False, refused.message, refused.code)
    if review is not None:  # the quality checks, re-run here; QualityRefused stops it
        content = replace(content, quality_report=review(job))
    version = add_version(session, job, user, "submit", content, now)
    # Sampling for review (which may put the job in review), or a training attempt's
    # score: a dict it returns joins the answer.
    extra = accepted(job, version) if accepted is not None else None
    response = {
        "dictation_id": job_id,
        "status": Status(job.status).value,
        "version": version.number,
        "submitted_at": now.isoformat(),
        **(extra if isinstance(extra, dict) else {}),
    }
    _remember(session, key, user, job_id, digest, response, now)
    audit(session, now, user, job_id, "submitted", version=version.number)
    return SubmitResult(response, replayed=False)


def _remember(
    session: Session,
    key: str,
    user: User,
    job_id: int,
    digest: str,
    response: dict[str, Any],
    now: datetime,
) -> None:
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


def open_conflicts(session: Session) -> list[tuple[TranscriptVersion, Dictation]]:
    """Conflicting submissions no supervisor has decided on yet, oldest first."""
    rows = session.execute(
        select(TranscriptVersion, Dictation)
        .join(Dictation, Dictation.id == TranscriptVersion.dictation_id)
        .where(TranscriptVersion.kind == CONFLICT)
        .order_by(TranscriptVersion.id)
    )
    return [(version, job) for version, job in rows]


def resolve_conflict(
    session: Session,
    job_id: int,
    number: int,
    keep: bool,
    reason: str,
    supervisor: User,
    now: datetime,
) -> Dictation:
    """A supervisor's decision on conflict version ``number`` of job ``job_id``.

    Keep: the version's text becomes a new submitted version (by its writer) and the job
    is submitted; whoever holds it now loses the lease (their text stays on their
    workstation). Set aside: the version is marked dropped and the job goes on as it is.
    """
    version = session.scalars(
        select(TranscriptVersion).where(
            TranscriptVersion.dictation_id == job_id, TranscriptVersion.number == number
        )
    ).first()
    if version is None:
        raise NotFound(f"Dictation {job_id} has no version {number}.")
    if version.kind != CONFLICT:
        raise Conflict(
            f"Version {number} of dictation {job_id} is a {version.kind} version, not an open "
            "conflict."
        )
    job = session.get(Dictation, job_id, populate_existing=True, with_for_update=True)
    assert job is not None
    if not keep:
        version.kind = "conflict-dropped"
        audit(session, now, supervisor, job_id, "conflict_dropped", version=number, reason=reason)
        return job
    status = Status(job.status)
    if status in (Status.CANCELLED, Status.DELIVERED):
        raise Conflict(f"Dictation {job_id} is {status.value}; its transcript cannot change.")
    writer = session.get(User, version.user_id)
    assert writer is not None
    kept = TranscriptContent(
        fields=version.fields,
        narrative=version.narrative,
        markers=version.markers,
        quality_report=version.quality_report,
        time_spent_s=version.time_spent_s,
        note_to_supervisor=version.note_to_supervisor,
    )
    submitted = add_version(session, job, writer, "submit", kept, now)
    version.kind = "conflict-kept"
    hand_over(job, writer, Status.SUBMITTED, now, manual=False)
    audit(
        session,
        now,
        supervisor,
        job_id,
        "conflict_kept",
        version=number,
        submitted_version=submitted.number,
        reason=reason,
    )
    return job
