"""Dictations: listings, audio download with Range, supervisor moves, audit."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy import select

from scribedesk.domain.dictation import WORKING, Priority, Status
from scribedesk.server import delivery, dictations, dispatch, reviews, transcripts
from scribedesk.server.api.deps import (
    Canceller,
    CurrentUser,
    Overseer,
    StateDep,
    WorkReader,
)
from scribedesk.server.api.review_schemas import PriorityIn, ReasonIn, RequestReview, ReviewOut
from scribedesk.server.api.reviews import review_out
from scribedesk.server.api.schemas import (
    MAX_ID,
    AssignRequest,
    AuditOut,
    DictationOut,
    Id,
    ResolveConflict,
    VersionOut,
)
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Audio, AuditEvent, Dictation, User
from scribedesk.server.errors import NotFound
from scribedesk.server.transcripts import versions
from scribedesk.server.users import names

router = APIRouter(prefix="/dictations", tags=["dictations"])


class ConflictOut(BaseModel):
    dictation_id: int
    version: int
    user: str
    created_at: datetime
    status: Status
    assignee: str | None


def dictation_out(state: AppState, session: Any, item: Dictation) -> DictationOut:
    """A dictation with its audio facts and user names resolved."""
    audio = state.audio(session, item.audio_sha256)
    who = state.usernames(session, [item.author_id, item.assignee_id])
    idle = (
        Status(item.status) in WORKING
        and item.active_at is not None
        and item.active_at < state.clock() - state.settings.idle.limit(Priority(item.priority))
    )
    return DictationOut.model_validate(dictations.summary(item, audio, who, idle))


@router.get("", summary="Dictations you may see, most urgent first")
def list_dictations(
    user: CurrentUser,
    state: StateDep,
    status: Annotated[list[Status] | None, Query()] = None,
    assignee_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    idle: Annotated[bool, Query(description="only assignments idle past the team's limit")] = False,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[DictationOut]:
    with state.read() as session:
        items = dictations.listing(
            session,
            user,
            status=status,
            assignee_id=assignee_id,
            limit=limit,
            offset=offset,
            idle=(state.settings.idle, state.clock()) if idle else None,
        )
        states = delivery.summaries(session, [i.id for i in items])
        return [
            dictation_out(state, session, i).model_copy(update={"delivery": states.get(i.id, "")})
            for i in items
        ]


@router.get(
    "/conflicts",
    summary="Submissions that arrived after their job had gone to someone else (supervisors)",
)
def list_conflicts(_user: Overseer, state: StateDep) -> list[ConflictOut]:
    with state.read() as session:
        rows = transcripts.open_conflicts(session)
        who = names(session, [u for v, d in rows for u in (v.user_id, d.assignee_id)])
        return [
            ConflictOut(
                dictation_id=d.id,
                version=v.number,
                user=who.get(v.user_id, ""),
                created_at=v.created_at,
                status=Status(d.status),
                assignee=who.get(d.assignee_id) if d.assignee_id else None,
            )
            for v, d in rows
        ]


@router.post(
    "/{dictation_id}/versions/{number}/resolve",
    summary="Keep or set aside a conflicting submission (supervisors)",
)
def resolve_conflict(
    supervisor: Overseer,
    state: StateDep,
    dictation_id: Id,
    number: Id,
    body: ResolveConflict,
) -> DictationOut:
    with state.write() as session:
        item = transcripts.resolve_conflict(
            session, dictation_id, number, body.keep, body.reason, supervisor, state.clock()
        )
        return dictation_out(state, session, item)


@router.get("/{dictation_id}", summary="One dictation")
def get_dictation(dictation_id: Id, user: CurrentUser, state: StateDep) -> DictationOut:
    with state.read() as session:
        return dictation_out(state, session, dictations.get_visible(session, user, dictation_id))


def _checksum_headers(sha256_hex: str, duration_ms: int) -> dict[str, str]:
    digest = base64.b64encode(bytes.fromhex(sha256_hex)).decode()
    return {
        "ETag": f'"{sha256_hex}"',
        "Repr-Digest": f"sha-256=:{digest}:",
        "X-Content-SHA256": sha256_hex,
        "X-Audio-Duration-Ms": str(duration_ms),
        "Cache-Control": "private, max-age=31536000, immutable",
    }


_AUDIO: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/wav": {}, "application/octet-stream": {}}},
    206: {"description": "Partial content (Range)"},
    416: {"description": "The Range lies outside the file"},
}


@router.head(
    "/{dictation_id}/audio",
    responses=_AUDIO,
    response_class=FileResponse,
    summary="The audio's headers only: size, checksums, duration (for a download to resume)",
)
def head_audio(
    user: CurrentUser,
    state: StateDep,
    dictation_id: Id,
    variant: Annotated[str, Query(pattern="^(working|original)$")] = "working",
) -> FileResponse:
    return get_audio(user, state, dictation_id, variant)  # FileResponse sends no body to HEAD


@router.get(
    "/{dictation_id}/audio",
    responses=_AUDIO,
    response_class=FileResponse,
    summary="The audio: the seek-exact WAV working copy, or the original; supports Range",
)
def get_audio(
    user: CurrentUser,
    state: StateDep,
    dictation_id: Id,
    variant: Annotated[str, Query(pattern="^(working|original)$")] = "working",
) -> FileResponse:
    with state.read() as session:
        item = dictations.get_visible(session, user, dictation_id)
        audio = session.get(Audio, item.audio_sha256)
    assert audio is not None
    if variant == "original":
        path, sha, media = (
            state.store.original_path(audio.sha256),
            audio.sha256,
            "application/octet-stream",
        )
    else:
        path, sha, media = state.store.working_path(audio.sha256), audio.working_sha256, "audio/wav"
    if not path.exists():
        raise NotFound(f"The audio of dictation {dictation_id} is missing from the store.")
    own_name = item.original_name or audio.original_name
    filename = f"dictation-{dictation_id}.wav" if variant == "working" else own_name
    return FileResponse(
        path, media_type=media, filename=filename, headers=_checksum_headers(sha, audio.duration_ms)
    )


@router.get(
    "/{dictation_id}/peaks",
    responses={200: {"content": {"application/octet-stream": {}}}},
    response_class=FileResponse,
    summary="Waveform peaks: little-endian int16 (min, max) pairs, 100 per second",
)
def get_peaks(dictation_id: Id, user: CurrentUser, state: StateDep) -> FileResponse:
    with state.read() as session:
        item = dictations.get_visible(session, user, dictation_id)
    path = state.store.peaks_path(item.audio_sha256)
    if not path.exists():
        raise NotFound(f"The peaks of dictation {dictation_id} are missing from the store.")
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={"X-Peaks-Per-Second": "100", "X-Peaks-Format": "int16le-minmax"},
    )


@router.get("/{dictation_id}/versions", summary="Every saved and submitted version")
def list_versions(dictation_id: Id, user: WorkReader, state: StateDep) -> list[VersionOut]:
    with state.read() as session:
        dictations.get_visible(session, user, dictation_id)
        rows = versions(session, dictation_id)
        who = names(session, [v.user_id for v in rows])
        return [
            VersionOut(
                number=v.number,
                kind=v.kind,  # type: ignore[arg-type]
                user=who.get(v.user_id, ""),
                fields=v.fields,
                narrative=v.narrative,
                markers=v.markers,
                quality_report=v.quality_report,
                time_spent_seconds=v.time_spent_s,
                note_to_supervisor=v.note_to_supervisor,
                created_at=v.created_at,
            )
            for v in rows
        ]


@router.get("/{dictation_id}/audit", summary="The audit log of one dictation")
def audit_log(
    _user: Overseer,
    state: StateDep,
    dictation_id: Id,
) -> list[AuditOut]:
    with state.read() as session:
        dictations.require_exists(session, dictation_id)
        rows = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.dictation_id == dictation_id)
                .order_by(AuditEvent.id)
            )
        )
        who = names(session, [r.actor_id for r in rows])
        return [
            AuditOut(
                at=r.at,
                actor=who.get(r.actor_id) if r.actor_id else None,
                action=r.action,
                detail=r.detail,
            )
            for r in rows
        ]


@router.post(
    "/{dictation_id}/assign",
    summary="Assign or reassign to a transcriptionist (supervisors)",
)
def assign(
    supervisor: Overseer,
    state: StateDep,
    dictation_id: Id,
    body: AssignRequest,
) -> DictationOut:
    with state.write() as session:
        assignee = session.get(User, body.user_id)
        if assignee is None:
            raise NotFound(f"There is no user {body.user_id}.")
        item = dispatch.assign(
            session, dictation_id, supervisor, assignee, state.clock(), body.reason
        )
        return dictation_out(state, session, item)


@router.post(
    "/{dictation_id}/requeue",
    summary="Put back into the pool for anyone to claim (supervisors)",
)
def requeue(
    supervisor: Overseer,
    state: StateDep,
    dictation_id: Id,
    body: ReasonIn | None = None,
) -> DictationOut:
    reason = body.reason if body else ""
    with state.write() as session:
        item = dispatch.unassign(session, dictation_id, supervisor, state.clock(), reason)
        return dictation_out(state, session, item)


@router.post(
    "/{dictation_id}/cancel",
    summary="Cancel a dictation not yet submitted (its author or a supervisor)",
)
def cancel(
    dictation_id: Id, user: Canceller, state: StateDep, body: ReasonIn | None = None
) -> DictationOut:
    with state.write() as session:
        dictations.get_visible(session, user, dictation_id)
        item = dispatch.cancel(
            session, dictation_id, user, state.clock(), body.reason if body else ""
        )
        return dictation_out(state, session, item)


@router.post(
    "/{dictation_id}/priority",
    summary="Make work not yet submitted more or less urgent, with a reason (supervisors)",
)
def change_priority(
    dictation_id: Id, body: PriorityIn, supervisor: Overseer, state: StateDep
) -> DictationOut:
    with state.write() as session:
        item = dispatch.change_priority(
            session,
            dictation_id,
            supervisor,
            body.priority,
            body.reason,
            state.settings.turnaround,
            state.clock(),
        )
        return dictation_out(state, session, item)


@router.post(
    "/{dictation_id}/review",
    status_code=201,
    summary="Send a submitted transcript to review by hand (supervisors)",
)
def request_review(
    dictation_id: Id, supervisor: Overseer, state: StateDep, body: RequestReview | None = None
) -> ReviewOut:
    with state.write() as session:
        review = reviews.request_review(
            session, dictation_id, supervisor, body.reason if body else "", state.clock()
        )
        return review_out(state, session, review, supervisor)
