"""The transcriptionist's side: next job, lease, heartbeat, save, submit, return."""

from __future__ import annotations

import random
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING
from scribedesk.domain.templates import Template
from scribedesk.server import (
    certification,
    delivery,
    dictations,
    dispatch,
    gate,
    quality,
    reviews,
    transcripts,
)
from scribedesk.server.api.deps import StateDep, Typist
from scribedesk.server.api.dictations import dictation_out
from scribedesk.server.api.schemas import (
    HeartbeatIn,
    Id,
    JobOut,
    LeaseRequest,
    ReturnRequest,
    SubmitOut,
    TranscriptIn,
    VersionOut,
)
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Dictation, User
from scribedesk.server.errors import Conflict, NotFound
from scribedesk.server.explain import ever_held
from scribedesk.server.gate import TRAINING
from scribedesk.server.transcripts import TranscriptContent

router = APIRouter(prefix="/jobs", tags=["jobs"])


def job_out(state: AppState, session: Session, item: Dictation) -> JobOut:
    """A job with the lease token its holder needs."""
    base = dictation_out(state, session, item)
    return JobOut(**base.model_dump(), lease_token=item.lease_token)


def template_of(state: AppState, session: Session, job_id: int, user: User) -> Template:
    """The template of a job that is or was the user's; NotFound for anyone else's.

    A job the user lost (lease expired, reassigned) is still found here, so the
    fenced write that follows can say clearly what happened (409) instead of 404.
    """
    item = session.get(Dictation, job_id)
    if item is None or not ever_held(session, item, user):
        raise NotFound(f"There is no job {job_id} assigned to you.")
    return state.template(item.template_id)


def content(body: TranscriptIn) -> TranscriptContent:
    """The transcript part of a request body."""
    return TranscriptContent(
        fields=body.fields,
        narrative=body.narrative,
        markers=[m.model_dump() for m in body.markers],
        quality_report=body.quality_report,
        quality_context=body.quality.model_dump(mode="json"),
        time_spent_s=body.time_spent_seconds,
        note_to_supervisor=body.note_to_supervisor,
    )


@router.get("", summary="My worklist: jobs assigned to me")
def my_jobs(user: Typist, state: StateDep) -> list[JobOut]:
    with state.read() as session:
        items = dictations.listing(session, user, status=sorted(WORKING), assignee_id=user.id)
        return [job_out(state, session, i) for i in items]


@router.get("/waiting", summary="How many jobs wait in the pool, by priority")
def waiting(user: Typist, state: StateDep) -> dict[str, int]:
    gate.check_production(user)  # the pool is production work
    with state.read() as session:
        return dispatch.waiting(session)


@router.post(
    "/next",
    responses={204: {"description": "No job is waiting"}},
    summary="Claim the most urgent waiting job (STAT, then priority, then due time)",
)
def next_job(response: Response, user: Typist, state: StateDep) -> JobOut | None:
    with state.write() as session:
        item = dispatch.claim_next(session, user, state.clock(), state.settings.lease)
        if item is None:
            response.status_code = 204
            return None
        return job_out(state, session, item)


@router.post(
    "/{job_id}/lease",
    summary="Take a fresh lease on a job that is mine (assigned to me, or mine and still free)",
)
def take_lease(job_id: Id, user: Typist, state: StateDep) -> JobOut:
    with state.write() as session:
        item = dispatch.take_lease(session, job_id, user, state.clock(), state.settings.lease)
        return job_out(state, session, item)


@router.post("/{job_id}/heartbeat", summary="Renew my lease")
def heartbeat(
    job_id: Id,
    body: HeartbeatIn,
    user: Typist,
    state: StateDep,
) -> JobOut:
    with state.write() as session:
        item = dispatch.heartbeat(
            session, job_id, user, body.lease_token, state.clock(), state.settings.lease
        )
        return job_out(state, session, item)


