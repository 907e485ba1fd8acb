"""Request dependencies: the signed-in user and role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from scribedesk.domain.roles import UPLOADERS, Role
from scribedesk.server.api.state import AppState, get_state
from scribedesk.server.db.models import User
from scribedesk.server.errors import Forbidden, Unauthorized
from scribedesk.server.security import user_for_token

bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/auth/login")


def current_user(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    state: AppState = Depends(get_state),
) -> User:
    """The user behind the bearer token; 401 without a valid one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Sign in first: send 'Authorization: Bearer <token>'.")
    with state.read() as session:
        return user_for_token(session, credentials.credentials, state.clock())


def require(*roles: Role, why: str = "") -> Callable[[User], Awaitable[User]]:
    """A dependency that lets only ``roles`` through (403 for anyone else, with ``why``
    when given)."""
    allowed = {r.value for r in roles}

    async def check(user: User = Depends(current_user)) -> User:  # no I/O: no thread
        if user.role not in allowed:
            names = " or ".join(sorted(allowed))
            raise Forbidden(
                why or f"Only a {names} may do this; you are signed in as a {user.role}."
            )
        return user

    return check


overseer = require(Role.SUPERVISOR, Role.ADMIN)
admin_only = require(Role.ADMIN)
#: Who works on jobs: transcriptionists, and trainees on their training attempts (the gate
#: on production work is the service's, server.gate).
typist = require(
    Role.TRANSCRIPTIONIST,
    Role.TRAINEE,
    why="Only transcriptionists and trainees work on jobs.",
)
trainer = require(Role.TRAINER, Role.ADMIN, why="Only trainers and administrators do this.")
uploader = require(
    *UPLOADERS, why="Only authors, supervisors and administrators upload dictations."
)
canceller = require(
    *(r for r in Role if r is not Role.TRANSCRIPTIONIST),
    why="A transcriptionist returns a job instead of cancelling it.",
)

#: Who may read the names taken from production transcripts (the CRM directory).
production = require(
    Role.TRANSCRIPTIONIST,
    Role.SUPERVISOR,
    Role.ADMIN,
    why="Only the roles that transcribe or supervise production work see the CRM's names.",
)

#: Who may read the work in progress (versions, drafts, notes to the supervisor): not the
#: author, who sees the status and the delivered record.
work_reader = require(
    *(r for r in Role if r is not Role.AUTHOR),
    why=(
        "An author sees a dictation's status and the delivered record, not the work in "
        "progress (drafts, versions, notes to the supervisor)."
    ),
)

#: The dependencies routes declare, each once: ``def route(user: Typist, state: StateDep)``.
StateDep = Annotated[AppState, Depends(get_state)]
CurrentUser = Annotated[User, Depends(current_user)]
Typist = Annotated[User, Depends(typist)]
Trainer = Annotated[User, Depends(trainer)]
Overseer = Annotated[User, Depends(overseer)]
Admin = Annotated[User, Depends(admin_only)]
Uploader = Annotated[User, Depends(uploader)]
Canceller = Annotated[User, Depends(canceller)]
ProductionReader = Annotated[User, Depends(production)]
WorkReader = Annotated[User, Depends(work_reader)]
