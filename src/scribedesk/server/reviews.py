"""Sampled review: the queue, claims under a lease, the reviewer's classified errors,
the score the service computes, and the transcriptionist's disputes.

The score is never the client's: it is computed here from the submitted version, the
corrected version and the classifications (domain.scoring, domain.weighting).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import Status, check_transition
from scribedesk.domain.sampling import Sampled, SamplingPolicy, TypistRecord, sample
from scribedesk.domain.templates import Template
from scribedesk.domain.weighting import (
    errors_to_lines,
)
from scribedesk.server.db.models import Certificate, Dictation, Review, TranscriptVersion, User
from scribedesk.server.dispatch import audit
from scribedesk.server.errors import Conflict, Forbidden, Invalid, NotFound
from scribedesk.server.gate import PRODUCTION
from scribedesk.server.review_scoring import (
    COUNTED,
    DISPUTED,
    UPHELD,
    WITHDRAWN,
    ErrorIn,
    check_classifications,
    compute_score,
    error_record,
)
from scribedesk.server.transcripts import TranscriptContent, add_version, check_fields


class ReviewStatus(StrEnum):
    """Where a review is: waiting, claimed by a reviewer, or done."""

    QUEUED = "queued"
    IN_REVIEW = "in_review"
    DONE = "done"


QUEUED, IN_REVIEW, DONE = (s.value for s in ReviewStatus)


def typist_record(session: Session, user_id: int, rolling: int) -> TypistRecord:
    """Production jobs the transcriptionist submitted since their latest certificate
    (so a newly certified one's first jobs are all reviewed), and their rolling review
    accuracy."""
    since = session.scalar(
        select(func.max(Certificate.certified_at)).where(
            Certificate.user_id == user_id, Certificate.revoked_at.is_(None)
        )
    )
    counted = (
        select(func.count(TranscriptVersion.id))
        .join(Dictation, Dictation.id == TranscriptVersion.dictation_id)
        .where(
            TranscriptVersion.user_id == user_id,
            TranscriptVersion.kind == "submit",
            Dictation.kind == PRODUCTION,
        )
    )
    if since is not None:
        counted = counted.where(TranscriptVersion.created_at >= since)
    done = session.scalar(counted)
    latest = session.scalars(
        select(Review.score)
        .where(Review.reviewee_id == user_id, Review.status == DONE)
        .order_by(Review.completed_at.desc(), Review.id.desc())
        .limit(rolling)
    ).all()
    accuracy = (
        errors_to_lines((int(s.get("lines", 1)), float(s.get("points", 0))) for s in latest)
        if latest
        else None
    )
    return TypistRecord(jobs_done=max(0, (done or 0) - 1), rolling_accuracy=accuracy)


def sample_submission(
    session: Session,
    job: Dictation,
    version: TranscriptVersion,
    template: Template,
    policy: SamplingPolicy,
    now: datetime,
    roll: float,
) -> Review | None:
    """Decide at submit time whether ``version`` is reviewed; if so it waits in the queue
    and the dictation is in review (not final) until the review is done."""
    record = typist_record(session, version.user_id, policy.rolling_reviews)
    sampled = sample(
        policy, record, version.quality_report, version.narrative, template.scoring.pass_mark, roll
    )
    if sampled is None:
        return None
    return _enqueue(session, job, version, sampled, now, actor=None)


def _enqueue(
    session: Session,
    job: Dictation,
    version: TranscriptVersion,
    sampled: Sampled,
    now: datetime,
    actor: User | None,
) -> Review:
    check_transition(Status(job.status), Status.IN_REVIEW)
    job.status = Status.IN_REVIEW
    job.updated_at = now
    review = Review(
        dictation_id=job.id,
        version=version.number,
        reviewee_id=version.user_id,
        reason_code=sampled.code,
        reason=sampled.reason,
        status=QUEUED,
        feedback="",
        errors=[],
        score={},
        created_at=now,
        updated_at=now,
    )
    session.add(review)
    session.flush()
    audit(session, now, actor, job.id, "sampled", review=review.id, reason=sampled.code)
    return review


def request_review(
    session: Session, job_id: int, supervisor: User, reason: str, now: datetime
) -> Review:
    """A supervisor sends a submitted transcript to review by hand."""
    job = session.get(Dictation, job_id, with_for_update=True)
    if job is None or job.kind != PRODUCTION:
        raise NotFound(f"There is no production dictation {job_id}.")
    status = Status(job.status)
    if status in (Status.IN_REVIEW, Status.REVIEWED):
        raise Conflict(f"Dictation {job_id} is already {status.value.replace('_', ' ')}.")
    if status is not Status.SUBMITTED:
        raise Conflict(
            f"Dictation {job_id} is {status.value.replace('_', ' ')}: only a submitted "
            "transcript can be reviewed."
        )
    version = latest_submitted(session, job_id)
    why = reason.strip() or "Sent to review by a supervisor."
    return _enqueue(session, job, version, Sampled("supervisor", why), now, actor=supervisor)


def latest_submitted(session: Session, job_id: int) -> TranscriptVersion:
    """The dictation's newest submitted version."""
    version = session.scalars(
        select(TranscriptVersion)
        .where(TranscriptVersion.dictation_id == job_id, TranscriptVersion.kind == "submit")
        .order_by(TranscriptVersion.number.desc())
        .limit(1)
    ).first()
    if version is None:
        raise Conflict(f"Dictation {job_id} has no submitted transcript.")
    return version


def claim_next(session: Session, reviewer: User, now: datetime, lease: timedelta) -> Review | None:
    """The oldest waiting review that is not the reviewer's own work, under a new lease
    (a review whose lease lapsed is waiting again); None when the queue is empty."""
    token = secrets.token_hex(16)
    pick = (
        select(Review.id)
        .where(
            Review.reviewee_id != reviewer.id,
            or_(
                Review.status == QUEUED,
                and_(Review.status == IN_REVIEW, Review.lease_expires_at < now),
            ),
        )
        .order_by(Review.created_at, Review.id)
        .limit(1)
    )
    values = {
        "status": IN_REVIEW,
        "reviewer_id": reviewer.id,
        "lease_token": token,
        "lease_expires_at": now + lease,
        "updated_at": now,
    }
    if session.get_bind().dialect.name == "postgresql":
        chosen = pick.with_for_update(skip_locked=True).cte("chosen")
        stmt = update(Review).where(Review.id == chosen.c.id).values(**values)
    else:
        stmt = update(Review).where(Review.id == pick.scalar_subquery()).values(**values)
    review = session.scalars(
        stmt.returning(Review).execution_options(synchronize_session=False, populate_existing=True)
    ).first()
    if review is not None:
        audit(session, now, reviewer, review.dictation_id, "review_claimed", review=review.id)
    return review


def fenced_review(
    session: Session, review_id: int, reviewer: User, token: str, now: datetime, lease: timedelta
) -> Review:
    """Renew the reviewer's lease, or Conflict saying why it ended (NotFound if never theirs)."""
    stmt = (
        update(Review)
        .where(
            Review.id == review_id,
            Review.reviewer_id == reviewer.id,
            Review.lease_token == token,
            Review.status == IN_REVIEW,
        )
        .values(lease_expires_at=now + lease, updated_at=now)
        .returning(Review)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    review = session.scalars(stmt).first()
    if review is not None:
        return review
    found = session.get(Review, review_id)
    if found is None or found.reviewer_id is None:
        raise NotFound(f"There is no review {review_id} claimed by you.")
    if found.status == DONE:
        raise Conflict(f"Your lease on review {review_id} has ended: the review is done.")
    raise Conflict(
        f"Your lease on review {review_id} has ended: it lapsed and the review was claimed "
        "again. Your corrections are kept on your workstation."
    )


def complete(
    session: Session,
    review_id: int,
    reviewer: User,
    token: str,
    corrected: TranscriptContent,
    errors: list[ErrorIn],
    feedback: str,
    template: Template,
    now: datetime,
    lease: timedelta,
) -> Review:
    """Store the corrected version and the classifications; the service scores them."""
    review = fenced_review(session, review_id, reviewer, token, now, lease)
    check_fields(corrected, template)
    job = session.get(Dictation, review.dictation_id, with_for_update=True)
    assert job is not None
    submitted = _version(session, review.dictation_id, review.version)
    check_classifications(errors, submitted, corrected, template)
    version = add_version(session, job, reviewer, "review", corrected, now)
    review.errors = [error_record(e) for e in errors]
    review.corrected_version = version.number
    review.feedback = feedback.strip()
    review.score = compute_score(template, submitted, version, review.errors)
    review.status = DONE
    review.lease_token = None
    review.lease_expires_at = None
    review.completed_at = review.updated_at = now
    check_transition(Status(job.status), Status.REVIEWED)
    job.status = Status.REVIEWED
    job.updated_at = now
    audit(
        session,
        now,
        reviewer,
        job.id,
        "reviewed",
        review=review.id,
        score=review.score["score"],
        passed=review.score["passed"],
    )
    return review


def _version(session: Session, job_id: int, number: int) -> TranscriptVersion:
    version = session.scalars(
        select(TranscriptVersion).where(
            TranscriptVersion.dictation_id == job_id, TranscriptVersion.number == number
        )
    ).first()
    if version is None:
        raise NotFound(f"Dictation {job_id} has no version {number}.")
    return version


def dispute(
    session: Session,
    review_id: int,
    index: int,
    user: User,
    reason: str,
    window: timedelta,
    now: datetime,
) -> Review:
    """The transcriptionist disputes one classified error of their reviewed job."""
    review = _done_review(session, review_id)
    if review.reviewee_id != user.id:
        raise Forbidden("Only the transcriptionist whose work was reviewed may dispute it.")
    assert review.completed_at is not None
    if now > review.completed_at + window:
        days = window.total_seconds() / 86400
        raise Conflict(
            f"Disputes are open for {days:g} days after a review; review {review_id} was "
            f"completed on {review.completed_at:%Y-%m-%d}."
        )
    error = _error(review, index)
    if error["status"] != COUNTED:
        raise Conflict(f"Error {index} of review {review_id} was already disputed.")
    if not reason.strip():
        raise Invalid("Say why you dispute the error.")
    errors = [dict(e) for e in review.errors]
    errors[index - 1] = {
        **error,
        "status": DISPUTED,
        "dispute": {"reason": reason.strip(), "at": now.isoformat()},
    }
    review.errors = errors
    review.updated_at = now
    audit(session, now, user, review.dictation_id, "disputed", review=review_id, error=index)
    return review


def decide(
    session: Session,
    review_id: int,
    index: int,
    supervisor: User,
    uphold: bool,
    note: str,
    template: Template,
    now: datetime,
) -> Review:
    """A supervisor upholds or withdraws a disputed error; the score is computed again."""
    review = _done_review(session, review_id)
    error = _error(review, index)
    if error["status"] != DISPUTED:
        raise Conflict(f"Error {index} of review {review_id} is not under dispute.")
    errors = [dict(e) for e in review.errors]
    dispute_record = {
        **(error.get("dispute") or {}),
        "decided_by": supervisor.username,
        "note": note.strip(),
        "decided_at": now.isoformat(),
    }
    errors[index - 1] = {
        **error,
        "status": UPHELD if uphold else WITHDRAWN,
        "dispute": dispute_record,
    }
    review.errors = errors
    submitted = _version(session, review.dictation_id, review.version)
    assert review.corrected_version is not None
    corrected = _version(session, review.dictation_id, review.corrected_version)
    review.score = compute_score(template, submitted, corrected, errors)
    review.updated_at = now
    audit(
        session,
        now,
        supervisor,
        review.dictation_id,
        "dispute_upheld" if uphold else "dispute_withdrawn",
        review=review_id,
        error=index,
        score=review.score["score"],
    )
    return review


def _done_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id, with_for_update=True)
    if review is None:
        raise NotFound(f"There is no review {review_id}.")
    if review.status != DONE:
        raise Conflict(f"Review {review_id} is not done yet.")
    return review


def _error(review: Review, index: int) -> dict[str, Any]:
    if not 1 <= index <= len(review.errors):
        raise NotFound(f"Review {review.id} has no error {index}.")
    error: dict[str, Any] = review.errors[index - 1]
    return error
