"""Sampled review: the queue, the reviewer's lease, completion, feedback and disputes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import Status
from scribedesk.domain.templates import Template
from scribedesk.server import delivery, reviews
from scribedesk.server.api.deps import CurrentUser, Overseer, StateDep, Typist
from scribedesk.server.api.review_schemas import (
    DecideIn,
    DisputeIn,
    ReviewComplete,
    ReviewDetail,
    ReviewErrorOut,
    ReviewOut,
    TranscriptOut,
)
from scribedesk.server.api.schemas import HeartbeatIn, Id
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Dictation, Review, TranscriptVersion, User
from scribedesk.server.errors import Forbidden, NotFound
from scribedesk.server.review_scoring import ErrorIn
from scribedesk.server.transcripts import TranscriptContent

router = APIRouter(prefix="/reviews", tags=["reviews"])
ErrorIndex = Annotated[int, Path(ge=1, le=1000, description="1 for the first error")]


def review_out(state: AppState, session: Session, review: Review, user: User) -> ReviewOut:
    """A review as ``user`` may see it (the lease token only for its holder)."""
    job = session.get(Dictation, review.dictation_id)
    assert job is not None
    who = state.usernames(session, [review.reviewee_id, review.reviewer_id])
    audio = state.audio(session, job.audio_sha256)
    return ReviewOut(
        id=review.id,
        dictation_id=review.dictation_id,
        account=job.account,
        template_id=job.template_id,
        version=review.version,
        transcriptionist=who.get(review.reviewee_id, ""),
        reason_code=review.reason_code,
        reason=review.reason,
        status=review.status,  # type: ignore[arg-type]
        reviewer=who.get(review.reviewer_id) if review.reviewer_id else None,
        lease_token=review.lease_token if review.reviewer_id == user.id else None,
        lease_expires_at=review.lease_expires_at,
        corrected_version=review.corrected_version,
        feedback=review.feedback,
        errors=[ReviewErrorOut.model_validate(e) for e in review.errors],
        score=review.score,
        created_at=review.created_at,
        completed_at=review.completed_at,
        dictation_status=Status(job.status),
        audio_ms=audio.duration_ms,
        audio_working_sha256=audio.working_sha256,
        audio_working_size=audio.working_size,
    )


def _transcript(session: Session, job_id: int, number: int) -> TranscriptOut:
    version = session.scalars(
        select(TranscriptVersion).where(
            TranscriptVersion.dictation_id == job_id, TranscriptVersion.number == number
        )
    ).one()
    return TranscriptOut(
        number=version.number,
        fields=version.fields,
        narrative=version.narrative,
        markers=version.markers,
    )


def _template_of(state: AppState, session: Session, review_id: int, whose: str = "") -> Template:
    """The template of a review's dictation; NotFound when there is no such review."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"There is no review {review_id}{' ' + whose if whose else ''}.")
    job = session.get(Dictation, review.dictation_id)
    assert job is not None
    return state.template(job.template_id)


def review_detail(state: AppState, session: Session, review: Review, user: User) -> ReviewDetail:
    """A review with the submitted text and, once done, the corrected one."""
    base = review_out(state, session, review, user)
    corrected = (
        _transcript(session, review.dictation_id, review.corrected_version)
        if review.corrected_version
        else None
    )
    return ReviewDetail(
        **base.model_dump(),
        submitted=_transcript(session, review.dictation_id, review.version),
        corrected=corrected,
    )


