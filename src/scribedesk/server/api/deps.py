"""Request dependencies: the signed-in user and role checks."""

from __future__ import annotations

from collections.abc import Callable
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


def require(*roles: Role, why: str = "") -> Callable[[User], User]:
    """A dependency that lets only ``roles`` through (403 for anyone else, with ``why``
    when given)."""
    allowed = {r.value for r in roles}

    def check(user: User = Depends(current_user)) -> User:
        if user.role not in allowed:
            names = " or ".join(sorted(allowed))
            raise Forbidden(
                why or f"Only a {names} may do this; you are signed in as a {user.role}."
            )
        return user

    return check


overseer = require(Role.SUPERVISOR, Role.ADMIN)
admin_only = require(Role.ADMIN)
typist = require(Role.TRANSCRIPTIONIST)
uploader = require(
    *UPLOADERS, why="Only authors, supervisors and administrators upload dictations."
)
canceller = require(
    *(r for r in Role if r is not Role.TRANSCRIPTIONIST),
    why="A transcriptionist returns a job instead of cancelling it.",
)

#: The dependencies routes declare, each once: ``def route(user: Typist, state: StateDep)``.
StateDep = Annotated[AppState, Depends(get_state)]
CurrentUser = Annotated[User, Depends(current_user)]
Typist = Annotated[User, Depends(typist)]
Overseer = Annotated[User, Depends(overseer)]
Admin = Annotated[User, Depends(admin_only)]
Uploader = Annotated[User, Depends(uploader)]
Canceller = Annotated[User, Depends(canceller)]