@router.post("/{job_id}/start", summary="Mark the job in progress")
def start(
    job_id: Id,
    body: LeaseRequest,
    user: Typist,
    state: StateDep,
) -> JobOut:
    with state.write() as session:
        item = dispatch.start(session, job_id, user, body.lease_token, state.clock())
        return job_out(state, session, item)


@router.post(
    "/{job_id}/versions",
    status_code=201,
    summary="Save an intermediate numbered version",
)
def save_version(
    job_id: Id,
    body: TranscriptIn,
    user: Typist,
    state: StateDep,
) -> VersionOut:
    with state.write() as session:
        template = template_of(state, session, job_id, user)
        version = transcripts.save(
            session, job_id, user, body.lease_token, content(body), template, state.clock()
        )
        return VersionOut(
            number=version.number,
            kind="save",
            user=user.username,
            fields=version.fields,
            narrative=version.narrative,
            markers=version.markers,
            quality_report=version.quality_report,
            time_spent_seconds=version.time_spent_s,
            note_to_supervisor=version.note_to_supervisor,
            created_at=version.created_at,
        )


@router.post(
    "/{job_id}/submit",
    summary="Submit the transcript exactly once (repeat with the same Idempotency-Key is safe)",
)
def submit(
    job_id: Id,
    body: TranscriptIn,
    response: Response,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=255)],
    user: Typist,
    state: StateDep,
) -> SubmitOut:
    typed = content(body)
    # Everything that can refuse cheaply, and the costly quality review, happen in a
    # read transaction: only the decision and the insert take the writer lock.
    with state.read() as session:
        template = template_of(state, session, job_id, user)
        transcripts.check_fields(typed, template)
        early: dict[str, Any] | None = None
        if transcripts.accepted_before_writing(
            session, job_id, user, body.lease_token, idempotency_key, typed
        ):
            job = session.get(Dictation, job_id)
            assert job is not None
            early = quality.review(session, state, job, template, typed)

    def review(job: Dictation) -> dict[str, Any]:
        # Accepted although the read said otherwise (the job came back meanwhile): rare,
        # so the review runs here, inside the lock, rather than refusing.
        return early if early is not None else quality.review(session, state, job, template, typed)

    def accepted(job: Dictation, version: Any) -> Any:
        # A training attempt is scored; production work is sampled for review, and what
        # is not sampled is final: its deliveries are written in this same transaction.
        if job.kind == TRAINING:
            return certification.on_training_submit(session, job, version, template, state.clock())
        sampled = reviews.sample_submission(
            session,
            job,
            version,
            template,
            state.settings.sampling,
            state.clock(),
            random.random(),
        )
        if sampled is None:
            delivery.enqueue(session, job, version, state.destinations, state.clock())
        return sampled

    try:
        with state.write() as session:
            result = transcripts.submit(
                session,
                job_id,
                user,
                body.lease_token,
                idempotency_key,
                typed,
                template,
                state.clock(),
                review=review,
                accepted=accepted,
            )
    except IntegrityError:
        # A concurrent request with the same key won; answer with its result.
        with state.read() as session:
            result = transcripts.replay_after_race(session, job_id, user, idempotency_key, typed)
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    if result.conflict:
        # Stored as a conflict version (nothing is lost); the supervisor decides.
        raise Conflict(
            f"{result.conflict} Your transcript was kept on the service as version "
            f"{result.response['version']} for a supervisor to resolve.",
            code="submission_conflict",
            extra={"version": result.response["version"], "reason": result.conflict_code},
            headers={"Idempotent-Replayed": "true"} if result.replayed else None,
        )
    return SubmitOut.model_validate(result.response)


@router.post("/{job_id}/return", summary="Hand the job back undone, with a reason")
def return_job(
    job_id: Id,
    body: ReturnRequest,
    user: Typist,
    state: StateDep,
) -> JobOut:
    with state.write() as session:
        item = dispatch.return_job(
            session, job_id, user, body.lease_token, body.reason, body.note, state.clock()
        )
        return job_out(state, session, item)