@router.get("", summary="The review queue and past reviews (supervisors)")
def list_reviews(
    user: Overseer,
    state: StateDep,
    status: Annotated[list[reviews.ReviewStatus] | None, Query()] = None,
    disputed: Annotated[bool, Query(description="only reviews with an open dispute")] = False,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> list[ReviewOut]:
    with state.read() as session:
        query = select(Review).order_by(Review.created_at, Review.id)
        if status:
            query = query.where(Review.status.in_([s.value for s in status]))
        if disputed:  # the errors are JSON: filtered here, alike on every database
            query = query.where(Review.status == reviews.DONE)
            rows = [
                r
                for r in session.scalars(query)
                if any(e.get("status") == "disputed" for e in r.errors)
            ][:limit]
        else:
            rows = list(session.scalars(query.limit(limit)))
        return [review_out(state, session, r, user) for r in rows]


@router.get("/mine", summary="My reviewed jobs: score, differences, feedback (transcriptionists)")
def my_reviews(user: Typist, state: StateDep) -> list[ReviewOut]:
    with state.read() as session:
        rows = session.scalars(
            select(Review)
            .where(Review.reviewee_id == user.id, Review.status == reviews.DONE)
            .order_by(Review.completed_at.desc(), Review.id.desc())
        )
        return [review_out(state, session, r, user) for r in rows]


@router.post(
    "/next",
    responses={204: {"description": "No review is waiting"}},
    summary="Claim the oldest waiting review that is not your own work (supervisors)",
)
def next_review(response: Response, user: Overseer, state: StateDep) -> ReviewDetail | None:
    with state.write() as session:
        review = reviews.claim_next(session, user, state.clock(), state.settings.lease)
        if review is None:
            response.status_code = 204
            return None
        return review_detail(state, session, review, user)


@router.get("/{review_id:int}", summary="One review with the texts it compares")
def get_review(review_id: Id, user: CurrentUser, state: StateDep) -> ReviewDetail:
    with state.read() as session:
        review = session.get(Review, review_id)
        overseer = user.role in ("supervisor", "admin")
        if review is None or not (
            overseer or (review.reviewee_id == user.id and review.status == reviews.DONE)
        ):
            raise NotFound(f"There is no review {review_id} you may see.")
        return review_detail(state, session, review, user)


@router.post("/{review_id}/heartbeat", summary="Renew my lease on a review")
def heartbeat(review_id: Id, body: HeartbeatIn, user: Overseer, state: StateDep) -> ReviewOut:
    with state.write() as session:
        review = reviews.fenced_review(
            session, review_id, user, body.lease_token, state.clock(), state.settings.lease
        )
        return review_out(state, session, review, user)


@router.post(
    "/{review_id}/complete",
    summary="Store the corrected copy and the classified errors; the service scores them",
)
def complete(review_id: Id, body: ReviewComplete, user: Overseer, state: StateDep) -> ReviewDetail:
    corrected = TranscriptContent(
        fields=body.fields,
        narrative=body.narrative,
        markers=[m.model_dump() for m in body.markers],
    )
    errors = [
        ErrorIn(e.severity, e.category, e.words, e.field, e.comment, e.kind) for e in body.errors
    ]
    with state.write() as session:
        template = _template_of(state, session, review_id, "claimed by you")
        done = reviews.complete(
            session,
            review_id,
            user,
            body.lease_token,
            corrected,
            errors,
            body.feedback,
            template,
            state.clock(),
            state.settings.lease,
        )
        # Reviewed is final: the corrected version goes to every destination.
        job = session.get(Dictation, done.dictation_id)
        assert job is not None and done.corrected_version is not None
        final = session.scalars(
            select(TranscriptVersion).where(
                TranscriptVersion.dictation_id == job.id,
                TranscriptVersion.number == done.corrected_version,
            )
        ).one()
        delivery.enqueue(session, job, final, state.destinations, state.clock())
        return review_detail(state, session, done, user)


@router.post(
    "/{review_id}/errors/{index}/dispute",
    summary="Dispute one classified error of my reviewed job, within the window",
)
def dispute(
    review_id: Id, index: ErrorIndex, body: DisputeIn, user: CurrentUser, state: StateDep
) -> ReviewOut:
    if user.role != "transcriptionist":
        raise Forbidden("Only the transcriptionist whose work was reviewed may dispute it.")
    with state.write() as session:
        review = reviews.dispute(
            session,
            review_id,
            index,
            user,
            body.reason,
            state.settings.dispute_window,
            state.clock(),
        )
        return review_out(state, session, review, user)


@router.post(
    "/{review_id}/errors/{index}/decide",
    summary="Uphold or withdraw a disputed error; the score is computed again (supervisors)",
)
def decide(
    review_id: Id, index: ErrorIndex, body: DecideIn, user: Overseer, state: StateDep
) -> ReviewOut:
    with state.write() as session:
        template = _template_of(state, session, review_id)
        decided = reviews.decide(
            session,
            review_id,
            index,
            user,
            body.uphold,
            body.note,
            template,
            state.clock(),
        )
        return review_out(state, session, decided, user)
