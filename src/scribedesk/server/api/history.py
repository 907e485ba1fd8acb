"""A transcriptionist's history: the jobs they submitted lately, newest first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from scribedesk.server.api.deps import StateDep, Typist
from scribedesk.server.api.dictations import dictation_out
from scribedesk.server.api.schemas import DictationOut
from scribedesk.server.db.models import Dictation, TranscriptVersion

router = APIRouter(prefix="/jobs", tags=["jobs"])


class HistoryOut(DictationOut):
    """A job I submitted: when, and the version I submitted last."""

    submitted_at: datetime
    version: int


@router.get("/history", summary="The jobs I submitted in the last days, newest first")
def history(
    user: Typist,
    state: StateDep,
    days: Annotated[int, Query(ge=1, le=366, description="how many days back")] = 7,
) -> list[HistoryOut]:
    since = state.clock() - timedelta(days=days)
    with state.read() as session:
        latest = func.max(TranscriptVersion.created_at)
        rows = session.execute(
            select(Dictation, latest, func.max(TranscriptVersion.number))
            .join(TranscriptVersion, TranscriptVersion.dictation_id == Dictation.id)
            .where(
                TranscriptVersion.user_id == user.id,
                TranscriptVersion.kind == "submit",
                TranscriptVersion.created_at >= since,
                Dictation.assignee_id == user.id,
            )
            .group_by(Dictation.id)
            .order_by(latest.desc())
            .limit(1000)
        ).all()
        return [
            HistoryOut(
                **dictation_out(state, session, job).model_dump(),
                submitted_at=at,
                version=number,
            )
            for job, at, number in rows
        ]
