"""The supervisor's team view."""

from __future__ import annotations

from fastapi import APIRouter

from scribedesk.server import team
from scribedesk.server.api.deps import Overseer, StateDep
from scribedesk.server.api.review_schemas import TeamOut

router = APIRouter(prefix="/team", tags=["reviews"])


@router.get("", summary="Who holds what, today's output, accuracy and the pool at risk")
def team_view(_user: Overseer, state: StateDep) -> TeamOut:
    with state.read() as session:
        data = team.team_view(session, state.clock(), state.settings.sampling.rolling_reviews)
    return TeamOut.model_validate(data)
